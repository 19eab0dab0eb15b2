/**
 * The delivery table is the queue (DESIGN.md "Storage and scale"): one row per campaign × contact, claimed
 * with a lease, re-decided at claim time, marked sent/blocked/failed by the worker holding the lease. A crashed
 * worker's lease expires and the row is claimed again; the row's fixed Message-ID makes a resend recognisable.
 * PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so several sender processes share a campaign without a
 * coordinator; SQLite has one writer at a time, which makes the same statement atomic.
 */
import { sql, type Kysely, type Updateable } from 'kysely';
import type { DeliveryState } from '../core/vocab.js';
import type { Dialect } from './db.js';
import { erasedDeliveryCounts } from './retention-log.js';
import type { DB, DeliveriesTable, DeliveryRow } from './schema.js';

export interface NewDelivery {
  id: string;
  contactId: string;
  messageId: string;
  state: Extract<DeliveryState, 'queued' | 'blocked'>;
  reasons: string[];
  basis: string | null;
}

/**
 * Inserts deliveries for a campaign; rows that already exist (same campaign and contact) are left alone, so
 * enqueueing twice never sends twice.
 */
export async function enqueueDeliveries(db: Kysely<DB>, campaignId: string, rows: NewDelivery[], now: Date): Promise<void> {
  const at = now.toISOString();
  // 14 values a row: chunks keep each statement under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
    await db
      .insertInto('deliveries')
      .values(
        rows.slice(i, i + ENQUEUE_CHUNK).map((r) => ({
          id: r.id,
          campaign_id: campaignId,
          contact_id: r.contactId,
          state: r.state,
          reasons: JSON.stringify(r.reasons),
          basis: r.basis,
          attempts: 0,
          lease_until: null,
          claimed_by: null,
          smtp_reply: null,
          message_id: r.messageId,
          sent_at: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
      .execute();
  }
}

/** Rows per INSERT when enqueueing. */
const ENQUEUE_CHUNK = 1000;

export interface ClaimOptions {
  workerId: string;
  limit: number;
  /** Lease length in ms; a worker that has not finished by then loses the row. */
  leaseMs: number;
  now: Date;
  campaignId?: string;
}

/**
 * Claims up to `limit` deliveries that are queued (and due) or whose lease expired.
 * @returns the claimed rows, attempts already counted
 */
export async function claimDeliveries(db: Kysely<DB>, dialect: Dialect, o: ClaimOptions): Promise<DeliveryRow[]> {
  const now = o.now.toISOString();
  const lease = new Date(o.now.getTime() + o.leaseMs).toISOString();
  const campaignFilter = o.campaignId ? sql`and campaign_id = ${o.campaignId}` : sql``;
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<DeliveryRow>`
    update deliveries
       set state = 'claimed', claimed_by = ${o.workerId}, lease_until = ${lease},
           attempts = attempts + 1, updated_at = ${now}
     where id in (
       select id from deliveries
        where ((state = 'queued' and (lease_until is null or lease_until <= ${now}))
               or (state = 'claimed' and lease_until < ${now}))
          ${campaignFilter}
        order by created_at, id
        limit ${o.limit}
        ${lock})
    returning *`.execute(db);
  return result.rows;
}

/**
 * Finishes a claimed delivery. Only the worker still holding the lease may: a worker whose lease expired (and
 * whose row another worker took) changes nothing.
 * @returns whether the row was updated
 */
export async function finishDelivery(
  db: Kysely<DB>,
  id: string,
  workerId: string,
  patch: Updateable<DeliveriesTable>,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ ...patch, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'claimed')
    .where('claimed_by', '=', workerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deliveries of a campaign counted by state, including those whose rows went with an erasure. */
export async function deliveryCounts(db: Kysely<DB>, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['state', (eb) => eb.fn.countAll().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('state')
    .execute();
  const counts = await erasedDeliveryCounts(db, campaignId);
  for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + Number(r.n);
  return counts;
}

export async function deliveryFor(db: Kysely<DB>, campaignId: string, contactId: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

export async function deliveriesOf(db: Kysely<DB>, contactId: string): Promise<DeliveryRow[]> {
  return db.selectFrom('deliveries').selectAll().where('contact_id', '=', contactId).orderBy('created_at').execute();
}
