/**
 * The subscribed file of a Mailchimp export, a batch at a time (SCENARIOS F3, E5, B6): the same decisions as one
 * row after another, but the batch's contacts, permissions and suppressions are read in one query each, the rows
 * are decided in memory in file order, and the results are written with multi-row INSERTs (contacts, then the
 * permission changes with their ledger events through `changePermissions`).
 * - a new address: a contact with an `imported` permission carrying the original opt-in/confirmation times and
 *   IPs, or `not_provable` without OPTIN_TIME;
 * - never for an address that is suppressed, or whose permission was withdrawn, objected to or expired;
 * - a duplicate address merges: only better evidence (earlier, or provable) for a permission of this import.
 */
import { randomUUID } from 'node:crypto';
import { normaliseAddress, notForMailings } from '../../../core/address.js';
import { cleanName } from '../../../core/names.js';
import { suppressionHash } from '../../../core/suppression.js';
import type { ContactUpdate, NewContact } from '../../../store/schema.js';
import { updateContact } from '../../../store/contacts.js';
import { changePermissions, type PermissionChange } from '../../consent/permission-change.js';
import { insertContacts, loadBatch, type BatchState } from './batch-store.js';
import { refuse, type LineRefusal, type RowRefusal } from './refusals.js';
import { attributesOf, better, EARLIEST_CONSENT, enrichment, evidenceChange, mailchimpTime, STAYS_OFF, type Evidence, type RowScope } from './mailchimp-rows.js';

/** One parsed row of the subscribed file. */
export interface SubscribedRow {
  line: number;
  row: Record<string, string>;
}

export type Checked = { line: number; row: Record<string, string>; key: string; role: boolean; hash: string; ev: Evidence };

/** How a Mailchimp export writes a time. */
const TIME_EXAMPLE = '2024-01-31 13:45:00';

/** Validates a row. @returns the row with its address, hash and evidence, or the reason it is refused */
function check(s: RowScope, { line, row }: SubscribedRow): Checked | RowRefusal {
  const a = normaliseAddress(row['Email Address'] ?? '');
  if (!a.ok) return refuse('address-invalid', { field: 'Email Address', value: row['Email Address'] ?? '' }, `Email Address: ${a.error}`);
  const unfit = notForMailings(a.value);
  if (unfit) return refuse('address-not-marketable', { field: 'Email Address', value: a.value.display }, `Email Address: ${unfit}`);
  const givenAt = mailchimpTime(row.OPTIN_TIME);
  const confirmedAt = mailchimpTime(row.CONFIRM_TIME);
  if (givenAt === 'invalid') return refuse('not-a-time', { field: 'OPTIN_TIME', value: row.OPTIN_TIME ?? '', example: TIME_EXAMPLE }, `OPTIN_TIME "${row.OPTIN_TIME}" is not a time like ${TIME_EXAMPLE}`);
  if (confirmedAt === 'invalid') return refuse('not-a-time', { field: 'CONFIRM_TIME', value: row.CONFIRM_TIME ?? '', example: TIME_EXAMPLE }, `CONFIRM_TIME "${row.CONFIRM_TIME}" is not a time like ${TIME_EXAMPLE}`);
  // Evidence cannot lie in the future: such a time is an export error, not consent.
  if (givenAt && givenAt > s.now) return refuse('date-in-future', { field: 'OPTIN_TIME', value: row.OPTIN_TIME ?? '' }, `OPTIN_TIME "${row.OPTIN_TIME}" is in the future`);
  if (confirmedAt && confirmedAt > s.now) return refuse('date-in-future', { field: 'CONFIRM_TIME', value: row.CONFIRM_TIME ?? '' }, `CONFIRM_TIME "${row.CONFIRM_TIME}" is in the future`);
  if (givenAt && givenAt < EARLIEST_CONSENT) {
    return refuse('date-too-early', { field: 'OPTIN_TIME', value: row.OPTIN_TIME ?? '', year: EARLIEST_CONSENT.getUTCFullYear() }, `OPTIN_TIME "${row.OPTIN_TIME}" is before ${EARLIEST_CONSENT.getUTCFullYear()}: not a plausible consent`);
  }
  if (givenAt && confirmedAt && confirmedAt < givenAt) {
    return refuse('confirm-before-optin', { field: 'CONFIRM_TIME', value: row.CONFIRM_TIME ?? '', optinField: 'OPTIN_TIME', optin: row.OPTIN_TIME ?? '' }, `CONFIRM_TIME "${row.CONFIRM_TIME}" is before OPTIN_TIME "${row.OPTIN_TIME}"`);
  }
  const key = a.value.address;
  return { line, row, key, role: a.value.role, hash: (s.suppressionHash ?? ((k: string) => suppressionHash(s.secret, k)))(key), ev: { givenAt, confirmedAt } };
}

/** What a batch writes, decided in memory from the rows and the database's state. */
export interface BatchPlan {
  inserts: NewContact[];
  updates: Array<{ id: string; patch: ContactUpdate }>;
  changes: PermissionChange[];
}

/** Validates a batch's rows. @returns the valid rows and the refused ones as `[{ line, code, params, reason }]`, in file order */
export function checkRows(s: RowScope, rows: readonly SubscribedRow[]): { checked: Checked[]; refused: LineRefusal[] } {
  const refused: LineRefusal[] = [];
  const checked: Checked[] = [];
  for (const r of rows) {
    const c = check(s, r);
    if ('code' in c) refused.push({ line: r.line, ...c });
    else checked.push(c);
  }
  return { checked, refused };
}

/**
 * Decides a batch in file order against what the database holds (`state`, which is updated to what the writes
 * will leave); counts go to `s.counts`.
 * @param newId the id of a new contact
 */
export function planBatch(s: RowScope, checked: readonly Checked[], state: BatchState, newId: () => string = randomUUID): BatchPlan {
  const inserts: NewContact[] = [];
  const updates: Array<{ id: string; patch: ContactUpdate }> = [];
  const changes: PermissionChange[] = [];
  const now = s.now.toISOString();
  /** Records evidence and keeps the batch's view of the permission as the write will leave it. */
  const record = (contactId: string, c: Checked) => {
    const change = evidenceChange(s, contactId, c.key, c.row, c.line, c.ev);
    changes.push(change);
    state.permissions.set(contactId, {
      contact_id: contactId, basis: change.basis, status: change.status, method: change.method, source_kind: change.sourceKind,
      given_at: c.ev.givenAt?.toISOString() ?? null, import_id: s.importId,
    });
  };

  for (const c of checked) {
    const contact = state.contacts.get(c.key);
    const perm = contact ? state.permissions.get(contact.id) : undefined;
    if (!s.seen.addNew(c.key)) {
      s.counts.merged++;
      if (contact && perm && perm.import_id === s.importId && perm.status === 'active' && better(c.ev, perm)) record(contact.id, c);
      continue;
    }
    if (s.suppressedNow.has(c.hash) || contact?.suppression || state.suppressed.has(c.hash)) {
      s.counts.suppressed++;
      continue;
    }
    if (!contact) {
      const id = newId();
      const attributes = JSON.stringify(attributesOf(c.row));
      inserts.push({
        id, email: c.key, first_name: cleanName(c.row['First Name'] ?? '') || null, last_name: cleanName(c.row['Last Name'] ?? '') || null,
        kind: 'person', role_address: c.role ? 1 : 0, attributes, source_kind: 'import', source_ref: `mailchimp:${s.file}`,
        suppression: null, locale: null, designation_evidence: null, created_at: now, updated_at: now,
      });
      state.contacts.set(c.key, { id, first_name: null, last_name: null, attributes, suppression: null });
      record(id, c);
      s.counts.created++;
      continue;
    }
    if (perm && STAYS_OFF.has(perm.status)) {
      s.counts.suppressed++; // unsubscribed = unsubscribed (E5): an import never re-subscribes
      continue;
    }
    const patch = enrichment(contact, c.row, s.now);
    if (patch) updates.push({ id: contact.id, patch });
    const importable = !perm || perm.status === 'pending' || ((perm.method === 'import' || perm.method === 'not_provable') && better(c.ev, perm));
    if (importable) record(contact.id, c);
    if (patch || importable) s.counts.updated++;
    else s.counts.unchanged++;
  }
  return { inserts, updates, changes };
}

/**
 * Imports one batch of the subscribed file through Kysely (PostgreSQL; SQLite uses sqlite-batch.ts), in the
 * scope's transaction; counts go to `s.counts`.
 * @param rows `[{ line, row: { 'Email Address': …, OPTIN_TIME: … } }, …]` in file order
 * @returns the refused rows as `[{ line, code, params, reason }]`, in file order
 * @throws the database error of a failed write (the caller's transaction rolls the batch back)
 */
export async function subscribedBatch(s: RowScope, rows: readonly SubscribedRow[]): Promise<LineRefusal[]> {
  const { checked, refused } = checkRows(s, rows);
  const state = await loadBatch(s.trx, checked.map((c) => c.key), checked.map((c) => c.hash), s.purposeId);
  const { inserts, updates, changes } = planBatch(s, checked, state);
  await insertContacts(s.trx, inserts);
  for (const u of updates) await updateContact(s.trx, u.id, u.patch);
  await changePermissions(s.trx, changes, s.now);
  return refused;
}
