/**
 * The register of data-subject requests received another way (letter, phone, mail) or through the "manage my
 * data" page (GDPR 12(3), 5(2)). Queries only; deadlines are computed in core/requests.ts.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, DataSubjectRequestsTable } from './schema.js';

export type RequestRow = Selectable<DataSubjectRequestsTable>;

export async function insertRequest(db: Kysely<DB>, row: Insertable<DataSubjectRequestsTable>): Promise<void> {
  await db.insertInto('data_subject_requests').values(row).execute();
}

export async function requestById(db: Kysely<DB>, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom('data_subject_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRequest(db: Kysely<DB>, id: string, patch: Updateable<DataSubjectRequestsTable>): Promise<void> {
  await db.updateTable('data_subject_requests').set(patch).where('id', '=', id).execute();
}

export interface RequestSearch {
  /** Only requests not yet answered. */
  openOnly?: boolean;
  contactId?: string;
  limit?: number;
}

/** Requests by due date, oldest deadline first. */
export async function listRequests(db: Kysely<DB>, opts: RequestSearch = {}): Promise<RequestRow[]> {
  let q = db.selectFrom('data_subject_requests').selectAll();
  if (opts.openOnly) q = q.where('completed_at', 'is', null);
  if (opts.contactId) q = q.where('contact_id', '=', opts.contactId);
  return q.orderBy('due_at').orderBy('id').limit(opts.limit ?? 1000).execute();
}

/** Removes the free-text identification of an erased person's requests; the pseudonymous rows stay. */
export async function forgetRequester(db: Kysely<DB>, contactId: string): Promise<void> {
  await db.updateTable('data_subject_requests').set({ requester: null }).where('contact_id', '=', contactId).execute();
}

/** The contacts among `ids` with an open restriction request (GDPR 18). */
export async function restrictedAmong(db: Kysely<DB>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('data_subject_requests')
    .select('contact_id')
    .where('contact_id', 'in', ids)
    .where('kind', '=', 'restriction')
    .where('completed_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.contact_id!));
}
