/**
 * The "manage my data" pages (GDPR 12(2), 15–17, 20, 21(3)): ask for a link, the same answer whether or not
 * the address is known, the overview behind the link with one POST form per right, and the erasure
 * confirmation. Texts in Dutch and English live here.
 */
import type { Language } from '../../core/vocab.js';
import type { ManagedPurpose } from '../../services/rights/manage.js';
import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../language.js';
import { messagePage } from './message.view.js';

const T = {
  askTitle: { nl: 'Uw gegevens beheren', en: 'Manage your data' },
  askIntro: { nl: 'Vul uw e-mailadres in. Als wij dit adres kennen, sturen wij u een link waarmee u uw gegevens kunt inzien, downloaden, verbeteren of laten wissen.', en: 'Enter your e-mail address. If we know it, we will send you a link to see, download, correct or erase your data.' },
  email: { nl: 'E-mailadres', en: 'E-mail address' },
  send: { nl: 'Stuur mij een link', en: 'Send me a link' },
  sentTitle: { nl: 'Kijk in uw mailbox', en: 'Check your mailbox' },
  sent: { nl: 'Als wij dit adres kennen, hebben wij u een link gestuurd. De link werkt 24 uur.', en: 'If we know this address, we have sent you a link. The link works for 24 hours.' },
  overview: { nl: 'Dit zijn de gegevens die wij van u hebben.', en: 'This is the data we hold about you.' },
  name: { nl: 'Naam', en: 'Name' },
  first: { nl: 'Voornaam', en: 'First name' },
  last: { nl: 'Achternaam', en: 'Last name' },
  save: { nl: 'Naam opslaan', en: 'Save name' },
  mail: { nl: 'Wat u van ons ontvangt', en: 'What you receive from us' },
  withdraw: { nl: 'Afmelden', en: 'Unsubscribe' },
  customerOffers: { nl: 'Aanbiedingen voor klanten', en: 'Offers for customers' },
  customerReceived: {
    nl: 'u ontvangt ze als klant, over producten zoals u kocht; stoppen kan hieronder met "Bezwaar maken tegen alle reclame"',
    en: 'you receive them as a customer, about products like the ones you bought; stop them below with "Object to all marketing"',
  },
  customerStopped: { nl: 'gestopt op uw verzoek', en: 'stopped at your request' },
  subscribe: { nl: 'Aanmelden (u krijgt een bevestigingsmail)', en: 'Subscribe (you will get a confirmation mail)' },
  download: { nl: 'Uw gegevens downloaden', en: 'Download your data' },
  object: { nl: 'Geen reclame meer', en: 'No more marketing' },
  objectIntro: { nl: 'Met één klik maakt u bezwaar tegen alle direct marketing; dat geldt direct.', en: 'One click objects to all direct marketing, effective at once.' },
  objectBtn: { nl: 'Bezwaar maken tegen alle reclame', en: 'Object to all marketing' },
  erase: { nl: 'Alles wissen', en: 'Erase everything' },
  eraseIntro: { nl: 'Wij wissen al uw gegevens. Wij bewaren alleen een onleesbare code van uw adres, zodat u nooit meer mail van ons krijgt.', en: 'We erase all your data. We keep only an unreadable code of your address so that you are never mailed again.' },
  eraseConfirm: { nl: 'Ja, wis al mijn gegevens', en: 'Yes, erase all my data' },
  erasedTitle: { nl: 'Uw gegevens zijn gewist', en: 'Your data has been erased' },
  done: { nl: 'Gedaan', en: 'Done' },
  back: { nl: 'Terug naar uw gegevens', en: 'Back to your data' },
  status: { nl: { active: 'aangemeld', pending: 'wacht op bevestiging', withdrawn: 'afgemeld', objected: 'bezwaar gemaakt', expired: 'verlopen' }, en: { active: 'subscribed', pending: 'awaiting confirmation', withdrawn: 'unsubscribed', objected: 'objected', expired: 'expired' } },
} as const;

type Key = Exclude<keyof typeof T, 'status'>;
const tx = (lang: Language, k: Key): string => T[k][lang];

const postForm = (action: string, fields: Record<string, string>, label: string, secondary = false): SafeHtml =>
  html`<form method="post" action="${action}">${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit"${secondary ? html` class="secondary"` : ''}>${label}</button></form>`;

/** GET /manage: the address field. `error` shows a field error (400). */
export function manageAskPage(ctx: PageContext, error?: string): string {
  const { lang } = ctx;
  return messagePage(ctx, {
    title: tx(lang, 'askTitle'),
    paragraphs: [tx(lang, 'askIntro')],
    extra: html`${error ? html`<p class="alert" role="alert">${error}</p>` : ''}<form method="post" action="/manage?lang=${lang}">
<label for="email">${tx(lang, 'email')}</label><input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">${tx(lang, 'send')}</button></form>`,
  });
}

/** POST /manage: the same answer whether or not the address is known. */
export function manageSentPage(ctx: PageContext): string {
  return messagePage(ctx, { title: tx(ctx.lang, 'sentTitle'), paragraphs: [tx(ctx.lang, 'sent')], tone: 'success' });
}

/** GET /manage/:token: the overview with one form per right. */
export function manageOverviewPage(
  ctx: PageContext,
  view: {
    token: string;
    contact: { email: string; firstName: string | null; lastName: string | null };
    purposes: ManagedPurpose[];
    customerOffers: 'received' | 'stopped' | null;
  },
): string {
  const { lang } = ctx;
  const base = `/manage/${view.token}`;
  const q = `?lang=${lang}`;
  const statusText = (s: string | null) => (s ? (T.status[lang] as Record<string, string>)[s] ?? s : '—');
  return messagePage(ctx, {
    title: tx(lang, 'askTitle'),
    paragraphs: [tx(lang, 'overview')],
    extra: html`<p><strong>${view.contact.email}</strong></p>
<h2>${tx(lang, 'mail')}</h2>
<ul class="purposes">${view.purposes.map(
      (p) => html`<li>${p.name}: ${statusText(p.status)}
${p.canWithdraw ? postForm(`${base}/purpose${q}`, { purposeId: p.id, action: 'withdraw' }, tx(lang, 'withdraw'), true) : ''}
${p.canSubscribe ? postForm(`${base}/purpose${q}`, { purposeId: p.id, action: 'subscribe' }, tx(lang, 'subscribe')) : ''}</li>`,
    )}${view.customerOffers ? html`<li>${tx(lang, 'customerOffers')}: ${tx(lang, view.customerOffers === 'received' ? 'customerReceived' : 'customerStopped')}</li>` : ''}</ul>
<h2>${tx(lang, 'name')}</h2>
<form method="post" action="${base}/name${q}"><label for="firstName">${tx(lang, 'first')}</label><input id="firstName" name="firstName" type="text" autocomplete="given-name" value="${view.contact.firstName ?? ''}">
<label for="lastName">${tx(lang, 'last')}</label><input id="lastName" name="lastName" type="text" autocomplete="family-name" value="${view.contact.lastName ?? ''}"><button type="submit">${tx(lang, 'save')}</button></form>
<h2>${tx(lang, 'download')}</h2>
<div class="actions">${postForm(`${base}/export${q}`, { format: 'json' }, 'JSON', true)}${postForm(`${base}/export${q}`, { format: 'csv' }, 'CSV', true)}</div>
<h2>${tx(lang, 'object')}</h2><p>${tx(lang, 'objectIntro')}</p>${postForm(`${base}/object${q}`, {}, tx(lang, 'objectBtn'), true)}
<h2>${tx(lang, 'erase')}</h2><p>${tx(lang, 'eraseIntro')}</p>${postForm(`${base}/erase${q}`, {}, tx(lang, 'erase'), true)}`,
  });
}

/** POST /manage/:token/erase without confirmation: the confirmation step (GDPR 17). */
export function manageEraseConfirmPage(ctx: PageContext, token: string): string {
  const { lang } = ctx;
  return messagePage(ctx, {
    title: tx(lang, 'erase'),
    paragraphs: [tx(lang, 'eraseIntro')],
    extra: html`${postForm(`/manage/${token}/erase?lang=${lang}`, { confirm: 'yes' }, tx(lang, 'eraseConfirm'))}<p><a href="/manage/${token}?lang=${lang}">${tx(lang, 'back')}</a></p>`,
  });
}

/** After erasure. */
export function manageErasedPage(ctx: PageContext): string {
  return messagePage(ctx, { title: tx(ctx.lang, 'erasedTitle'), paragraphs: [tx(ctx.lang, 'eraseIntro')], tone: 'success' });
}

/** After any other change: a short confirmation and the way back to the overview. */
export function manageDonePage(ctx: PageContext, token: string, message: string): string {
  return messagePage(ctx, {
    title: tx(ctx.lang, 'done'),
    paragraphs: [message],
    tone: 'success',
    extra: html`<p><a href="/manage/${token}?lang=${ctx.lang}">${tx(ctx.lang, 'back')}</a></p>`,
  });
}
