/**
 * Permissions: the standing of one contact for one purpose. Written only by services that also append the
 * ledger event proving the change (the event's id goes into evidence_event_id).
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB, PermissionRow, PermissionsTable } from './schema.js';

export async function permissionFor(db: Kysely<DB>, contactId: string, purposeId: string): Promise<PermissionRow | undefined> {
  return db
    .selectFrom('permissions')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('purpose_id', '=', purposeId)
    .executeTakeFirst();
}

export async function permissionsOf(db: Kysely<DB>, contactId: string): Promise<PermissionRow[]> {
  return db.selectFrom('permissions').selectAll().where('contact_id', '=', contactId).orderBy('purpose_id').execute();
}

export async function insertPermission(db: Kysely<DB>, row: Insertable<PermissionsTable>): Promise<void> {
  await db.insertInto('permissions').values(row).execute();
}

export async function updatePermission(db: Kysely<DB>, id: string, patch: Updateable<PermissionsTable>): Promise<void> {
  await db.updateTable('permissions').set(patch).where('id', '=', id).execute();
}
