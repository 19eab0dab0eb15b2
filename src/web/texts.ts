/**
 * Texts of the public pages in Dutch and English. Interpolation is not escaped here: `html.ts` escapes every
 * value once when it is put into a page.
 */
import { translator } from '../i18n.js';

const nl = {
  'layout.language': 'Taal',
  'layout.privacy': 'Privacyverklaring',
  'layout.kvk': 'KvK {{kvk}}',

  'home.title': 'Welkom',
  'home.intro': 'Hier kiest u welke e-mails u van {{name}} wilt ontvangen. U kunt zich altijd weer afmelden.',
  'home.forms': 'Aanmelden',
  'home.noForms': 'Er zijn nog geen aanmeldformulieren.',
  'home.privacy': 'Lees in onze privacyverklaring hoe wij met uw gegevens omgaan.',
  'home.setupTitle': 'Consentry is nog niet ingericht',
  'home.setup': 'Voer eerst dit commando uit om uw organisatie, een eerste nieuwsbrief en een privacyverklaring vast te leggen:',

  'form.email': 'E-mailadres',
  'form.firstName': 'Voornaam',
  'form.optional': '(niet verplicht)',
  'form.choose': 'Waarvoor wilt u e-mail ontvangen?',
  'form.frequency': 'Hoe vaak: {{frequency}}',
  'form.doubleOptIn': 'U krijgt eerst een e-mail om uw aanmelding te bevestigen. Afmelden kan altijd, met één klik onder elke e-mail.',
  'form.singleOptIn': 'Afmelden kan altijd, met één klik onder elke e-mail.',
  'form.privacyBefore': 'Hoe wij met uw gegevens omgaan, leest u in onze',
  'form.privacyLink': 'privacyverklaring',
  'form.privacyAfter': '(versie {{version}}).',
  'form.sender': 'Afzender: {{name}}, {{address}}',
  'form.submit': 'Aanmelden',
  'form.errorSummary': 'Er ging iets mis. Kijk het gemarkeerde veld na.',
  'form.error.invalid-email': 'Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.',
  'form.error.invalid-name': 'Vul uw voornaam in op één regel (hoogstens 100 tekens).',
  'form.error.unknown-purpose': 'Kies alleen uit de onderwerpen op dit formulier.',
  'form.error.nothing-chosen': 'Vink minstens één onderwerp aan.',
  'form.error.other': 'Dit veld klopt niet.',

  'subscribed.title': 'Kijk in uw mailbox',
  'subscribed.pending': 'Bedankt! We hebben een e-mail gestuurd naar het adres dat u opgaf. Klik op de knop in die e-mail om uw aanmelding te bevestigen.',
  'subscribed.pendingHint': 'Geen e-mail gezien? Kijk ook in uw map met ongewenste e-mail. Zonder bevestiging sturen wij u niets.',
  'subscribed.activeTitle': 'U bent aangemeld',
  'subscribed.active': 'Bedankt voor uw aanmelding.',
  'subscribed.leadMagnet': 'Wat u aanvroeg, sturen we u per e-mail.',

  'confirm.title': 'Aanmelding bevestigen',
  'confirm.intro': 'Bevestig uw aanmelding bij {{name}} met de knop hieronder.',
  'confirm.for': 'U meldt zich aan voor: {{purposes}}.',
  'confirm.button': 'Ja, bevestig mijn aanmelding',
  'confirm.ignore': 'Heeft u zich niet aangemeld? Dan hoeft u niets te doen: zonder bevestiging sturen wij u niets.',
  'confirmed.title': 'Aanmelding bevestigd',
  'confirmed.body': 'Dank u wel. U ontvangt voortaan: {{purposes}}.',
  'confirmed.hint': 'Onder elke e-mail staat een link waarmee u zich met één klik weer afmeldt.',

  'unsub.title': 'Afmelden',
  'unsub.intro': '{{name}} stuurt u {{purpose}}. Wilt u dat niet meer? Kies hieronder.',
  'unsub.introAll': '{{name}} stuurt u e-mail. Wilt u dat niet meer? Kies hieronder.',
  'unsub.purpose': 'Afmelden voor {{purpose}}',
  'unsub.all': 'Afmelden voor alles',
  'unsub.allHint': 'Met “Afmelden voor alles” stopt u al onze nieuwsbrieven en reclame in één keer.',
  'unsubbed.title': 'U bent afgemeld',
  'unsubbed.purpose': '{{name}} stuurt u geen {{purpose}} meer.',
  'unsubbed.all': '{{name}} stuurt u geen nieuwsbrieven en reclame meer.',
  'unsubbed.hint': 'Dit gaat direct in. Berichten over een bestelling of overeenkomst kunt u nog wel krijgen.',
  'unsubbed.alsoAll': 'Wilt u ook niets anders meer ontvangen?',
  'oneclick.done': 'U bent afgemeld.',

  'privacy.title': 'Privacyverklaring',
  'privacy.meta': 'Versie {{version}}, gepubliceerd op {{date}}.',
  'privacy.older': 'Dit is een eerdere versie. Bekijk de huidige versie.',

  'error.400': 'Ongeldig verzoek',
  'error.403': 'Geen toegang',
  'error.404': 'Niet gevonden',
  'error.409': 'Al gedaan',
  'error.410': 'Link verlopen',
  'error.413': 'Te veel gegevens',
  'error.429': 'Even geduld',
  'error.500': 'Er ging iets mis',
  'error.503': 'Tijdelijk niet beschikbaar',
  'error.code.token-invalid': 'Deze link klopt niet. Gebruik de link uit de e-mail precies zoals u hem kreeg.',
  'error.code.token-expired': 'Deze link is verlopen. Meld u opnieuw aan; u krijgt dan een nieuwe link.',
  'error.code.already-confirmed': 'Uw aanmelding was al bevestigd. U hoeft niets meer te doen.',
  'error.code.unknown-form': 'Dit aanmeldformulier bestaat niet (meer).',
  'error.code.no-notice': 'Dit formulier is gesloten, omdat er nog geen privacyverklaring is gepubliceerd.',
  'error.code.no-identity': 'Deze site is nog niet ingericht.',
  'error.code.unknown-subject': 'Deze aanmelding bestaat niet meer.',
  'error.code.no-privacy': 'Er is nog geen privacyverklaring gepubliceerd.',
  'error.code.mail-failed': 'We konden de bevestigingsmail nu niet versturen. Probeer het later opnieuw.',
  'error.code.bad-scope': 'Kies een van de knoppen op de afmeldpagina.',
  'error.generic.400': 'Het verzoek klopt niet.',
  'error.generic.403': 'U heeft geen toegang tot deze pagina.',
  'error.generic.404': 'Deze pagina bestaat niet.',
  'error.generic.409': 'Dit is al gebeurd.',
  'error.generic.410': 'Deze link werkt niet meer.',
  'error.generic.413': 'Het formulier bevat te veel gegevens.',
  'error.generic.429': 'U heeft het in korte tijd te vaak geprobeerd. Probeer het over een paar minuten opnieuw.',
  'error.generic.500': 'Er ging bij ons iets mis. Probeer het later opnieuw.',
  'error.generic.503': 'Deze pagina is nu niet beschikbaar. Probeer het later opnieuw.',
  'error.home': 'Naar de startpagina',
};

const en: typeof nl = {
  'layout.language': 'Language',
  'layout.privacy': 'Privacy notice',
  'layout.kvk': 'Chamber of Commerce {{kvk}}',

  'home.title': 'Welcome',
  'home.intro': 'Choose here which e-mails {{name}} may send you. You can unsubscribe at any time.',
  'home.forms': 'Sign up',
  'home.noForms': 'There are no sign-up forms yet.',
  'home.privacy': 'Our privacy notice explains how we handle your data.',
  'home.setupTitle': 'Consentry is not set up yet',
  'home.setup': 'First run this command to record your organisation, a first newsletter and a privacy notice:',

  'form.email': 'E-mail address',
  'form.firstName': 'First name',
  'form.optional': '(optional)',
  'form.choose': 'What would you like to receive?',
  'form.frequency': 'How often: {{frequency}}',
  'form.doubleOptIn': 'We will first send you an e-mail to confirm your sign-up. You can unsubscribe at any time with one click below every e-mail.',
  'form.singleOptIn': 'You can unsubscribe at any time with one click below every e-mail.',
  'form.privacyBefore': 'Read how we handle your data in our',
  'form.privacyLink': 'privacy notice',
  'form.privacyAfter': '(version {{version}}).',
  'form.sender': 'Sender: {{name}}, {{address}}',
  'form.submit': 'Sign up',
  'form.errorSummary': 'Something is not right. Please check the marked field.',
  'form.error.invalid-email': 'Enter a valid e-mail address, for example name@example.com.',
  'form.error.invalid-name': 'Enter your first name on one line (at most 100 characters).',
  'form.error.unknown-purpose': 'Choose only from the topics on this form.',
  'form.error.nothing-chosen': 'Tick at least one topic.',
  'form.error.other': 'This field is not right.',

  'subscribed.title': 'Check your mailbox',
  'subscribed.pending': 'Thank you! We have sent an e-mail to the address you gave. Press the button in that e-mail to confirm your sign-up.',
  'subscribed.pendingHint': 'No e-mail? Please also look in your spam folder. Without your confirmation we send you nothing.',
  'subscribed.activeTitle': 'You are signed up',
  'subscribed.active': 'Thank you for signing up.',
  'subscribed.leadMagnet': 'We are sending you what you asked for by e-mail.',

  'confirm.title': 'Confirm your sign-up',
  'confirm.intro': 'Confirm your sign-up with {{name}} by pressing the button below.',
  'confirm.for': 'You are signing up for: {{purposes}}.',
  'confirm.button': 'Confirm my subscription',
  'confirm.ignore': 'Did not sign up? Then you need not do anything: without confirmation we send you nothing.',
  'confirmed.title': 'Sign-up confirmed',
  'confirmed.body': 'Thank you. From now on you will receive: {{purposes}}.',
  'confirmed.hint': 'Every e-mail has a link at the bottom to unsubscribe with one click.',

  'unsub.title': 'Unsubscribe',
  'unsub.intro': '{{name}} sends you {{purpose}}. No longer want it? Choose below.',
  'unsub.introAll': '{{name}} sends you e-mail. No longer want it? Choose below.',
  'unsub.purpose': 'Unsubscribe from {{purpose}}',
  'unsub.all': 'Unsubscribe from everything',
  'unsub.allHint': '“Unsubscribe from everything” stops all our newsletters and promotional e-mail at once.',
  'unsubbed.title': 'You have been unsubscribed',
  'unsubbed.purpose': '{{name}} will no longer send you {{purpose}}.',
  'unsubbed.all': '{{name}} will no longer send you newsletters or promotional e-mail.',
  'unsubbed.hint': 'This takes effect at once. You may still receive messages about an order or contract.',
  'unsubbed.alsoAll': 'Would you like to receive nothing else either?',
  'oneclick.done': 'You have been unsubscribed.',

  'privacy.title': 'Privacy notice',
  'privacy.meta': 'Version {{version}}, published on {{date}}.',
  'privacy.older': 'This is an earlier version. See the current version.',

  'error.400': 'Invalid request',
  'error.403': 'No access',
  'error.404': 'Not found',
  'error.409': 'Already done',
  'error.410': 'Link expired',
  'error.413': 'Too much data',
  'error.429': 'Please wait a moment',
  'error.500': 'Something went wrong',
  'error.503': 'Temporarily unavailable',
  'error.code.token-invalid': 'This link is not valid. Please use the link from the e-mail exactly as you received it.',
  'error.code.token-expired': 'This link has expired. Please sign up again to receive a new link.',
  'error.code.already-confirmed': 'Your sign-up was already confirmed. There is nothing more to do.',
  'error.code.unknown-form': 'This sign-up form does not exist (any more).',
  'error.code.no-notice': 'This form is closed because no privacy notice has been published yet.',
  'error.code.no-identity': 'This site has not been set up yet.',
  'error.code.unknown-subject': 'This sign-up no longer exists.',
  'error.code.no-privacy': 'No privacy notice has been published yet.',
  'error.code.mail-failed': 'We could not send the confirmation e-mail just now. Please try again later.',
  'error.code.bad-scope': 'Please choose one of the buttons on the unsubscribe page.',
  'error.generic.400': 'The request is not valid.',
  'error.generic.403': 'You do not have access to this page.',
  'error.generic.404': 'This page does not exist.',
  'error.generic.409': 'This has already been done.',
  'error.generic.410': 'This link no longer works.',
  'error.generic.413': 'The form holds too much data.',
  'error.generic.429': 'You have tried too often in a short time. Please try again in a few minutes.',
  'error.generic.500': 'Something went wrong on our side. Please try again later.',
  'error.generic.503': 'This page is not available right now. Please try again later.',
  'error.home': 'Go to the home page',
};

/** Keys of the page texts. */
export type TextKey = keyof typeof nl;

/** Both languages' texts, for tests that check every key is translated. */
export const WEB_TEXTS = { nl, en };

const translate = translator({ nl, en }, false);

/**
 * A page text in one language; values are not escaped (the `html` template does that).
 * @example t('en', 'unsub.purpose', { purpose: 'Coffee tips' }) // "Unsubscribe from Coffee tips"
 */
export const t = (lang: 'nl' | 'en', key: TextKey, vars?: Record<string, unknown>): string => translate(lang, key, vars);

/** Whether a key exists (for codes that come from domain errors). */
export const hasText = (key: string): key is TextKey => Object.hasOwn(nl, key);
