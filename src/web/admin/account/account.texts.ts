/** Texts of the admin's own account page (see texts.ts). */
const nl = {
  'account.title': 'Mijn account',
  'account.password': 'Wachtwoord wijzigen',
  'account.current': 'Huidig wachtwoord',
  'account.new': 'Nieuw wachtwoord',
  'account.newHint': 'Minstens 12 tekens. Daarna meldt u zich opnieuw aan; ook elders wordt u afgemeld.',
  'account.everywhere': 'Overal afmelden',
  'account.everywhereIntro': 'Beëindigt al uw sessies, op elk apparaat, ook deze.',
  'account.signedOutEverywhere': 'U bent overal afgemeld.',
  'account.passwordChanged': 'Uw wachtwoord is gewijzigd. Meld u aan met het nieuwe wachtwoord.',
  'error.code.wrong-password': 'Het huidige wachtwoord klopt niet.',
};

const en: Record<keyof typeof nl, string> = {
  'account.title': 'My account',
  'account.password': 'Change password',
  'account.current': 'Current password',
  'account.new': 'New password',
  'account.newHint': 'At least 12 characters. You then sign in again; you are signed out elsewhere too.',
  'account.everywhere': 'Sign out everywhere',
  'account.everywhereIntro': 'Ends all your sessions, on every device, this one included.',
  'account.signedOutEverywhere': 'You are signed out everywhere.',
  'account.passwordChanged': 'Your password was changed. Sign in with the new password.',
  'error.code.wrong-password': 'The current password is not right.',
};

export const accountTexts = { nl, en };
