/**
 * Contacts (data subjects) by id or normalised address.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { ContactRow, ContactUpdate, DB, NewContact } from './schema.js';

export async function contactById(db: Kysely<DB>, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads a contact inside a transaction and, on PostgreSQL, locks its row until the transaction ends, so two use
 * cases that read a person's ledger and then append to it run one after the other and the second sees what the
 * first wrote (SQLite's one connection runs transactions one at a time already).
 */
export async function contactForUpdate(db: Kysely<DB>, dialect: Dialect, id: string): Promise<ContactRow | undefined> {
  const q = db.selectFrom('contacts').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

/** @param email a normalised address (core/address.ts) */
export async function contactByEmail(db: Kysely<DB>, email: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function insertContact(db: Kysely<DB>, row: NewContact): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

export async function updateContact(db: Kysely<DB>, id: string, patch: ContactUpdate): Promise<void> {
  await db.updateTable('contacts').set(patch).where('id', '=', id).execute();
}

export async function countContacts(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The addresses of the contacts with these ids (those that exist), by id. */
export async function addressesOf(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('contacts').select(['id', 'email']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
