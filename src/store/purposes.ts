/**
 * Purposes: the units of consent.
 */
import type { Insertable, Kysely } from 'kysely';
import type { DB, PurposeRow, PurposesTable } from './schema.js';

export async function purposeById(db: Kysely<DB>, id: string): Promise<PurposeRow | undefined> {
  return db.selectFrom('purposes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPurposes(db: Kysely<DB>): Promise<PurposeRow[]> {
  return db.selectFrom('purposes').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertPurpose(db: Kysely<DB>, row: Insertable<PurposesTable>): Promise<void> {
  await db.insertInto('purposes').values(row).execute();
}
