/**
 * What the rows of a Mailchimp audience export do (SCENARIOS F3, E5, B6). Runs inside the batch's
 * transaction; a refusal is returned as a reason, never half-written. The subscribed file is handled a batch at
 * a time in mailchimp-batch.ts with the helpers here.
 * - subscribed: a contact with an `imported` permission carrying the original opt-in/confirmation times and IPs,
 *   or `not_provable` without OPTIN_TIME; never for an address that is suppressed or withdrawn.
 * - unsubscribed / cleaned: a suppression-list hash only; an existing contact's permission is withdrawn.
 */
import { createHmac } from 'node:crypto';
import { cleanName } from '../../../core/names.js';
import type { Kysely } from 'kysely';
import { normaliseAddress } from '../../../core/address.js';
import { suppressionHash } from '../../../core/suppression.js';
import type { SuppressionReason } from '../../../core/vocab.js';
import { contactByEmail, updateContact } from '../../../store/contacts.js';
import { permissionFor } from '../../../store/permissions.js';
import type { ContactRow, ContactUpdate, DB, PermissionRow } from '../../../store/schema.js';
import { addSuppression, suppressionOf } from '../../../store/suppressions.js';
import { endPermission, type PermissionChange } from '../../consent/permission-change.js';
import type { FileCounts } from './import-run.js';
import { refuse, type RowRefusal } from './refusals.js';

/** A set of addresses. */
export interface Seen {
  /** Adds the address. @returns true when it was not in the set yet */
  addNew(address: string): boolean;
}

/** A Seen in memory. */
export function seenSet(): Seen {
  const set = new Set<string>();
  return { addNew: (a) => set.size < set.add(a).size };
}

/** Everything a row handler needs besides the row. */
export interface RowScope {
  trx: Kysely<DB>;
  secret: string;
  recordIp: boolean;
  now: Date;
  importId: string;
  purposeId: string;
  evidenceRef: string | null;
  file: string;
  counts: FileCounts;
  /** Normalised addresses seen earlier in this file (duplicates merge): a Set, or sqlite-batch.ts seenTable. */
  seen: Seen;
  /** Suppression hashes added during this run (so a dry run, which rolls back, still honours them). */
  suppressedNow: Set<string>;
  /** core/suppression.ts suppressionHash under `secret`, with its derived key computed once (suppressionHasher). */
  suppressionHash?: (normalisedAddress: string) => string;
}

/**
 * `suppressionHash(secret, ·)` with the derived key computed once instead of per row (one HMAC a row instead of
 * two); checked against core/suppression.ts so the two cannot drift apart.
 */
export function suppressionHasher(secret: string): (normalisedAddress: string) => string {
  const key = createHmac('sha256', secret).update('consentry-suppression').digest();
  const hash = (a: string) => createHmac('sha256', key).update(a).digest('hex');
  if (hash('check@example.com') !== suppressionHash(secret, 'check@example.com')) throw new Error('suppressionHasher differs from suppressionHash');
  return hash;
}

/** Columns that become evidence or contact fields; all others go to contacts.attributes. */
const EVIDENCE = new Set(['Email Address', 'First Name', 'Last Name', 'OPTIN_TIME', 'OPTIN_IP', 'CONFIRM_TIME', 'CONFIRM_IP', 'LEID', 'EUID']);

/**
 * Parses Mailchimp's UTC 'YYYY-MM-DD HH:MM:SS' exactly (no local-time guessing).
 * @returns the Date, null for an empty cell, or 'invalid'
 */
export function mailchimpTime(s: string | undefined): Date | null | 'invalid' {
  const v = (s ?? '').trim();
  if (v === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v);
  if (!m) return 'invalid';
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` ? 'invalid' : d;
}

export function attributesOf(row: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (!EVIDENCE.has(k) && !k.startsWith('UNSUB_') && !k.startsWith('CLEAN_') && v.trim() !== '') out[k] = v.trim();
  return out;
}

/**
 * Fills empty names and adds new attribute keys; never overwrites what is there.
 * @returns the patch for the contact, or null when nothing changes
 */
export function enrichment(c: Pick<ContactRow, 'first_name' | 'last_name' | 'attributes'>, row: Record<string, string>, now: Date): ContactUpdate | null {
  const first = cleanName(row['First Name'] ?? '') || null;
  const last = cleanName(row['Last Name'] ?? '') || null;
  const attrs = JSON.parse(c.attributes) as Record<string, string>;
  const extra = Object.entries(attributesOf(row)).filter(([k]) => !(k in attrs));
  const patch = {
    ...(c.first_name === null && first && { first_name: first }),
    ...(c.last_name === null && last && { last_name: last }),
    ...(extra.length > 0 && { attributes: JSON.stringify({ ...attrs, ...Object.fromEntries(extra) }) }),
  };
  return Object.keys(patch).length === 0 ? null : { ...patch, updated_at: now.toISOString() };
}

/** Consent to e-mail marketing cannot predate it; an earlier date is a typing error (0001-01-01, 1800-01-01). */
export const EARLIEST_CONSENT = new Date('1990-01-01T00:00:00Z');

export interface Evidence {
  givenAt: Date | null;
  confirmedAt: Date | null;
}

/** The imported evidence (or its absence) as the change of the permission for the purpose. */
export function evidenceChange(s: RowScope, contactId: string, email: string, row: Record<string, string>, line: number, ev: Evidence): PermissionChange {
  const provable = ev.givenAt !== null;
  const ip = (k: string) => (s.recordIp && row[k]?.trim() ? { [k === 'OPTIN_IP' ? 'optinIp' : 'confirmIp']: row[k]!.trim() } : {});
  return {
    contactId,
    purposeId: s.purposeId,
    event: 'imported',
    basis: 'A6-1-a',
    status: 'active',
    method: provable ? 'import' : 'not_provable',
    sourceKind: 'import',
    occurredAt: ev.givenAt ?? s.now,
    givenAt: ev.givenAt,
    confirmedAt: ev.confirmedAt,
    withdrawnAt: null,
    importId: s.importId,
    details: {
      importId: s.importId,
      origin: {
        system: 'mailchimp',
        file: s.file,
        line,
        ...(row.LEID?.trim() && { leid: row.LEID.trim() }),
        ...(row.EUID?.trim() && { euid: row.EUID.trim() }),
        ...(s.evidenceRef && { evidenceRef: s.evidenceRef }),
      },
      ...(!provable && { note: 'no OPTIN_TIME in the export: consent not provable' }),
      // The double opt-in's confirmation is part of the proof, so the hashed event fixes it, not only the permission.
      confirmedAt: ev.confirmedAt?.toISOString() ?? null,
    },
    personal: { email, ...ip('OPTIN_IP'), ...ip('CONFIRM_IP') },
  };
}

/** Whether `ev` is better proof than the permission holds: provable beats not provable, then earlier wins. */
export function better(ev: Evidence, p: Pick<PermissionRow, 'method' | 'given_at'>): boolean {
  if (!ev.givenAt) return false;
  if (p.method === 'not_provable' || !p.given_at) return true;
  return ev.givenAt.toISOString() < p.given_at;
}

export const STAYS_OFF = new Set(['withdrawn', 'objected', 'expired']);

/**
 * An opt-out of one address in an import (E5): its keyed hash on the suppression list (once per import and
 * database), the contact marked suppressed, and a standing permission for the purpose withdrawn (counted in
 * `s.counts.withdrawn`), whatever earlier rows said.
 * @param at when the person opted out (the export's time, else the import's)
 * @param origin the file and line, for the withdrawal's ledger event
 * @returns whether this call added the suppression (false: the address was suppressed already)
 */
export async function recordOptOut(
  s: RowScope,
  key: string,
  reason: Extract<SuppressionReason, 'imported_unsubscribed' | 'imported_cleaned'>,
  at: Date,
  origin: { system: string; file: string; line: number },
): Promise<boolean> {
  const hash = suppressionHash(s.secret, key);
  const added = !s.suppressedNow.has(hash) && !(await suppressionOf(s.trx, hash));
  if (added) await addSuppression(s.trx, hash, reason, `${origin.system}:${s.importId}`, s.now);
  s.suppressedNow.add(hash);
  const contact = await contactByEmail(s.trx, key);
  if (!contact) return added;
  if (!contact.suppression) await updateContact(s.trx, contact.id, { suppression: reason, updated_at: s.now.toISOString() });
  const perm = await permissionFor(s.trx, contact.id, s.purposeId);
  if (perm && (perm.status === 'active' || perm.status === 'pending')) {
    await endPermission(s.trx, perm, { event: 'withdrawn', occurredAt: at, details: { importId: s.importId, reason, origin } }, s.now);
    s.counts.withdrawn++;
  }
  return added;
}

/**
 * One row of the unsubscribed or cleaned file: suppress the hash; withdraw an existing contact's permission.
 * @returns null when handled, or the reason the row is refused
 */
export async function suppressedRow(
  s: RowScope,
  row: Record<string, string>,
  line: number,
  reason: Extract<SuppressionReason, 'imported_unsubscribed' | 'imported_cleaned'>,
): Promise<RowRefusal | null> {
  const a = normaliseAddress(row['Email Address'] ?? '');
  if (!a.ok) return refuse('address-invalid', { field: 'Email Address', value: row['Email Address'] ?? '' }, `Email Address: ${a.error}`);
  const key = a.value.address;
  if (!s.seen.addNew(key)) {
    s.counts.merged++;
    return null;
  }
  const t = mailchimpTime(reason === 'imported_cleaned' ? row.CLEAN_TIME : row.UNSUB_TIME);
  if (await recordOptOut(s, key, reason, t instanceof Date ? t : s.now, { system: 'mailchimp', file: s.file, line })) s.counts.suppressed++;
  else s.counts.unchanged++;
  return null;
}
