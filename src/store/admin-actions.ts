/**
 * The admin action log (migration 004): appended to, read newest first in keyset pages. Queries only.
 */
import type { Insertable, Kysely } from 'kysely';
import type { AdminActionRow, AdminActionsTable, DB } from './schema.js';

export async function insertAdminAction(db: Kysely<DB>, row: Insertable<AdminActionsTable>): Promise<void> {
  await db.insertInto('admin_actions').values(row).execute();
}

/**
 * One page of the log, newest first.
 * @param before only entries with a lower position (the keyset cursor of the previous page's last row)
 */
export async function listAdminActions(db: Kysely<DB>, opts: { limit: number; before?: number }): Promise<AdminActionRow[]> {
  let q = db.selectFrom('admin_actions').selectAll().orderBy('position', 'desc').limit(opts.limit);
  if (opts.before !== undefined) q = q.where('position', '<', opts.before);
  return q.execute();
}
