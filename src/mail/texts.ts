/**
 * Dutch and English texts of the mail layer (namespace "mail"): campaign footers, the double opt-in mail (also
 * for a requested item) and the identity footer of service mail. Values are interpolated with i18next
 * `{{name}}`; `compose.ts` renders them once unescaped (text part) and once escaped (HTML part). The layout they
 * are set in is `layout.ts`.
 */
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import { translator, type Texts, type Translate } from '../i18n.js';
import { FOOTER_P, footerLink } from './layout.js';

const nl: Texts = {
  'footer.reason.consent': 'U ontvangt dit bericht omdat u zich hebt aangemeld voor {{purpose}} van {{org}}.',
  'footer.reason.customer':
    'U ontvangt dit bericht omdat u klant bent van {{org}} en wij u informeren over producten die lijken op wat u kocht. U kunt zich hiervoor altijd afmelden.',
  'footer.reason.staff': 'U ontvangt dit bericht als medewerker van {{org}}, op uw werkadres.',
  'footer.reason.business': 'U ontvangt dit bericht omdat uw organisatie dit adres heeft gepubliceerd voor het ontvangen van aanbiedingen.',
  'footer.reason.repermission': 'U ontvangt dit bericht omdat u zich eerder hebt aangemeld voor {{purpose}} van {{org}}; wij vragen u dat te bevestigen.',
  'footer.unsubscribe': 'Afmelden',
  'footer.unsubscribeLead': 'Wilt u deze berichten niet meer ontvangen? Deze link opent een pagina waar u met één knop afmeldt:',
  'footer.privacy': 'Privacyverklaring',
  'footer.manage': 'Uw aanmeldingen en gegevens beheren',
  'footer.kvk': 'KvK-nummer {{kvk}}',
  'footer.sender': 'Afzender',
  'confirm.subject': 'Bevestig uw aanmelding bij {{org}}',
  'confirm.greeting': 'Goedendag,',
  'confirm.asked': 'U hebt zich bij {{org}} aangemeld voor:',
  'confirm.instruction':
    'Bevestig uw aanmelding via de link hieronder. Op de pagina die dan opent, drukt u op de knop om te bevestigen; pas daarna is uw aanmelding definitief.',
  'confirm.instructionButton':
    'Bevestig uw aanmelding met de knop hieronder. Op de pagina die dan opent, drukt u nog één keer op de knop om te bevestigen; pas daarna is uw aanmelding definitief.',
  'confirm.button': 'Aanmelding bevestigen',
  'confirm.ignore':
    'Hebt u dit niet zelf aangevraagd? Dan kunt u deze e-mail negeren. Er gebeurt dan niets en u ontvangt geen berichten van ons.',
  'confirm.reason': 'U ontvangt dit bericht omdat dit e-mailadres is opgegeven op een aanmeldformulier van {{org}}.',
  'confirm.itemToo': 'Zodra u bevestigt, sturen wij u ook {{item}} toe.',
  'confirm.itemSubject': 'Bevestig uw e-mailadres bij {{org}}',
  'confirm.itemAsked': 'U hebt bij {{org}} aangevraagd:',
  'confirm.itemInstruction':
    'Bevestig uw e-mailadres via de link hieronder. Op de pagina die dan opent, drukt u op de knop om te bevestigen; daarna sturen wij het u meteen toe. U meldt zich hiermee niet aan voor een nieuwsbrief.',
  'confirm.itemInstructionButton':
    'Bevestig uw e-mailadres met de knop hieronder. Op de pagina die dan opent, drukt u nog één keer op de knop om te bevestigen; daarna sturen wij het u meteen toe. U meldt zich hiermee niet aan voor een nieuwsbrief.',
  'confirm.itemButton': 'E-mailadres bevestigen',
  'service.reason': 'Dit is een bericht van {{org}}.',
};

const en: Texts = {
  'footer.reason.consent': 'You are receiving this message because you subscribed to {{purpose}} from {{org}}.',
  'footer.reason.customer':
    'You are receiving this message because you are a customer of {{org}} and we tell you about products like the ones you bought. You can opt out at any time.',
  'footer.reason.staff': 'You are receiving this message as an employee of {{org}}, at your work address.',
  'footer.reason.business': 'You are receiving this message because your organisation published this address for receiving offers.',
  'footer.reason.repermission': 'You are receiving this message because you subscribed to {{purpose}} from {{org}} before; we ask you to confirm that.',
  'footer.unsubscribe': 'Unsubscribe',
  'footer.unsubscribeLead': 'No longer want these messages? This link opens a page where one button unsubscribes you:',
  'footer.privacy': 'Privacy notice',
  'footer.manage': 'Manage your subscriptions and data',
  'footer.kvk': 'Chamber of Commerce (KvK) no. {{kvk}}',
  'footer.sender': 'Sender',
  'confirm.subject': 'Please confirm your subscription to {{org}}',
  'confirm.greeting': 'Hello,',
  'confirm.asked': 'You asked {{org}} to send you:',
  'confirm.instruction':
    'Please confirm using the link below. The page that opens has a button you press to confirm; only then is your subscription complete.',
  'confirm.instructionButton':
    'Please confirm using the button below. The page that opens has one more button you press to confirm; only then is your subscription complete.',
  'confirm.button': 'Confirm my subscription',
  'confirm.ignore':
    'Did not ask for this? Then simply ignore this email. Nothing will happen and you will not receive any messages from us.',
  'confirm.reason': 'You are receiving this message because this address was entered on a sign-up form of {{org}}.',
  'confirm.itemToo': 'Once you confirm, we also send you {{item}}.',
  'confirm.itemSubject': 'Please confirm your e-mail address for {{org}}',
  'confirm.itemAsked': 'You asked {{org}} for:',
  'confirm.itemInstruction':
    'Please confirm your address using the link below. The page that opens has a button you press to confirm; then we send it to you straight away. This does not sign you up for a newsletter.',
  'confirm.itemInstructionButton':
    'Please confirm your address using the button below. The page that opens has one more button you press to confirm; then we send it to you straight away. This does not sign you up for a newsletter.',
  'confirm.itemButton': 'Confirm my e-mail address',
  'service.reason': 'This is a message from {{org}}.',
};

export const mailTexts: Record<Language, Texts> = { nl, en };

/** Translator for the plain-text part (values not escaped). */
export const tText: Translate = translator(mailTexts, false);
/** Translator for the HTML part (interpolated values HTML-escaped). */
export const tHtml: Translate = translator(mailTexts, true);

/** "… B.V.." → "… B.V." when a name ending in a full stop closes a sentence. */
export function sentence(s: string): string {
  return s.replace(/\.\.$/, '.');
}

/** The sender identity lines: name, postal address lines, KvK number and website when set (text, unescaped). */
export function identityLines(org: Organisation, lang: Language): string[] {
  const address = org.postalAddress.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const kvk = org.chamberOfCommerce ? [tText(lang, 'footer.kvk', { kvk: org.chamberOfCommerce })] : [];
  return [org.name, ...address, ...kvk, ...(org.website ? [org.website] : [])];
}

/** The footer of transactional mail: why (reasonKey), privacy link, identity; as text and as HTML. */
export function transactionalFooter(org: Organisation, lang: Language, reasonKey: string, privacy: string) {
  const v = { org: org.name };
  const lines = identityLines(org, lang);
  return {
    text: [sentence(tText(lang, reasonKey, v)), `${tText(lang, 'footer.privacy')}: ${privacy}`, '', ...lines].join('\n'),
    html: [
      `<p style="${FOOTER_P}">${sentence(tHtml(lang, reasonKey, v))}</p>`,
      `<p style="${FOOTER_P}">${footerLink(privacy, tHtml(lang, 'footer.privacy'))}</p>`,
      `<p style="${FOOTER_P}">${lines.map(esc).join('<br>')}</p>`,
    ].join('\n'),
  };
}

/** HTML-escapes text for element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const P_STYLE = 'margin:0 0 16px 0;line-height:1.6';

/** A paragraph around already-escaped HTML. */
export function p(innerHtml: string): string {
  return `<p style="${P_STYLE}">${innerHtml}</p>`;
}
