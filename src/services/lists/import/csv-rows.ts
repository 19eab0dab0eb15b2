/**
 * What one row of a generic CSV/TSV import does. Consent is recorded only where the source can carry it
 * (own form exports, third parties); third-party rows without evidence and public profiles get a permission the
 * gate blocks (B1, B3); customer records and trade-fair cards get no consent at all (B4, customer exception is
 * decided from purchases). Suppressed and withdrawn addresses are never (re)subscribed (E5).
 */
import { randomUUID } from 'node:crypto';
import { normaliseAddress, notForMailings } from '../../../core/address.js';
import { cleanName } from '../../../core/names.js';
import { parseDate } from '../../../core/dates.js';
import { suppressionHash } from '../../../core/suppression.js';
import type { ContactKind, LawfulBasis } from '../../../core/vocab.js';
import { contactByEmail, insertContact, updateContact } from '../../../store/contacts.js';
import { permissionFor } from '../../../store/permissions.js';
import { suppressionOf } from '../../../store/suppressions.js';
import { changePermission, endPermission, objectToCustomerMail } from '../../consent/permission-change.js';
import { SOURCE_ARGS, type Field, type SourceArg } from './columns.js';
import { EARLIEST_CONSENT, recordOptOut, type RowScope } from './mailchimp-rows.js';
import { refuse, type RowRefusal } from './refusals.js';

export interface CsvScope extends RowScope {
  /** Ids of the contacts this batch imported or updated (first occurrence only), for the report's mailability. */
  imported: string[];
  source: SourceArg;
  basis: LawfulBasis;
  /** --date: when the list's consent was collected, used when a row has no opt-in time. */
  date: Date | null;
  format: string;
  /** A third party's evidence (--evidence) names this organisation and this purpose (B2), as the importer stated. */
  thirdPartyDocumented: boolean;
  /**
   * Every row of the file is an opt-out, for this reason: a Mailchimp unsubscribed export (its header has
   * UNSUB_TIME) or cleaned export (CLEAN_TIME, addresses that bounced); null for other files.
   */
  optOutFile: 'imported_unsubscribed' | 'imported_cleaned' | null;
  /** The file has a consent column (yes/no). */
  consentColumn: boolean;
}

/** One row after column resolution: known fields and the leftover columns. */
export interface MappedRow {
  get(f: Field): string;
  attributes: Record<string, string>;
}

/**
 * What a row says about the person's subscription, in the exports' own words (nl, en, de, fr; Mailchimp, Laposta,
 * Brevo, listmonk, Shopify, Salesforce, HubSpot). Closed lists: a word not listed refuses the row rather than
 * guessing that it means subscribed.
 * - subscribed: may be imported with the row's evidence; an empty status cell (or no status column) means the same.
 * - unsubscribed: becomes a suppression, and ends a permission held here (E5).
 * - unconfirmed: a double opt-in never confirmed — not consent (GDPR 7(1)), so the row is refused.
 * - declined: the person never subscribed (Shopify's not_subscribed, a consent column's no): not imported, but a
 *   customer stays a customer with an objection to marketing mail recorded.
 * A status column holds words only: "1" or "ja" there could mean either "subscribed" or "blocked". Yes/no values
 * are read from an opt-out column (Brevo's BLACKLISTED, "Unsubscribed", "Afgemeld", "Do not email"…), where
 * anything but an explicit no is an opt-out, and from a consent column ("Nieuwsbrief", "Accepts email
 * marketing"…), where a no means the person never opted in. A filled unsubscribe time ("Afgemeld op"), or a
 * Mailchimp unsubscribed or cleaned export as a whole (it has UNSUB_TIME or CLEAN_TIME), is an opt-out too.
 */
const STATUS_WORDS = {
  subscribed: ['subscribed', 'active', 'actief', 'aangemeld', 'ingeschreven', 'enabled', 'confirmed', 'bevestigd', 'opted in', 'optin', 'angemeldet', 'aktiv', 'abonné', 'inscrit', 'actif'],
  unsubscribed: ['unsubscribed', 'afgemeld', 'uitgeschreven', 'opgeschoond', 'geblokkeerd', 'blocklisted', 'blacklisted', 'cleaned', 'bounced', 'complained', 'disabled', 'abgemeldet', 'désabonné', 'désinscrit'],
  unconfirmed: ['unconfirmed', 'pending', 'onbevestigd', 'niet bevestigd', 'wacht op bevestiging', 'unbestätigt', 'ausstehend', 'en attente', 'non confirmé'],
  declined: ['not subscribed', 'never subscribed', 'niet aangemeld', 'nicht angemeldet', 'non inscrit'],
} as const;
type RowStatus = keyof typeof STATUS_WORDS;
const STATUS_OF = new Map<string, RowStatus>(
  (Object.entries(STATUS_WORDS) as Array<[RowStatus, readonly string[]]>).flatMap(([status, words]) => words.map((w) => [w, status] as const)),
);
const YES = new Set(['yes', 'true', '1', 'ja', 'j', 'y', 'oui', 'x']);
const NO = new Set(['no', 'false', '0', 'nee', 'n', 'nein', 'non']);
const word = (cell: string) => cell.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/**
 * The row's subscription status from its status, opt-out, consent and unsubscribe-time cells. An opt-out in any
 * of them wins, so that a bad value elsewhere never loses it.
 * @param s the import: `optOutFile` (a Mailchimp unsubscribed or cleaned export), `consentColumn` (the file has
 *   one), `source` (customers may leave it empty)
 * @returns the status, or `{ refused }` with the reason for a value it cannot read
 */
function rowStatus(r: MappedRow, s: Pick<CsvScope, 'optOutFile' | 'consentColumn' | 'source'>): RowStatus | { refused: RowRefusal } {
  const status = r.get('status').trim();
  const optedOut = r.get('blocklisted').trim();
  const consent = r.get('consent').trim();
  const fromStatus = status === '' ? 'subscribed' : STATUS_OF.get(word(status));
  if (s.optOutFile !== null || r.get('unsubscribed_at').trim() || (optedOut && !NO.has(word(optedOut))) || fromStatus === 'unsubscribed') return 'unsubscribed';
  if (consent && NO.has(word(consent))) return 'declined';
  if (consent && !YES.has(word(consent))) return { refused: refuse('consent-unknown', { field: 'consent', value: consent }, `consent "${consent}" is not yes or no`) };
  // A consent column left empty says nothing: no proof of an opt-in (a customer needs none to stay a customer).
  if (s.consentColumn && !consent && s.source !== 'customer_records') return { refused: refuse('consent-empty', { field: 'consent' }, 'the consent cell is empty: the file does not say this person opted in') };
  if (fromStatus === 'unconfirmed') return { refused: refuse('status-unconfirmed', { field: 'status', value: status }, `status "${status}": the double opt-in was never confirmed, so there is no consent to import`) };
  if (fromStatus) return fromStatus;
  if (YES.has(word(status)) || NO.has(word(status))) {
    return {
      refused: refuse('status-yes-no', { field: 'status', value: status }, `status "${status}" is a yes/no value, which could mean subscribed or blocked: use words (subscribed, unsubscribed…), or --map blocklisted=<header> for an opt-out column, --map consent=<header> for a consent column`),
    };
  }
  return { refused: refuse('status-unknown', { field: 'status', value: status }, `status "${status}" is not known (known: subscribed, unsubscribed, unconfirmed and their synonyms)`) };
}

/**
 * An address as people paste it from a mail program or a list: `Name <a@b.nl>`, `mailto:a@b.nl?subject=…` and a
 * trailing separator or full stop (`a@b.nl;`, `a@b.nl.`) give `a@b.nl`; invisible formatting characters (zero-width
 * space, soft hyphen) and no-break spaces copied along are dropped. Two addresses in one cell stay as they are, for
 * the validator to refuse.
 */
const pastedAddress = (cell: string) =>
  (/<([^<>]*)>\s*$/.exec(cell)?.[1] ?? cell).replace(/\p{Cf}/gu, '').replace(/\u00a0/g, ' ').trim().replace(/^mailto:([^?]*)(\?.*)?$/i, '$1').replace(/[;,.]+$/, '');

/** Local parts of machine addresses, which no person reads (RFC 2142 postmaster; conventional no-reply senders). */
const NO_HUMAN: ReadonlySet<string> = new Set(['noreply', 'no-reply', 'no_reply', 'donotreply', 'do-not-reply', 'mailer-daemon', 'postmaster', 'bounce', 'bounces']);
/** Sources whose rows get a permission for the purpose (customer records and trade-fair cards get none). */
export const CONSENT_SOURCES: ReadonlySet<SourceArg> = new Set(['own_form_export', 'third_party', 'public_profile']);
const OPT_OUT: Record<string, string> = { ja: 'clear', yes: 'clear', 'alleen in voorwaarden': 'terms_only', 'only in terms': 'terms_only', nee: 'none', no: 'none' };
const KIND: Record<string, ContactKind> = { eenmanszaak: 'sole_trader', vof: 'sole_trader', 'v.o.f.': 'sole_trader', bv: 'organisation', 'b.v.': 'organisation', nv: 'organisation', 'n.v.': 'organisation' };


/** A refusal's `field` and `value` parameters for one of the row's fields. */
const cell = (r: MappedRow, field: Field) => ({ field, value: r.get(field).trim() });

function names(r: MappedRow): { first: string | null; last: string | null } {
  const first = cleanName(r.get('first_name'));
  const last = cleanName(r.get('last_name'));
  if (first || last) return { first: first || null, last: last || null };
  const full = cleanName(r.get('name'));
  if (!full) return { first: null, last: null };
  const i = full.indexOf(' ');
  return i < 0 ? { first: full, last: null } : { first: full.slice(0, i), last: full.slice(i + 1).trim() };
}

/**
 * One row of a CSV import.
 * @returns null when handled (counted in scope.counts), or the reason the row is refused
 */
export async function csvRow(s: CsvScope, r: MappedRow, line: number): Promise<RowRefusal | null> {
  const a = normaliseAddress(pastedAddress(r.get('email')));
  if (!a.ok) return refuse('address-invalid', { field: 'email', value: r.get('email').trim() }, `e-mail: ${a.error}`);
  const key = a.value.address;
  // The opt-out first: it needs nothing but the address, so a bad date elsewhere in the row cannot lose it (E5).
  const status = rowStatus(r, s);
  if (typeof status === 'object') return status.refused;
  if (status === 'unsubscribed') {
    await optOutRow(s, key, line);
    return null;
  }
  // A customer who said no to the newsletter at the purchase is still a customer, but declined marketing mail:
  // recorded as an objection (Tw 11.7(3), GDPR 21(3)). Anyone else who said no is no one to import.
  const declined = status === 'declined';
  if (declined && s.source !== 'customer_records') return declinedRow(s, r, key, line);
  // An address no person reads cannot have given consent (GDPR 4(11): a statement by the data subject).
  if (NO_HUMAN.has(a.value.local.split('+')[0]!) && CONSENT_SOURCES.has(s.source)) return refuse('address-no-person', { value: a.value.display }, `${a.value.display}: nobody reads this address, so it cannot have given consent`);
  // As on the form: a quoted local part can be kept as an opt-out above, never as a contact to mail.
  const unfit = notForMailings(a.value);
  if (unfit) return refuse('address-not-marketable', { field: 'email', value: a.value.display }, `e-mail: ${unfit}`);

  const optin = parseDate(r.get('optin_time'));
  if (optin === 'invalid') return refuse('not-a-date', cell(r, 'optin_time'), `opt-in time "${r.get('optin_time')}" is not a date`);
  const confirm = parseDate(r.get('confirm_time'));
  if (confirm === 'invalid') return refuse('not-a-date', cell(r, 'confirm_time'), `confirmation time "${r.get('confirm_time')}" is not a date`);
  const order = parseDate(r.get('last_order'));
  if (order === 'invalid') return refuse('not-a-date', cell(r, 'last_order'), `last order "${r.get('last_order')}" is not a date (dd-mm-yyyy)`);
  // Evidence cannot lie in the future, nor before e-mail newsletters: such a time is a typing or export error.
  if (optin && optin > s.now) return refuse('date-in-future', cell(r, 'optin_time'), `opt-in time "${r.get('optin_time')}" is in the future`);
  if (confirm && confirm > s.now) return refuse('date-in-future', cell(r, 'confirm_time'), `confirmation time "${r.get('confirm_time')}" is in the future`);
  if (optin && optin < EARLIEST_CONSENT) {
    return refuse('date-too-early', { ...cell(r, 'optin_time'), year: EARLIEST_CONSENT.getUTCFullYear() }, `opt-in time "${r.get('optin_time')}" is before ${EARLIEST_CONSENT.getUTCFullYear()}: not a plausible consent`);
  }
  if (optin && confirm && confirm < optin) {
    return refuse('confirm-before-optin', { ...cell(r, 'confirm_time'), optinField: 'optin_time', optin: r.get('optin_time').trim() }, `confirmation time "${r.get('confirm_time')}" is before the opt-in time "${r.get('optin_time')}"`);
  }
  if (order && order > s.now) return refuse('date-in-future', cell(r, 'last_order'), `last order "${r.get('last_order')}" is in the future`);
  const collected = parseDate(r.get('fair_date'));
  if (collected === 'invalid') return refuse('not-a-date', cell(r, 'fair_date'), `fair date "${r.get('fair_date')}" is not a date (dd-mm-yyyy)`);
  if (collected && collected > s.now) return refuse('date-in-future', cell(r, 'fair_date'), `fair date "${r.get('fair_date')}" is in the future`);
  const offered = r.get('opt_out_offered').trim().toLowerCase();
  if (offered && !OPT_OUT[offered]) return refuse('opt-out-unknown', cell(r, 'opt_out_offered'), `opt-out offered "${r.get('opt_out_offered')}" is not ja / alleen in voorwaarden / nee`);

  const hash = suppressionHash(s.secret, key);
  let contact = await contactByEmail(s.trx, key);
  const duplicate = !s.seen.addNew(key);
  if (s.suppressedNow.has(hash) || contact?.suppression || (await suppressionOf(s.trx, hash))) {
    if (duplicate) s.counts.merged++;
    else s.counts.suppressed++;
    return null;
  }
  if (duplicate && !contact) {
    s.counts.merged++; // a dry run: nothing to merge into
    return null;
  }
  const { first, last } = names(r);
  const fairRef = [r.get('fair'), r.get('fair_date'), r.get('collector') && `verzameld door ${r.get('collector')}`].filter(Boolean).join(', ');
  const attributes = { ...r.attributes, ...Object.fromEntries((['company', 'job_title', 'customer_no'] as const).map((f) => [f, r.get(f).trim()]).filter(([, v]) => v)) };
  let changed = false;
  const created = !contact;
  if (!contact) {
    const id = randomUUID();
    await insertContact(s.trx, {
      id, email: key, first_name: first, last_name: last,
      kind: KIND[r.get('legal_form').trim().toLowerCase()] ?? (a.value.role ? 'unknown' : 'person'),
      role_address: a.value.role ? 1 : 0,
      attributes: JSON.stringify(attributes),
      source_kind: SOURCE_ARGS[s.source],
      source_ref: fairRef || `${s.format}:${s.file}`,
      locale: /^(nl|en)$/i.test(r.get('language').trim()) ? r.get('language').trim().toLowerCase() : null,
      // When the data was collected: a business card dates from its fair, so its follow-up window (retention
      // one_to_one_after_days) starts there, not at the import.
      created_at: (collected ?? s.now).toISOString(), updated_at: s.now.toISOString(),
    });
    contact = (await contactByEmail(s.trx, key))!;
    changed = true;
  } else {
    const attrs = JSON.parse(contact.attributes) as Record<string, string>;
    const extra = Object.entries(attributes).filter(([k]) => !(k in attrs));
    const patch = {
      ...(!contact.first_name && first && { first_name: first }),
      ...(!contact.last_name && last && { last_name: last }),
      ...(extra.length > 0 && { attributes: JSON.stringify({ ...attrs, ...Object.fromEntries(extra) }) }),
    };
    if (Object.keys(patch).length > 0) {
      await updateContact(s.trx, contact.id, { ...patch, updated_at: s.now.toISOString() });
      changed = true;
    }
  }
  if (order && r.get('product_group').trim()) {
    const purchase = { contact_id: contact.id, product_category: r.get('product_group').trim(), purchased_at: order.toISOString() };
    const had = await s.trx.selectFrom('purchases').select('id').where('contact_id', '=', purchase.contact_id)
      .where('product_category', '=', purchase.product_category).where('purchased_at', '=', purchase.purchased_at).executeTakeFirst();
    if (!had) {
      await s.trx.insertInto('purchases').values({ id: randomUUID(), ...purchase, opt_out_offered: OPT_OUT[offered] ?? 'none', created_at: s.now.toISOString() }).execute();
      changed = true;
    }
  }
  if (declined && !contact.customer_opted_out) {
    await objectToCustomerMail(s.trx, contact.id, {
      purposeId: null, occurredAt: order ?? s.now,
      details: { importId: s.importId, objection: 'declined marketing mail (consent column "no")', origin: { system: s.format, file: s.file, line } },
    }, s.now);
    changed = true;
  } else if (!declined && (await recordPermission(s, contact.id, key, r, line, optin, confirm))) changed = true;
  if (!duplicate) s.imported.push(contact.id);
  if (duplicate) s.counts.merged++;
  else if (created) s.counts.created++;
  else if (changed) s.counts.updated++;
  else s.counts.unchanged++;
  return null;
}

/**
 * A row that says the person never opted in, outside customer records: refused. When an earlier row of the same
 * file gave this address a permission, that permission ends: the file contradicts itself, and then nobody is mailed.
 * @returns the refusal reason
 */
async function declinedRow(s: CsvScope, r: MappedRow, key: string, line: number): Promise<RowRefusal> {
  const contact = await contactByEmail(s.trx, key);
  const p = contact ? await permissionFor(s.trx, contact.id, s.purposeId) : undefined;
  if (p && p.import_id === s.importId && (p.status === 'active' || p.status === 'pending')) {
    await endPermission(s.trx, p, { event: 'withdrawn', occurredAt: s.now, details: { importId: s.importId, reason: 'declined later in the same file', origin: { system: s.format, file: s.file, line } } }, s.now);
    s.counts.withdrawn++;
  }
  const field = r.get('consent').trim() ? 'consent' : 'status';
  return refuse('declined', cell(r, field), `${field} "${r.get(field).trim()}": the file says this person did not opt in`);
}

/**
 * An opt-out row (E5, recordOptOut). Counts the row as suppressed when it added the suppression, else as merged (a
 * repeat in the file) or unchanged.
 */
async function optOutRow(s: CsvScope, key: string, line: number): Promise<void> {
  const duplicate = !s.seen.addNew(key);
  if (await recordOptOut(s, key, s.optOutFile ?? 'imported_unsubscribed', s.now, { system: s.format, file: s.file, line })) s.counts.suppressed++;
  else if (duplicate) s.counts.merged++;
  else s.counts.unchanged++;
}

/**
 * Presets of newsletter systems whose exports record each opt-in themselves: Mailchimp's OPTIN_TIME and
 * Laposta's signup date. Brevo's ADDED_TIME and listmonk's created_at only say when the record was made (an
 * import into that tool makes one too), and listmonk's export leaves out the list subscription's status; their
 * rows count as consent only with --evidence, and their time then dates it.
 */
const SYSTEM_EXPORTS: ReadonlySet<string> = new Set(['mailchimp', 'laposta']);

/** The permission the source allows, when the contact has none yet. @returns whether one was recorded */
async function recordPermission(s: CsvScope, contactId: string, email: string, r: MappedRow, line: number, optin: Date | null, confirm: Date | null): Promise<boolean> {
  if (!CONSENT_SOURCES.has(s.source)) return false;
  const existing = await permissionFor(s.trx, contactId, s.purposeId);
  if (existing) return false; // never overwrite: an import never re-subscribes or replaces stronger evidence
  // Consent is provable (GDPR 7(1)) from a newsletter system's own record of the opt-in (its export's per-row
  // time), or from a reference to the evidence kept for it, which the row's time or the file-wide date then
  // dates. A bare list with typed dates is not proof. (A third party's list is judged by its evidence naming
  // this organisation and purpose instead, B1/B2.)
  const systemRecord = SYSTEM_EXPORTS.has(s.format) && optin !== null;
  const givenAt = systemRecord || s.evidenceRef !== null || s.source === 'third_party' ? optin ?? s.date : null;
  const method = s.source === 'public_profile' || !givenAt ? 'not_provable' : s.source === 'third_party' ? 'third_party' : 'import';
  await changePermission(
    s.trx,
    {
      contactId, purposeId: s.purposeId, event: 'imported', basis: s.basis, status: 'active', method,
      sourceKind: SOURCE_ARGS[s.source], occurredAt: givenAt ?? s.now, givenAt, confirmedAt: confirm, withdrawnAt: null,
      thirdPartyEvidence: s.thirdPartyDocumented, importId: s.importId,
      details: {
        importId: s.importId,
        confirmedAt: confirm?.toISOString() ?? null,
        origin: { system: s.format, file: s.file, line, source: s.source, ...(s.evidenceRef && { evidenceRef: s.evidenceRef }), ...(s.thirdPartyDocumented && { evidenceNames: ['organisation', 'purpose'] }) },
      },
      personal: { email, ...(s.recordIp && r.get('optin_ip').trim() && { optinIp: r.get('optin_ip').trim() }), ...(s.recordIp && r.get('confirm_ip').trim() && { confirmIp: r.get('confirm_ip').trim() }) },
    },
    s.now,
  );
  return true;
}
