/**
 * "Manage my data" (GDPR 12(2), 15–17, 20, 21(3)): a person asks for a link by address and gets it by mail,
 * never learning whether the address is known (12(6) care, no account enumeration); behind the signed link
 * (token action 'manage', valid 24 hours) every change is a POST: withdraw or re-subscribe per purpose
 * (re-subscribing goes through double opt-in again), download the data (15, 20), correct the name (16), object
 * to all direct marketing (21(3), effective at once), erase (17). Each right used is entered in the requests
 * register as received and answered at once, so the register is complete (5(2)).
 */
import { randomUUID } from 'node:crypto';
import { normaliseAddress } from '../../core/address.js';
import { sha256 } from '../../core/ledger-chain.js';
import { signToken, verifyToken } from '../../core/tokens.js';
import type { Language } from '../../core/vocab.js';
import { toCsvText } from '../../core/csv.js';
import { composeServiceMessage, messageIdFor, verpAddress } from '../../mail/compose.js';
import type { Mailer } from '../../mail/message.js';
import { OutboxMailer } from '../../mail/outbox.js';
import { contactByEmail, contactById, updateContact } from '../../store/contacts.js';
import { currentNotice } from '../../store/notices.js';
import { permissionsOf } from '../../store/permissions.js';
import { listPurposes, purposeById } from '../../store/purposes.js';
import type { ContactRow } from '../../store/schema.js';
import { getOrganisation } from '../../store/settings.js';
import { suppressionEntry } from '../../store/suppressions.js';
import { suppressionHash } from '../../core/suppression.js';
import { checkName } from '../../core/names.js';
import { purchasesOf } from '../../store/relationships.js';
import { boxLabel } from '../organisation/setup.js';
import type { Data, Deps } from '../deps.js';
import { eraseContact } from './erase.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { contactEvidence } from './evidence.js';
import { privacyUrl } from '../consent/links.js';
import { sendConfirmationMail } from '../consent/notify.js';
import { changePermission, endPermission, objectToCustomerMail } from '../consent/permission-change.js';
import { addRequest, completeRequest, listRequestViews } from './requests.js';
import { tokenError } from '../consent/token-errors.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

/** Manage links stay valid this long (ms): 24 hours. */
export const MANAGE_TTL_MS = 24 * 3600 * 1000;
const MARKETING = new Set(['purpose_marketing', 'customer_marketing', 'third_party_promotion', 'repermission']);

/** The folder of the built-in outbox when `mailer` is one, so erasure can clean it; null for SMTP. */
export function outboxFolderOf(mailer: Mailer): string | null {
  return mailer instanceof OutboxMailer ? (mailer as unknown as { folder: string }).folder : null;
}

/**
 * Mails a manage link when the address belongs to a contact; does the same work-free nothing otherwise, so
 * the caller always shows the same page (the answer never reveals whether the address is known).
 * @throws DomainError invalid (field 'email') for something that is not an address at all
 */
export async function requestManageLink(deps: Deps, input: { email: string; language: Language }): Promise<void> {
  const address = normaliseAddress(input.email);
  if (!address.ok) throw invalid('email', address.error, 'invalid-email');
  const contact = await contactByEmail(deps.db, address.value.address);
  const org = await getOrganisation(deps.db);
  if (!contact || !org) return;
  const token = signToken(deps.secret, { action: 'manage', subjectId: contact.id, purposeId: null, campaignId: null, expiresAt: deps.clock.now().getTime() + MANAGE_TTL_MS });
  const nl = input.language === 'nl';
  await deps.mailer.send(
    composeServiceMessage({
      org,
      language: input.language,
      email: address.value.display,
      subject: nl ? 'Uw gegevens beheren' : 'Manage your data',
      paragraphs: [
        nl ? 'U vroeg om een link om uw gegevens bij ons in te zien, te downloaden, te verbeteren of te laten wissen.' : 'You asked for a link to see, download, correct or erase the data we hold about you.',
        nl ? 'De link werkt 24 uur. Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren.' : 'The link works for 24 hours. If you did not ask for it, you can ignore this e-mail.',
      ],
      action: { label: nl ? 'Mijn gegevens beheren' : 'Manage my data', url: `${deps.baseUrl}/manage/${token}` },
      privacyUrl: privacyUrl(deps),
      messageId: messageIdFor(org.fromAddress.slice(org.fromAddress.lastIndexOf('@') + 1)),
      envelopeFrom: verpAddress(org.fromAddress, 'manage', deps.bounceDomain),
    }),
  );
}

/**
 * The contact a manage token names.
 * @throws DomainError invalid/gone for a bad or expired link; gone ('erased') when the person was erased
 */
export async function manageSubject(deps: Deps, token: string): Promise<ContactRow> {
  const v = verifyToken(deps.secret, token, 'manage', deps.clock.now().getTime());
  if (!v.ok) throw tokenError(v.error);
  const contact = await contactById(deps.db, v.claims.subjectId);
  if (!contact) throw new DomainError('gone', 'there is no data about you any more', undefined, 'erased');
  return contact;
}

export interface ManagedPurpose {
  id: string;
  name: string;
  /** null when the person has no permission for it. */
  status: string | null;
  basis: string | null;
  canWithdraw: boolean;
  canSubscribe: boolean;
}

/** What the manage page shows: profile and one line per marketing purpose. */
export async function manageOverview(deps: Deps, token: string, lang: Language) {
  const contact = await manageSubject(deps, token);
  const perms = await permissionsOf(deps.db, contact.id);
  const purposes: ManagedPurpose[] = (await listPurposes(deps.db))
    .filter((p) => MARKETING.has(p.category) || perms.some((x) => x.purpose_id === p.id))
    .map((p) => {
      const perm = perms.find((x) => x.purpose_id === p.id);
      const live = perm?.status === 'active' || perm?.status === 'pending';
      return {
        id: p.id,
        name: lang === 'nl' ? p.name_nl : p.name_en,
        status: perm?.status ?? null,
        basis: perm?.basis ?? null,
        canWithdraw: live && perm!.basis !== 'A6-1-b' && perm!.basis !== 'A6-1-c',
        canSubscribe: p.category === 'purpose_marketing' && !live,
      };
    });
  const customer = (await purchasesOf(deps.db, contact.id)).length > 0;
  return {
    contact: { email: contact.email, firstName: contact.first_name, lastName: contact.last_name, customerOptedOut: contact.customer_opted_out === 1 },
    purposes,
    /** A customer may get offers for similar products without a subscription (customer exception, Tw 11.7(3)). */
    customerOffers: customer ? (contact.customer_opted_out === 1 ? ('stopped' as const) : ('received' as const)) : null,
  };
}

/** Registers a right used on the page as received and answered now (GDPR 12(3), 5(2)). */
async function logRight(deps: Deps, contactId: string, kind: string, outcome: string): Promise<void> {
  const r = await addRequest(deps, { kind, channel: 'web', contact: contactId });
  await completeRequest(deps, r.id, outcome);
}

/**
 * Withdraws consent (GDPR 7(3)) or legitimate-interest marketing for one purpose, effective at once.
 * @throws DomainError invalid (field 'purposeId') when there is nothing to withdraw
 */
export async function withdrawPurpose(deps: Deps, token: string, purposeId: string): Promise<void> {
  const contact = await manageSubject(deps, token);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const p = (await permissionsOf(trx, contact.id)).find((x) => x.purpose_id === purposeId);
    if (!p || (p.status !== 'active' && p.status !== 'pending') || p.basis === 'A6-1-b' || p.basis === 'A6-1-c')
      throw invalid('purposeId', `there is no permission to withdraw for "${purposeId}"`, 'nothing-to-withdraw');
    await endPermission(trx, p, { event: 'withdrawn', occurredAt: now, details: { channel: 'manage-page' } }, now);
    const data = { contactId: contact.id, purposes: [purposeId], scope: 'purpose', channel: 'manage-page', campaignId: null };
    await queueWebhookEvent(trx, 'contact.unsubscribed', data, now, { contactId: contact.id });
  });
}

/**
 * Re-subscribes through double opt-in (GDPR 7(1); E5): records the request with the text and notice version
 * shown and mails a confirmation link; the permission becomes active only when the person confirms.
 * @throws DomainError invalid for a purpose that is not a newsletter; unavailable with no published notice
 */
export async function resubscribePurpose(deps: Deps, token: string, purposeId: string, lang: Language): Promise<void> {
  const contact = await manageSubject(deps, token);
  const purpose = await purposeById(deps.db, purposeId);
  if (!purpose || purpose.category !== 'purpose_marketing') throw invalid('purposeId', `"${purposeId}" is not a newsletter you can subscribe to`, 'unknown-purpose');
  const notice = await currentNotice(deps.db);
  if (!notice) throw new DomainError('unavailable', 'no privacy notice is published', undefined, 'no-notice');
  const now = deps.clock.now();
  const label = boxLabel(purpose, lang);
  const requestId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    const existing = (await permissionsOf(trx, contact.id)).find((x) => x.purpose_id === purposeId);
    if (existing?.status === 'active') throw invalid('purposeId', `you already receive "${purposeId}"`, 'already-subscribed');
    const keep = existing?.status === 'withdrawn' || existing?.status === 'objected' ? existing.status : 'pending';
    await changePermission(trx, {
      contactId: contact.id, purposeId, event: 'requested', basis: 'A6-1-a', status: keep as 'pending', method: 'double_opt_in', sourceKind: 'form',
      occurredAt: now, ...(keep === 'pending' ? { givenAt: now, confirmedAt: null } : {}), noticeVersion: notice.version,
      details: { channel: 'manage-page', request: requestId, language: lang, textShown: label, textHash: sha256(label), noticeVersion: notice.version },
      personal: { email: contact.email },
    }, now);
  });
  await sendConfirmationMail(deps, { contactId: contact.id, email: contact.email, purposeIds: [purposeId], requestId, language: lang });
}

/**
 * Corrects the name (GDPR 16). Empty strings clear a field.
 * @throws DomainError invalid naming 'firstName' or 'lastName' for a control character or more than 100 characters
 */
export async function correctName(deps: Deps, token: string, input: { firstName: string; lastName: string }): Promise<void> {
  const contact = await manageSubject(deps, token);
  await rectifyName(deps, contact.id, input);
  await logRight(deps, contact.id, 'rectification', 'name corrected on the manage page');
}

/**
 * Rectifies a contact's name (GDPR 16) for the manage page and the admin app. Empty strings clear a field.
 * @throws DomainError invalid naming 'firstName' or 'lastName'; not_found for an unknown contact
 */
export async function rectifyName(deps: Data & Pick<Deps, 'clock'>, contactId: string, input: { firstName: string; lastName: string }): Promise<void> {
  const first = checkName(input.firstName);
  if (!first.ok) throw invalid('firstName', `firstName: ${first.error}`, 'invalid-name');
  const last = checkName(input.lastName);
  if (!last.ok) throw invalid('lastName', `lastName: ${last.error}`, 'invalid-name');
  if (!(await contactById(deps.db, contactId))) throw notFound(`no contact "${contactId}"`, 'unknown-contact');
  await updateContact(deps.db, contactId, { first_name: first.value || null, last_name: last.value || null, updated_at: deps.clock.now().toISOString() });
}

/**
 * Objects to all direct marketing (GDPR 21(2)–(3), Tw 11.7), effective at once: every marketing permission
 * becomes 'objected' and customer mail stops (customer_opted_out). Service mail on a contract stays possible.
 * @returns the purposes objected to
 */
export async function objectToMarketing(deps: Deps, token: string): Promise<string[]> {
  const contact = await manageSubject(deps, token);
  const now = deps.clock.now();
  const done: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const purposes = new Map((await listPurposes(trx)).map((p) => [p.id, p.category]));
    for (const p of await permissionsOf(trx, contact.id)) {
      if (!MARKETING.has(purposes.get(p.purpose_id) ?? '') || p.status === 'objected' || p.basis === 'A6-1-b' || p.basis === 'A6-1-c') continue;
      await endPermission(trx, p, { event: 'objected', occurredAt: now, details: { channel: 'manage-page', objection: 'direct marketing (GDPR 21(3))' } }, now);
      done.push(p.purpose_id);
    }
    await objectToCustomerMail(trx, contact.id, { purposeId: null, occurredAt: now, details: { channel: 'manage-page', objection: 'direct marketing (GDPR 21(3))' } }, now);
    const data = { contactId: contact.id, purposes: done, scope: 'all', channel: 'manage-page', campaignId: null };
    await queueWebhookEvent(trx, 'contact.unsubscribed', data, now, { contactId: contact.id });
  });
  await logRight(deps, contact.id, 'objection', `objected to direct marketing: ${done.join(', ') || 'customer mail'}`);
  return done;
}

/**
 * Erases the person (GDPR 17(1)); the page asks for confirmation first. The built-in outbox is cleaned too.
 * @param outboxDir the outbox folder (default: the mailer's, when it is the built-in outbox)
 */
export async function eraseMe(deps: Deps, token: string, outboxDir?: string | null): Promise<void> {
  const contact = await manageSubject(deps, token);
  await logRight(deps, contact.id, 'erasure', 'erased on the manage page');
  await eraseContact(deps, contact.id, 'manage-page:art17', { outboxDir: outboxDir ?? outboxFolderOf(deps.mailer) });
}

/** A download: file name, media type and body. */
export interface DataDownload {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * The person's data (GDPR 15 access, 20 portability): profile, permissions with their full evidence history,
 * events about no single purpose, deliveries (with the SMTP reply and each bounce or complaint with its time,
 * source and status), the suppression (reason and since when) and requests, as JSON or as CSV
 * (RFC 4180, one row per record: section, id, purpose, type/status, basis, time, details as JSON; formula cells
 * made inert for spreadsheets, core/csv.ts).
 */
export async function exportMyData(deps: Deps, token: string, format: 'json' | 'csv'): Promise<DataDownload> {
  const contact = await manageSubject(deps, token);
  await logRight(deps, contact.id, format === 'csv' ? 'access' : 'portability', `data downloaded as ${format}`);
  return personalDataExport(deps, contact.id, format);
}

/**
 * One contact's data as `exportMyData` gives it to the person, for the admin app answering an access or
 * portability request (GDPR 15, 20). @throws DomainError not_found
 */
export async function personalDataExport(deps: Data & Pick<Deps, 'clock' | 'secret'>, contactId: string, format: 'json' | 'csv'): Promise<DataDownload> {
  const ev = await contactEvidence(deps, contactId);
  const requests = await listRequestViews(deps, { contactId });
  const c = ev.contact;
  const listed = await suppressionEntry(deps.db, suppressionHash(deps.secret, c.email));
  const suppression = listed ? { reason: listed.reason, since: listed.since, source: listed.source } : c.suppression ? { reason: c.suppression, since: null, source: null } : null;
  const profile = { id: c.id, email: c.email, firstName: c.first_name, lastName: c.last_name, kind: c.kind, locale: c.locale, source: c.source_kind, sourceRef: c.source_ref, attributes: JSON.parse(c.attributes) as unknown, customerOptedOut: c.customer_opted_out === 1, suppression, createdAt: c.created_at, updatedAt: c.updated_at };
  const eventsOf = (id: string) => ev.deliveryEvents.filter((e) => e.delivery_id === id)
    .map((e) => ({ kind: e.kind, occurredAt: e.occurred_at, source: e.source, status: e.status, diagnostic: e.diagnostic, suppression: e.suppression }));
  const deliveries = ev.deliveries.map((d) => ({ campaignId: d.campaign_id, state: d.state, basis: d.basis, reasons: JSON.parse(d.reasons) as string[], sentAt: d.sent_at, smtpReply: d.smtp_reply, messageId: d.message_id, events: eventsOf(d.id) }));
  const data = { generatedAt: deps.clock.now().toISOString(), profile, permissions: ev.permissions, generalEvents: ev.generalEvents, purchases: ev.purchases, deliveries, requests, ledgerChainIntact: ev.chainIntact };
  if (format === 'json') return { filename: 'my-data.json', contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(data, null, 2)}\n` };
  const rows: unknown[][] = [['section', 'id', 'purpose', 'type_or_status', 'basis', 'time', 'details']];
  rows.push(['profile', c.id, '', c.kind, '', c.created_at, profile]);
  for (const p of ev.permissions) {
    rows.push(['permission', p.id, p.purpose_id, p.status, p.basis, p.updated_at, { method: p.method, source: p.source_kind, givenAt: p.given_at, confirmedAt: p.confirmed_at, withdrawnAt: p.withdrawn_at, noticeVersion: p.notice_version }]);
    for (const e of p.history) rows.push(['event', String(e.seq), e.purposeId, e.type, e.basis, e.occurredAt, { details: e.details, personal: e.personal, hash: e.hash }]);
  }
  for (const e of ev.generalEvents) rows.push(['event', String(e.seq), '', e.type, e.basis, e.occurredAt, { details: e.details, personal: e.personal, hash: e.hash }]);
  for (const b of ev.purchases) rows.push(['purchase', '', '', b.productCategory, '', b.purchasedAt, b]);
  for (const d of deliveries) {
    rows.push(['delivery', d.messageId, '', d.state, d.basis, d.sentAt, d]);
    for (const e of d.events) rows.push(['delivery_event', d.messageId, '', e.kind, '', e.occurredAt, e]);
  }
  if (suppression) rows.push(['suppression', '', '', suppression.reason, '', suppression.since, suppression]);
  for (const r of requests) rows.push(['request', r.id, '', r.kind, '', r.receivedAt, r]);
  return { filename: 'my-data.csv', contentType: 'text/csv; charset=utf-8', body: toCsvText(rows) };
}
