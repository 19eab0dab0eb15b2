/**
 * The few queries a batch of import rows needs, each run once per batch instead of once per row: the contacts
 * of the batch's addresses, their permissions for the purpose, which address hashes are suppressed, and a
 * multi-row INSERT of new contacts. (Store-shaped; kept beside the importer, its only user.)
 */
import type { Kysely } from 'kysely';
import { rowsPerInsert } from '../../../store/ledger.js';
import type { ContactRow, DB, NewContact, PermissionRow } from '../../../store/schema.js';

/** Keys per `in (…)` lookup. */
const LOOKUP_CHUNK = 5000;

/** What a row handler needs to know of an existing contact. */
export type ContactView = Pick<ContactRow, 'id' | 'first_name' | 'last_name' | 'attributes' | 'suppression'>;
/** What a row handler needs to know of an existing permission. */
export type PermissionView = Pick<PermissionRow, 'contact_id' | 'basis' | 'status' | 'method' | 'source_kind' | 'given_at' | 'import_id'>;

/** What the database holds for one batch's addresses. */
export interface BatchState {
  /** Contacts by normalised address. */
  contacts: Map<string, ContactView>;
  /** The purpose's permissions by contact id. */
  permissions: Map<string, PermissionView>;
  /** Suppression hashes on the list. */
  suppressed: Set<string>;
}

function chunks<T>(xs: readonly T[], n = LOOKUP_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Reads what the database holds for a batch: contacts by address, their permissions for the purpose, and
 * which of the hashes are suppressed (one query each per 5,000 keys).
 * @param emails normalised addresses; @param hashes suppression hashes (core/suppression.ts)
 */
export async function loadBatch(db: Kysely<DB>, emails: readonly string[], hashes: readonly string[], purposeId: string): Promise<BatchState> {
  const state: BatchState = { contacts: new Map(), permissions: new Map(), suppressed: new Set() };
  for (const part of chunks([...new Set(emails)])) {
    const rows = await db.selectFrom('contacts').select(['id', 'email', 'first_name', 'last_name', 'attributes', 'suppression']).where('email', 'in', part).execute();
    for (const { email, ...c } of rows) state.contacts.set(email, c);
  }
  for (const part of chunks([...state.contacts.values()].map((c) => c.id))) {
    const rows = await db.selectFrom('permissions').select(['contact_id', 'basis', 'status', 'method', 'source_kind', 'given_at', 'import_id'])
      .where('contact_id', 'in', part).where('purpose_id', '=', purposeId).execute();
    for (const p of rows) state.permissions.set(p.contact_id, p);
  }
  for (const part of chunks([...new Set(hashes)])) {
    const rows = await db.selectFrom('suppressions').select('hash').where('hash', 'in', part).execute();
    for (const r of rows) state.suppressed.add(r.hash);
  }
  return state;
}

/**
 * Inserts contacts with multi-row INSERTs (rowsPerInsert: within the parameter limit).
 * @param rows contacts that all give the same columns
 */
export async function insertContacts(db: Kysely<DB>, rows: readonly NewContact[]): Promise<void> {
  if (rows.length === 0) return;
  const n = rowsPerInsert(Object.keys(rows[0]!).length);
  for (const part of chunks(rows, n)) await db.insertInto('contacts').values(part).execute();
}
