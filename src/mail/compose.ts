/**
 * Composing outgoing mail (DESIGN.md "Mail"): campaign messages (compiled once per campaign and language in
 * `compile.ts`), the double opt-in mail and generic service mail, all in the one layout of `layout.ts`. Pure apart
 * from `messageIdFor`'s randomness: no I/O. Every value that ends up in a header is checked (`checks.ts`), so
 * header injection through a subject, name, address or URL is impossible; everything else is HTML-escaped in the
 * HTML part.
 */
import { randomBytes } from 'node:crypto';
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import { checkDomain, checkSubject, checkUrl, envelope } from './checks.js';
import { compileCampaign, composeCompiled, type FooterReason } from './compile.js';
import { buttonHtml, layout, urlLineHtml } from './layout.js';
import type { BodyFormat } from './markdown.js';
import type { OutgoingMessage } from './message.js';
import { esc, p, tHtml, tText, transactionalFooter } from './texts.js';

export type { FooterReason } from './compile.js';

export interface CampaignMessageInput {
  org: Organisation;
  /** The language of the message: the footer's texts follow it. */
  language: Language;
  /** `email` is the display form of the recipient's address; names feed the Liquid variables only. */
  contact: { email: string; firstName: string | null; lastName: string | null };
  /** `body`: Liquid template of Markdown, or of plain text (the default: paragraphs separated by blank lines). */
  campaign: { subject: string; body: string; purposeName: string; format?: BodyFormat };
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

export interface ConfirmationMessageInput {
  org: Organisation;
  language: Language;
  email: string;
  /** Names of the purposes the person asked for, in the recipient's language (may be empty with `itemName`). */
  purposeNames: string[];
  /**
   * The name of a requested item (lead magnet) that confirming the address delivers, in the recipient's
   * language; the mail then says so, and with no purpose names it asks to confirm the address only.
   */
  itemName?: string;
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

/**
 * Composes one campaign message for one contact by compiling it first; for one message (a personal message, a
 * check). A campaign sent to many compiles once (`compileCampaign`) and calls `composeCompiled` per contact.
 * Liquid variables: `first_name`, `last_name`, `email`, `organisation` (null names render empty).
 * @returns an `OutgoingMessage`; To is the bare address, From `"fromName or org name" <fromAddress>`
 * @throws Error naming "subject" or "body" and the line for a template error; Error for a rendered subject that
 *   is empty, longer than 250 characters or holds CR/LF; Error for an unusable address, URL or list id
 * @example composeCampaignMessage({ org, language: 'nl', contact, campaign, links, messageId: messageIdFor('koffie.example'), envelopeFrom, listId: 'tips.koffie.example' })
 */
export function composeCampaignMessage(input: CampaignMessageInput): OutgoingMessage {
  const { campaign, links } = input;
  const compiled = compileCampaign({
    org: input.org,
    language: input.language,
    format: campaign.format ?? 'text',
    subject: campaign.subject,
    body: campaign.body,
    purposeName: campaign.purposeName,
    links: { privacy: links.privacy, ...(links.manage !== undefined && { manage: links.manage }) },
  });
  return composeCompiled(compiled, {
    contact: input.contact,
    ...(input.reason && { reason: input.reason }),
    unsubscribe: links.unsubscribe,
    messageId: input.messageId,
    envelopeFrom: input.envelopeFrom,
    listId: input.listId,
  });
}

/**
 * Composes the double opt-in mail: which purposes the person asked for at which organisation, a button to the
 * confirm page (which itself needs a button press) with the link written out below it (wrapping on a phone),
 * "ignore this if it was not you", identity and privacy link. With `itemName` it says that confirming also
 * delivers that item; with an item and no purposes it asks to confirm the address to receive the item.
 * Transactional: no List-Unsubscribe; carries `Auto-Submitted: auto-generated` (RFC 3834).
 * @throws Error for no purpose and no item, or an unusable address or URL
 */
export function composeConfirmationMessage(input: ConfirmationMessageInput): OutgoingMessage {
  const { org, language: lang } = input;
  const item = input.itemName?.trim() || null;
  if (input.purposeNames.length === 0 && !item) throw new Error('purposeNames: at least one purpose or an item is required');
  const confirm = checkUrl('confirmUrl', input.confirmUrl);
  const privacy = checkUrl('privacyUrl', input.privacyUrl);
  const v = { org: org.name };
  // Only an item asked for: the person confirms their address, not a subscription.
  const itemOnly = input.purposeNames.length === 0;
  const names = itemOnly ? [item!] : input.purposeNames.map((n) => n.trim());
  const k = itemOnly
    ? { subject: 'confirm.itemSubject', asked: 'confirm.itemAsked', instruction: 'confirm.itemInstruction', instructionButton: 'confirm.itemInstructionButton', button: 'confirm.itemButton' }
    : { subject: 'confirm.subject', asked: 'confirm.asked', instruction: 'confirm.instruction', instructionButton: 'confirm.instructionButton', button: 'confirm.button' };
  const too = !itemOnly && item ? { text: [tText(lang, 'confirm.itemToo', { item })], html: [p(tHtml(lang, 'confirm.itemToo', { item }))] } : { text: [], html: [] };
  const text = [
    tText(lang, 'confirm.greeting'),
    `${tText(lang, k.asked, v)}\n${names.map((n) => `- ${n}`).join('\n')}`,
    ...too.text,
    tText(lang, k.instruction),
    confirm,
    tText(lang, 'confirm.ignore'),
  ].join('\n\n');
  const html = [
    p(tHtml(lang, 'confirm.greeting')),
    p(tHtml(lang, k.asked, v)) +
      `<ul style="margin:0 0 16px 0;padding-left:24px;line-height:1.6">${names.map((n) => `<li style="margin:0 0 4px 0"><strong>${esc(n)}</strong></li>`).join('')}</ul>`,
    ...too.html,
    p(tHtml(lang, k.instructionButton)),
    buttonHtml(org, confirm, tHtml(lang, k.button)),
    urlLineHtml(confirm),
    p(tHtml(lang, 'confirm.ignore')),
  ].join('\n');
  const footer = transactionalFooter(org, lang, 'confirm.reason', privacy);
  const subject = checkSubject(tText(lang, k.subject, v));
  return {
    ...envelope(input, org),
    subject,
    text: `${text}\n\n---\n${footer.text}\n`,
    html: layout(lang, org, subject, html, footer.html),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * Composes a generic transactional mail (e.g. a "manage my data" link, an e-book delivery): subject, plain-text
 * paragraphs, an optional single action (a button, the link written out below it), and the identity footer with
 * the privacy link.
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
    ...(action ? [buttonHtml(org, action.url, esc(action.label)), urlLineHtml(action.url)] : []),
  ].join('\n');
  const footer = transactionalFooter(org, lang, 'service.reason', privacy);
  const subject = checkSubject(input.subject);
  return {
    ...envelope(input, org),
    subject,
    text: `${text}\n\n---\n${footer.text}\n`,
    html: layout(lang, org, subject, html, footer.html),
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
 * The VERP envelope sender for one delivery: `bounces+<token>@<bounce domain>`, where the bounce domain is
 * BOUNCE_DOMAIN when set (its MX leads to Consentry's SMTP receiver or the polled bounce mailbox) and otherwise
 * the From address's domain.
 * @param token short id naming the delivery: letters, digits, `-`, `_`, `.`, `=`; at most 56 characters
 *   (the local part may not exceed 64)
 * @param bounceDomain the configured bounce domain (Deps.bounceDomain), or null/undefined for the From domain
 * @example verpAddress('nieuws@koffie.example', 'd42') // "bounces+d42@koffie.example"
 * @example verpAddress('nieuws@koffie.example', 'd42', 'bounces.koffie.example') // "bounces+d42@bounces.koffie.example"
 * @throws Error for a bad token or a from address without a usable domain
 */
export function verpAddress(fromAddress: string, token: string, bounceDomain?: string | null): string {
  if (!/^[A-Za-z0-9_.=-]{1,56}$/.test(token) || token.startsWith('.') || token.endsWith('.') || token.includes('..')) {
    throw new Error(`verpAddress: token "${token}" must be 1-56 characters of letters, digits, - _ . =`);
  }
  const at = fromAddress.lastIndexOf('@');
  if (at < 1) throw new Error(`verpAddress: "${fromAddress}" is not an e-mail address`);
  return `bounces+${token}@${checkDomain(bounceDomain ?? fromAddress.slice(at + 1))}`;
}

