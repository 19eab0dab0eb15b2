/**
 * Purposes: the units of consent.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
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

export async function updatePurposeRow(db: Kysely<DB>, id: string, patch: Updateable<PurposesTable>): Promise<void> {
  await db.updateTable('purposes').set(patch).where('id', '=', id).execute();
}

/** Whether any permission (any status) exists for the purpose. */
export async function purposeHasPermissions(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('permissions').select('id').where('purpose_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
}

/** Ids of the forms that offer the purpose as a box or deliver it as a lead magnet. */
export async function formsOffering(db: Kysely<DB>, id: string): Promise<string[]> {
  const forms = await db.selectFrom('forms').select(['id', 'purposes', 'lead_magnet_purpose_id']).orderBy('id').execute();
  return forms.filter((f) => f.lead_magnet_purpose_id === id || (JSON.parse(f.purposes) as string[]).includes(id)).map((f) => f.id);
}
