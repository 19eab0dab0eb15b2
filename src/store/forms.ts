/**
 * Forms: collection points offering purposes, one unticked box each.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB, FormRow, FormsTable } from './schema.js';

export async function formById(db: Kysely<DB>, id: string): Promise<FormRow | undefined> {
  return db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listForms(db: Kysely<DB>): Promise<FormRow[]> {
  return db.selectFrom('forms').selectAll().orderBy('id').execute();
}

export async function insertForm(db: Kysely<DB>, row: Insertable<FormsTable>): Promise<void> {
  await db.insertInto('forms').values(row).execute();
}

export async function updateFormRow(db: Kysely<DB>, id: string, patch: Updateable<FormsTable>): Promise<void> {
  await db.updateTable('forms').set(patch).where('id', '=', id).execute();
}
