/**
 * Composing outgoing mail (DESIGN.md "Mail"): campaign messages rendered from Liquid templates with the legally
 * required footer and List-* headers, the double opt-in mail and generic service mail. Pure apart from
 * `messageIdFor`'s randomness: no I/O. Every value that ends up in a header is checked, so header injection
 * through a subject, name, address or URL is impossible; everything else is HTML-escaped in the HTML part.
 */
import { randomBytes } from 'node:crypto';
import { Liquid } from 'liquidjs';
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import type { OutgoingMessage } from './message.js';
import { button, esc, identityLines, layout, link, p, paragraphsHtml, sentence, tHtml, tText, transactionalFooter } from './texts.js';

export interface CampaignMessageInput {
  org: Organisation;
  language: Language;
  /** `email` is the display form of the recipient's address; names feed the Liquid variables only. */
  contact: { email: string; firstName: string | null; lastName: string | null };
  /** `body`: Liquid template of plain text, paragraphs separated by blank lines. */
  campaign: { subject: string; body: string; purposeName: string };
  /**
   * Why this person receives it, for the footer (Tw 11.7; the decision's basis): their consent (default), being a
   * customer (customer exception), an employee, an address published for offers, or earlier consent being renewed.
   */
  reason?: FooterReason;
  /** https URLs (http only on localhost); `unsubscribe` carries a signed token and goes into List-Unsubscribe. */
  links: { unsubscribe: string; privacy: string; manage?: string };
  messageId: string;
  envelopeFrom: string;
  /** RFC 2919 list identifier without angle brackets, e.g. "tips.koffie.example". */
  listId: string;
}

/** The footer's "why you receive this" sentence. */
export type FooterReason = 'consent' | 'customer' | 'staff' | 'business' | 'repermission';

export interface ConfirmationMessageInput {
  org: Organisation;
  language: Language;
  email: string;
  /** Names of the purposes the person asked for, in the recipient's language. */
  purposeNames: string[];
  confirmUrl: string;
  privacyUrl: string;
  messageId: string;
  envelopeFrom: string;
}

export interface ServiceMessageInput {
  org: Organisation;
  language: Language;
  email: string;
  subject: string;
  /** Plain-text paragraphs (already in the recipient's language); newlines inside one become line breaks. */
  paragraphs: string[];
  action?: { label: string; url: string };
  privacyUrl: string;
  messageId: string;
  envelopeFrom: string;
}

/** The one Liquid engine: no file access (`templates: {}` makes include/render fail), strict, bounded. */
const liquid = new Liquid({
  strictFilters: true,
  strictVariables: true,
  templates: {},
  parseLimit: 1_000_000,
  renderLimit: 2_000,
  memoryLimit: 50_000_000,
});

const MAX_SUBJECT = 250;

/**
 * Composes one campaign message for one contact: Liquid-rendered subject and body, the footer in the contact's
 * language (why they receive it, sender identity, unsubscribe, privacy and manage links) and the headers
 * List-Unsubscribe, List-Unsubscribe-Post (RFC 8058) and List-Id (RFC 2919).
 * Liquid variables: `first_name`, `last_name`, `email`, `organisation` (null names render empty).
 * @returns an `OutgoingMessage`; To is the bare address, From `"fromName or org name" <fromAddress>`
 * @throws Error naming "subject" or "body" and the line for a template error; Error for a rendered subject that
 *   is empty, longer than 250 characters or holds CR/LF; Error for an unusable address, URL or list id
 * @example composeCampaignMessage({ org, language: 'nl', contact, campaign, links, messageId: messageIdFor('koffie.example'), envelopeFrom, listId: 'tips.koffie.example' })
 */
export function composeCampaignMessage(input: CampaignMessageInput): OutgoingMessage {
  const { org, language: lang, contact, campaign, links } = input;
  const unsubscribe = checkUrl('links.unsubscribe', links.unsubscribe);
  const privacy = checkUrl('links.privacy', links.privacy);
  const manage = links.manage === undefined ? null : checkUrl('links.manage', links.manage);
  const listId = checkListId(input.listId);
  const vars = {
    first_name: contact.firstName ?? null,
    last_name: contact.lastName ?? null,
    email: contact.email,
    organisation: org.name,
  };
  const subject = checkSubject(renderTemplate('subject', campaign.subject, vars));
  const body = renderTemplate('body', campaign.body, vars).trim();
  const v = { purpose: campaign.purposeName, org: org.name };

  const textFooter = [
    sentence(tText(lang, `footer.reason.${input.reason ?? 'consent'}`, v)),
    `${tText(lang, 'footer.unsubscribeLead')} ${unsubscribe}`,
    ...(manage ? [`${tText(lang, 'footer.manage')}: ${manage}`] : []),
    `${tText(lang, 'footer.privacy')}: ${privacy}`,
    '',
    ...identityLines(org, lang),
  ];
  const htmlLinks = [
    link(unsubscribe, tHtml(lang, 'footer.unsubscribe')),
    ...(manage ? [link(manage, tHtml(lang, 'footer.manage'))] : []),
    link(privacy, tHtml(lang, 'footer.privacy')),
  ].join(' &middot; ');
  const htmlFooter = [p(sentence(tHtml(lang, `footer.reason.${input.reason ?? 'consent'}`, v))), p(htmlLinks), p(identityLines(org, lang).map(esc).join('<br>'))];

  return {
    ...envelope({ ...input, email: contact.email }, org),
    subject,
    text: `${body}\n\n---\n${textFooter.join('\n')}\n`,
    html: layout(lang, paragraphsHtml(body), htmlFooter.join('\n')),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${quotePhrase(org.name)} <${listId}>`,
    },
  };
}

/**
 * Composes the double opt-in mail: which purposes the person asked for at which organisation, one link to the
 * confirm page (which itself needs a button press), "ignore this if it was not you", identity and privacy link.
 * Transactional: no List-Unsubscribe; carries `Auto-Submitted: auto-generated` (RFC 3834).
 * @throws Error for an empty purpose list or an unusable address or URL
 */
export function composeConfirmationMessage(input: ConfirmationMessageInput): OutgoingMessage {
  const { org, language: lang } = input;
  if (input.purposeNames.length === 0) throw new Error('purposeNames: at least one purpose is required');
  const confirm = checkUrl('confirmUrl', input.confirmUrl);
  const privacy = checkUrl('privacyUrl', input.privacyUrl);
  const v = { org: org.name };
  const names = input.purposeNames.map((n) => n.trim());
  const text = [
    tText(lang, 'confirm.greeting'),
    `${tText(lang, 'confirm.asked', v)}\n${names.map((n) => `- ${n}`).join('\n')}`,
    tText(lang, 'confirm.instruction'),
    confirm,
    tText(lang, 'confirm.ignore'),
  ].join('\n\n');
  const html = [
    p(tHtml(lang, 'confirm.greeting')),
    p(tHtml(lang, 'confirm.asked', v)) +
      `<ul style="margin:0 0 16px 0;padding-left:24px">${names.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    p(tHtml(lang, 'confirm.instruction')),
    button(confirm, tHtml(lang, 'confirm.button')),
    p(`<span style="font-size:13px;color:#555">${esc(confirm)}</span>`),
    p(tHtml(lang, 'confirm.ignore')),
  ].join('\n');
  const footer = transactionalFooter(org, lang, 'confirm.reason', privacy);
  return {
    ...envelope(input, org),
    subject: checkSubject(tText(lang, 'confirm.subject', v)),
    text: `${text}\n\n---\n${footer.text}\n`,
    html: layout(lang, html, footer.html),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * Composes a generic transactional mail (e.g. a "manage my data" link, an e-book delivery): subject, plain-text
 * paragraphs, an optional single action link with its label, and the identity footer with the privacy link.
 * @throws Error for a subject that is empty, too long or multi-line, or an unusable address or URL
 */
export function composeServiceMessage(input: ServiceMessageInput): OutgoingMessage {
  const { org, language: lang } = input;
  const privacy = checkUrl('privacyUrl', input.privacyUrl);
  const action = input.action ? { label: input.action.label.trim(), url: checkUrl('action.url', input.action.url) } : null;
  const paragraphs = input.paragraphs.map((x) => x.trim()).filter((x) => x !== '');
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n');
  const html = [
    ...paragraphs.map((x) => p(esc(x).replace(/\r?\n/g, '<br>'))),
    ...(action ? [button(action.url, esc(action.label)), p(`<span style="font-size:13px;color:#555">${esc(action.url)}</span>`)] : []),
  ].join('\n');
  const footer = transactionalFooter(org, lang, 'service.reason', privacy);
  return {
    ...envelope(input, org),
    subject: checkSubject(input.subject),
    text: `${text}\n\n---\n${footer.text}\n`,
    html: layout(lang, html, footer.html),
    headers: {},
  };
}

/**
 * A fresh, unguessable Message-ID (without angle brackets) at `domain`.
 * @example messageIdFor('koffie.example') // "q7Yx…3a@koffie.example"
 * @throws Error for a domain that is not a plain (ASCII/punycode) host name
 */
export function messageIdFor(domain: string): string {
  return `${randomBytes(18).toString('base64url')}@${checkDomain(domain)}`;
}

/**
 * The VERP envelope sender for one delivery: `bounces+<token>@<domain of fromAddress>`.
 * @param token short id naming the delivery: letters, digits, `-`, `_`, `.`, `=`; at most 56 characters
 *   (the local part may not exceed 64)
 * @example verpAddress('nieuws@koffie.example', 'd42') // "bounces+d42@koffie.example"
 * @throws Error for a bad token or a from address without a usable domain
 */
export function verpAddress(fromAddress: string, token: string): string {
  if (!/^[A-Za-z0-9_.=-]{1,56}$/.test(token) || token.startsWith('.') || token.endsWith('.') || token.includes('..')) {
    throw new Error(`verpAddress: token "${token}" must be 1-56 characters of letters, digits, - _ . =`);
  }
  const at = fromAddress.lastIndexOf('@');
  if (at < 1) throw new Error(`verpAddress: "${fromAddress}" is not an e-mail address`);
  return `bounces+${token}@${checkDomain(fromAddress.slice(at + 1))}`;
}

function envelope(
  input: { email: string; messageId: string; envelopeFrom: string },
  org: Organisation,
): Pick<OutgoingMessage, 'from' | 'to' | 'replyTo' | 'messageId' | 'envelopeFrom'> {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(input.messageId)) throw new Error('messageId: expected "<random>@<domain>" without brackets');
  return {
    from: `${quoteName(org.fromName ?? org.name)} <${checkAddress('org.fromAddress', org.fromAddress)}>`,
    to: checkAddress('email', input.email),
    replyTo: checkAddress('org.replyTo', org.replyTo),
    messageId: input.messageId,
    envelopeFrom: checkAddress('envelopeFrom', input.envelopeFrom),
  };
}

function renderTemplate(part: 'subject' | 'body', template: string, vars: Record<string, unknown>): string {
  try {
    return liquid.parseAndRenderSync(template, vars) as string;
  } catch (e) {
    const err = e as Error & { token?: { getPosition?: () => [number, number] } };
    const pos = err.token?.getPosition?.();
    const where = pos ? ` at line ${pos[0]}, column ${pos[1]}` : '';
    const msg = (err.message ?? String(e)).replace(/, line:\d+, col:\d+$/, '');
    throw new Error(`${part} template error${where}: ${msg}`, { cause: e });
  }
}

function checkSubject(raw: string): string {
  if (/[\r\n]/.test(raw)) throw new Error('subject: must be one line (it contains a line break, CR or LF)');
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new Error('subject: contains a control character');
  const s = raw.trim();
  if (s === '') throw new Error('subject: is empty after rendering');
  if (s.length > MAX_SUBJECT) throw new Error(`subject: is ${s.length} characters; at most ${MAX_SUBJECT} allowed`);
  return s;
}

function checkAddress(field: string, address: string): string {
  if (!/^[^\s<>,;:"()\\[\]@]+@[^\s<>,;:"()\\[\]@]+$/u.test(address)) {
    throw new Error(`${field}: "${address}" is not a usable e-mail address`);
  }
  return address;
}

function checkDomain(domain: string): string {
  const d = domain.toLowerCase();
  if (!/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(d)) {
    throw new Error(`domain "${domain}" is not a plain host name (use punycode for international names)`);
  }
  return d;
}

/** https only (RFC 8058 requires it for one-click unsubscribe); plain http is allowed for localhost development. */
function checkUrl(field: string, url: string): string {
  if (/[\s<>"'\\\u0000-\u001f\u007f]/.test(url)) throw new Error(`${field}: URL contains spaces, quotes, <, > or control characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${field}: "${url}" is not an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new Error(`${field}: must be an https:// URL (http:// only for localhost), got "${url}"`);
  }
  return url;
}

function checkListId(listId: string): string {
  if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(listId) || listId.length > 255) {
    throw new Error(`listId: "${listId}" must be a dotted identifier such as "tips.koffie.example"`);
  }
  return listId;
}

/** A display name as a quoted string on one line (nodemailer encodes it for the From header when not ASCII). */
function quoteName(name: string): string {
  return `"${name.replace(/\s+/g, ' ').trim().replace(/["\\]/g, '\\$&')}"`;
}

/** A header phrase on one line: a quoted string, or RFC 2047 encoded words (UTF-8, base64) when not ASCII. */
function quotePhrase(name: string): string {
  const one = name.replace(/\s+/g, ' ').trim();
  if (/^[\x20-\x7e]*$/.test(one)) return quoteName(one);
  const words: string[] = [];
  let chunk = '';
  for (const ch of one) {
    if (Buffer.byteLength(chunk + ch) > 45) (words.push(chunk), (chunk = ''));
    chunk += ch;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}
