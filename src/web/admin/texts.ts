/**
 * Texts of the admin app in Dutch (formal "u") and English. This file holds the shared texts (layout,
 * navigation, sign-in, common words, errors); each area folder keeps its own `<area>/<area>.texts.ts` with `{ nl, en }` and
 * adds one line to AREAS below. Values are not escaped here: the `html` template escapes them once.
 */
import type { Language } from '../../core/vocab.js';
import { translator } from '../../i18n.js';
import { authTexts } from './auth/auth.texts.js';
import { setupTexts } from './setup/setup.texts.js';
import { accountTexts } from './account/account.texts.js';
import { actionsTexts } from './actions/actions.texts.js';
import { auditTexts } from './audit/audit.texts.js';
import { campaignDetailTexts } from './campaigns/campaign-detail.texts.js';
import { campaignsTexts } from './campaigns/campaigns.texts.js';
import { dashboardTexts } from './dashboard/dashboard.texts.js';
import { contactsTexts } from './contacts/contacts.texts.js';
import { formsTexts } from './forms/forms.texts.js';
import { importsTexts } from './imports/imports.texts.js';
import { mediaTexts } from './media/media.texts.js';
import { organisationTexts } from './organisation/organisation.texts.js';
import { privacyTexts } from './privacy/privacy.texts.js';
import { webhooksTexts } from './webhooks/webhooks.texts.js';
import { purposesTexts } from './purposes/purposes.texts.js';
import { usersTexts } from './users/users.texts.js';
import { vocabTexts } from './vocab.texts.js';

const nl = {
  'app.name': 'Consentry beheer',
  'layout.skip': 'Naar de inhoud',
  'layout.language': 'Taal',
  'layout.menu': 'Menu',
  'layout.signedInAs': 'Aangemeld als {{email}} ({{role}})',
  'layout.account': 'Mijn account',
  'layout.signOut': 'Afmelden',

  'nav.dashboard': 'Overzicht',
  'nav.campaigns': 'Campagnes',
  'nav.contacts': 'Contacten',
  'nav.imports': 'Importeren',
  'nav.audit': 'Controle',
  'nav.purposes': 'Doelen',
  'nav.forms': 'Formulieren',
  'nav.media': 'Media',
  'nav.organisation': 'Organisatie',
  'nav.privacy': 'Privacy',
  'nav.users': 'Gebruikers en API-sleutels',
  'nav.actions': 'Actielogboek',

  'role.owner': 'eigenaar',
  'role.editor': 'redacteur',
  'role.privacy_officer': 'privacyfunctionaris',
  'role.viewer': 'kijker',

  'login.title': 'Aanmelden',
  'login.intro': 'Meld u aan om Consentry te beheren.',
  'login.email': 'E-mailadres',
  'login.password': 'Wachtwoord',
  'login.submit': 'Aanmelden',
  'login.expired': 'Uw sessie is verlopen. Meld u opnieuw aan; daarna gaat u verder waar u was.',
  'login.signedOut': 'U bent afgemeld.',

  'common.save': 'Opslaan',
  'common.cancel': 'Annuleren',
  'common.back': 'Terug',
  'common.next': 'Volgende',
  'common.previous': 'Vorige',
  'common.none': 'Nog niets.',
  'common.yes': 'ja',
  'common.no': 'nee',
  'common.required': '(verplicht)',
  'common.optional': '(niet verplicht)',
  'common.confirmTitle': 'Weet u het zeker?',
  'common.confirmAgain': 'Dit kan niet ongedaan worden gemaakt. Klik nog een keer om te bevestigen.',
  'common.confirmYes': 'Ja, doorgaan',
  'common.errorSummary': 'Er ging iets mis. Kijk de gemarkeerde velden na.',
  'common.saved': 'Opgeslagen.',

  'preview.width': 'Breedte',
  'preview.desktop': 'computer (800 px)',
  'preview.phone': 'telefoon (390 px)',
  'preview.frame': 'Voorbeeld van de e-mail',
  'preview.draft': 'Voorbeeld van deze tekst',
  'preview.error': 'Het voorbeeld kan niet worden gemaakt: {{message}}',

  'error.title.400': 'Dat ging niet',
  'error.title.403': 'Geen toegang',
  'error.title.404': 'Niet gevonden',
  'error.title.409': 'Dat kan niet',
  'error.title.429': 'Even wachten',
  'error.title.500': 'Er ging iets mis',
  'error.title.503': 'Even niet beschikbaar',
  'error.body.400': 'Het verzoek klopte niet.',
  'error.body.403': 'U heeft geen rechten voor deze actie, of het formulier was verlopen. Er is niets veranderd.',
  'error.body.404': 'Deze pagina bestaat niet.',
  'error.body.409': 'Dit botst met wat er al is.',
  'error.body.429': 'Te veel verzoeken. Probeer het over een paar minuten opnieuw.',
  'error.body.500': 'Er ging iets mis bij ons. Er is niets half opgeslagen; probeer het opnieuw.',
  'error.body.503': 'Deze functie is nu niet beschikbaar.',
  'error.toDashboard': 'Naar het overzicht',

  'error.code.sign-in-failed': 'Het e-mailadres of het wachtwoord klopt niet.',
  'error.code.too-many-attempts': 'Te veel mislukte pogingen. Wacht 15 minuten en probeer het opnieuw.',
  'error.code.invalid-email': 'Vul een geldig e-mailadres in.',
  'error.code.invalid-role': 'Kies een rol.',
  'error.code.user-exists': 'Er is al een gebruiker met dit e-mailadres.',
  'error.code.unknown-user': 'Deze gebruiker bestaat niet.',
  'error.code.last-owner': 'Dit is de laatste eigenaar. Maak eerst iemand anders eigenaar.',
  'error.code.password-too-short': 'Het wachtwoord moet minstens 12 tekens hebben.',
  'error.code.password-too-long': 'Het wachtwoord mag hoogstens 256 tekens hebben.',
  'error.code.password-common': 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander.',
  'error.code.password-is-address': 'Het wachtwoord mag niet uw e-mailadres zijn.',
  'error.code.required': 'Vul dit veld in.',
  'error.code.too-long': 'Dit is te lang.',
  'error.code.too-short': 'Dit is te kort.',
  'error.code.too-small': 'Dit getal is te klein.',
  'error.code.too-big': 'Dit getal is te groot.',
  'error.code.too-few': 'Kies er minstens één.',
  'error.code.too-many': 'Dit zijn er te veel.',
  'error.code.invalid-url': 'Vul een volledig webadres in, zoals https://www.voorbeeld.nl.',
  'error.code.invalid-format': 'Dit heeft niet de juiste vorm; zie de toelichting.',
  'error.code.invalid-choice': 'Kies een van de mogelijkheden.',
  'error.code.invalid-id': 'Gebruik kleine letters, cijfers en streepjes (hoogstens 41 tekens), bijvoorbeeld nieuwsbrief-2.',
  'error.code.form-exists': 'Er is al een formulier met deze code. Kies een andere.',
  'error.code.invalid-template': 'Deze tekst kan niet worden gemaakt: er ontbreekt waarschijnlijk een sluithaak (}} of %}) of een aanhalingsteken. Technische melding: {{detail}}',
  'error.code.unknown-variable': 'De variabele {{name}} bestaat niet. U kunt first_name, last_name, email en organisation gebruiken (bijvoorbeeld first_name, niet voornaam).',
  'error.code.unknown-filter': 'Het filter {{name}} bestaat niet. Controleer de spelling, bijvoorbeeld default of upcase.',
  'error.code.image-not-https': 'De afbeelding {{url}} staat op een adres zonder https. Zet de afbeelding op de pagina Media (/admin/media) en gebruik het adres dat daar staat, of gebruik een adres dat met https:// begint.',
  'error.code.body-too-large': 'Deze tekst is te lang: {{length}} tekens, hoogstens {{max}}. Een e-mail die zo lang is, wordt door e-mailprogramma’s afgekapt of geweigerd.',
  'error.code.subject-empty': 'Het onderwerp is leeg (ook nadat de variabelen zijn ingevuld).',
  'error.code.subject-too-long': 'Het onderwerp is te lang: {{length}} tekens, hoogstens {{max}}.',
  'error.code.subject-multiline': 'Het onderwerp moet op één regel passen.',
  'error.code.invalid': 'Dit klopt niet.',
};

const en: Record<keyof typeof nl, string> = {
  'app.name': 'Consentry admin',
  'layout.skip': 'Skip to content',
  'layout.language': 'Language',
  'layout.menu': 'Menu',
  'layout.signedInAs': 'Signed in as {{email}} ({{role}})',
  'layout.account': 'My account',
  'layout.signOut': 'Sign out',

  'nav.dashboard': 'Dashboard',
  'nav.campaigns': 'Campaigns',
  'nav.contacts': 'Contacts',
  'nav.imports': 'Imports',
  'nav.audit': 'Audit',
  'nav.purposes': 'Purposes',
  'nav.forms': 'Forms',
  'nav.media': 'Media',
  'nav.organisation': 'Organisation',
  'nav.privacy': 'Privacy',
  'nav.users': 'Users & API keys',
  'nav.actions': 'Action log',

  'role.owner': 'owner',
  'role.editor': 'editor',
  'role.privacy_officer': 'privacy officer',
  'role.viewer': 'viewer',

  'login.title': 'Sign in',
  'login.intro': 'Sign in to manage Consentry.',
  'login.email': 'E-mail address',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.expired': 'Your session has expired. Sign in again and you will continue where you were.',
  'login.signedOut': 'You are signed out.',

  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.next': 'Next',
  'common.previous': 'Previous',
  'common.none': 'Nothing yet.',
  'common.yes': 'yes',
  'common.no': 'no',
  'common.required': '(required)',
  'common.optional': '(optional)',
  'common.confirmTitle': 'Are you sure?',
  'common.confirmAgain': 'This cannot be undone. Click once more to confirm.',
  'common.confirmYes': 'Yes, go ahead',
  'common.errorSummary': 'Something went wrong. Please check the marked fields.',
  'common.saved': 'Saved.',

  'preview.width': 'Width',
  'preview.desktop': 'desktop (800 px)',
  'preview.phone': 'phone (390 px)',
  'preview.frame': 'Preview of the e-mail',
  'preview.draft': 'Preview this text',
  'preview.error': 'The preview cannot be made: {{message}}',

  'error.title.400': 'That did not work',
  'error.title.403': 'Not allowed',
  'error.title.404': 'Not found',
  'error.title.409': 'That is not possible',
  'error.title.429': 'Please wait',
  'error.title.500': 'Something went wrong',
  'error.title.503': 'Not available',
  'error.body.400': 'The request was not right.',
  'error.body.403': 'You may not do this, or the form had expired. Nothing was changed.',
  'error.body.404': 'This page does not exist.',
  'error.body.409': 'This conflicts with what is there already.',
  'error.body.429': 'Too many requests. Please try again in a few minutes.',
  'error.body.500': 'Something went wrong on our side. Nothing was half saved; please try again.',
  'error.body.503': 'This is not available right now.',
  'error.toDashboard': 'Go to the dashboard',

  'error.code.sign-in-failed': 'The e-mail address or the password is not right.',
  'error.code.too-many-attempts': 'Too many failed attempts. Wait 15 minutes and try again.',
  'error.code.invalid-email': 'Enter a valid e-mail address.',
  'error.code.invalid-role': 'Choose a role.',
  'error.code.user-exists': 'There is a user with this address already.',
  'error.code.unknown-user': 'This user does not exist.',
  'error.code.last-owner': 'This is the last owner. Make someone else owner first.',
  'error.code.password-too-short': 'The password needs at least 12 characters.',
  'error.code.password-too-long': 'The password may have at most 256 characters.',
  'error.code.password-common': 'This password is too common. Choose another.',
  'error.code.password-is-address': 'The password may not be your e-mail address.',
  'error.code.required': 'Fill in this field.',
  'error.code.too-long': 'This is too long.',
  'error.code.too-short': 'This is too short.',
  'error.code.too-small': 'This number is too small.',
  'error.code.too-big': 'This number is too large.',
  'error.code.too-few': 'Choose at least one.',
  'error.code.too-many': 'These are too many.',
  'error.code.invalid-url': 'Enter a full web address, such as https://www.example.com.',
  'error.code.invalid-format': 'This is not in the right form; see the hint.',
  'error.code.invalid-choice': 'Choose one of the options.',
  'error.code.invalid-id': 'Use lower-case letters, digits and dashes (at most 41 characters), for example newsletter-2.',
  'error.code.form-exists': 'A form with this code exists already. Choose another.',
  'error.code.invalid-template': 'This text cannot be made: probably a missing closing bracket (}} or %}) or quote. Technical message: {{detail}}',
  'error.code.unknown-variable': 'The variable {{name}} does not exist. You can use first_name, last_name, email and organisation (for example first_name, not firstname).',
  'error.code.unknown-filter': 'The filter {{name}} does not exist. Check the spelling, for example default or upcase.',
  'error.code.image-not-https': 'The image {{url}} is at an address without https. Put the image on the Media page (/admin/media) and use the address shown there, or use an address that starts with https://.',
  'error.code.body-too-large': 'This text is too long: {{length}} characters, at most {{max}}. A mail this long is clipped or refused by mail programs.',
  'error.code.subject-empty': 'The subject is empty (also after the variables are filled in).',
  'error.code.subject-too-long': 'The subject is too long: {{length}} characters, at most {{max}}.',
  'error.code.subject-multiline': 'The subject must fit on one line.',
  'error.code.invalid': 'This is not right.',
};

/** Each area's texts; add a line for a new area. */
const AREAS = [
  { nl, en },
  vocabTexts,
  usersTexts,
  accountTexts,
  authTexts,
  setupTexts,
  dashboardTexts,
  auditTexts,
  purposesTexts,
  formsTexts,
  contactsTexts,
  actionsTexts,
  importsTexts,
  mediaTexts,
  campaignDetailTexts,
  campaignsTexts,
  organisationTexts,
  privacyTexts,
  webhooksTexts,
] as const;

type AreaKeys<T> = T extends { nl: infer N } ? keyof N : never;
/** Every admin text key. */
export type AdminTextKey = AreaKeys<(typeof AREAS)[number]> & string;

const merged = {
  nl: Object.assign({}, ...AREAS.map((a) => a.nl)) as Record<string, string>,
  en: Object.assign({}, ...AREAS.map((a) => a.en)) as Record<string, string>,
};

/** Both languages' texts, for the test that checks every key is translated. */
export const ADMIN_TEXTS = merged;

const translate = translator(merged, false);

/**
 * An admin text; values are not escaped (the `html` template does that).
 * @example at('en', 'layout.signedInAs', { email: 'a@b.nl', role: 'owner' })
 */
export const at = (lang: Language, key: AdminTextKey, vars?: Record<string, unknown>): string => translate(lang, key, vars);

/** Whether a text key exists (for codes that come from domain errors). */
export const hasAdminText = (key: string): key is AdminTextKey => Object.hasOwn(merged.nl, key);
