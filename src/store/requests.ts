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

/** The open (not completed) requests of the contacts among `ids`: kind and receipt time per contact id. */
export async function openRequestsAmong(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Map<string, Array<{ kind: string; received_at: string }>>> {
  const out = new Map<string, Array<{ kind: string; received_at: string }>>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('data_subject_requests')
    .select(['contact_id', 'kind', 'received_at'])
    .where('contact_id', 'in', ids)
    .where('completed_at', 'is', null)
    .orderBy('received_at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.contact_id!) ?? [];
    list.push({ kind: r.kind, received_at: r.received_at });
    out.set(r.contact_id!, list);
  }
  return out;
}
