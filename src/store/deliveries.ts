/**
 * The delivery table is the queue (DESIGN.md "Storage and scale"): one row per campaign × contact, claimed
 * with a lease, re-decided at claim time, marked sent/blocked/failed by the worker holding the lease. A crashed
 * worker's lease expires and the row is claimed again; the row's fixed Message-ID makes a resend recognisable.
 * PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so several sender processes share a campaign without a
 * coordinator; SQLite has one writer at a time, which makes the same statement atomic.
 */
import { sql, type Kysely } from 'kysely';
import type { DeliveryState } from '../core/vocab.js';
import type { Dialect } from './db.js';
import { erasedDeliveryCounts } from './retention-log.js';
import type { DB, DeliveryRow } from './schema.js';

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
          // A queued row's due time (the claim reads queued rows in this order through deliveries_claim).
          lease_until: r.state === 'queued' ? at : null,
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
  campaignId: string;
  limit: number;
  /** Lease length in ms; a worker that has not finished by then loses the row. */
  leaseMs: number;
  now: Date;
}

/**
 * Claims up to `limit` deliveries of one campaign: first rows whose lease expired (a crashed worker's), then
 * queued rows that are due, in due order. Each step reads an index range of at most `limit` rows
 * (deliveries_claim), so the cost does not grow with the campaign. PostgreSQL skips rows another sender is
 * claiming at the same moment (`for update skip locked`); SQLite's single writer makes each statement atomic.
 * @returns the claimed rows, `attempts` already counted and `lease_until` the new lease end
 */
export async function claimDeliveries(db: Kysely<DB>, dialect: Dialect, o: ClaimOptions): Promise<DeliveryRow[]> {
  const now = o.now.toISOString();
  const lease = new Date(o.now.getTime() + o.leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const claimed: DeliveryRow[] = [];
  for (const [state, due] of [['claimed', sql`lease_until < ${now}`], ['queued', sql`lease_until <= ${now}`]] as const) {
    const limit = o.limit - claimed.length;
    if (limit <= 0) break;
    const result = await sql<DeliveryRow>`
      update deliveries
         set state = 'claimed', claimed_by = ${o.workerId}, lease_until = ${lease},
             attempts = attempts + 1, updated_at = ${now}
       where id in (
         select id from deliveries
          where campaign_id = ${o.campaignId} and state = ${state} and ${due}
          order by lease_until
          limit ${limit}
          ${lock})
      returning *`.execute(db);
    claimed.push(...result.rows);
  }
  return claimed;
}

/**
 * Extends the lease of rows this worker still holds.
 * @returns the ids renewed; a row missing from it was lost (its lease had run out and another worker took it)
 */
export async function renewLeases(db: Kysely<DB>, workerId: string, ids: readonly string[], now: Date, leaseMs: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable('deliveries')
    .set({ lease_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', 'in', [...ids])
    .where('state', '=', 'claimed')
    .where('claimed_by', '=', workerId)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** One delivery's outcome for `finishDeliveries`. */
export interface DeliveryOutcome {
  id: string;
  state: DeliveryState;
  reasons: string | null;
  basis: string | null;
  smtpReply: string | null;
  sentAt: string | null;
  /** Queued again: when it is due. */
  dueAt: string | null;
  /** Added to attempts: -1 gives back the claim's attempt (a throttled or released row was not tried). */
  attemptsDelta: number;
}

/** Outcomes per statement: 9 values each stays well inside both databases' parameter limits. */
const FINISH_CHUNK = 500;

/**
 * Records the outcomes of several claimed deliveries in one statement. Only rows this worker still holds
 * change (fencing): a worker whose lease ran out and whose row another took changes nothing.
 * @returns the ids updated
 */
export async function finishDeliveries(db: Kysely<DB>, workerId: string, outcomes: readonly DeliveryOutcome[], now: Date): Promise<Set<string>> {
  const done = new Set<string>();
  const at = now.toISOString();
  for (let i = 0; i < outcomes.length; i += FINISH_CHUNK) {
    const values = sql.join(
      outcomes.slice(i, i + FINISH_CHUNK).map(
        (o) => sql`(${o.id}, ${o.state}, ${o.reasons}, ${o.basis}, ${o.smtpReply}, ${o.sentAt}, ${o.dueAt}, ${String(o.attemptsDelta)})`,
      ),
    );
    const r = await sql<{ id: string }>`
      with v(id, state, reasons, basis, reply, sent_at, due_at, delta) as (values ${values})
      update deliveries
         set state = v.state, reasons = coalesce(v.reasons, deliveries.reasons), basis = coalesce(v.basis, deliveries.basis),
             smtp_reply = coalesce(v.reply, deliveries.smtp_reply), sent_at = coalesce(v.sent_at, deliveries.sent_at),
             lease_until = v.due_at, claimed_by = null,
             attempts = deliveries.attempts + cast(v.delta as integer), updated_at = ${at}
        from v
       where deliveries.id = v.id and deliveries.state = 'claimed' and deliveries.claimed_by = ${workerId}
      returning deliveries.id`.execute(db);
    for (const row of r.rows) done.add(row.id);
  }
  return done;
}

/** Whether a campaign still has deliveries to send (queued, possibly later, or claimed); an index probe. */
export async function hasOpenDeliveries(db: Kysely<DB>, campaignId: string): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('state', 'in', ['queued', 'claimed'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * When the campaign's next delivery can be claimed (ISO): the earliest queued row's due time or claimed row's
 * lease end (a crashed worker's), or null when none is open. Two index probes.
 */
export async function nextDueAt(db: Kysely<DB>, campaignId: string): Promise<string | null> {
  let soonest: string | null = null;
  for (const state of ['queued', 'claimed']) {
    const row = await db
      .selectFrom('deliveries')
      .select('lease_until')
      .where('campaign_id', '=', campaignId)
      .where('state', '=', state)
      .orderBy('lease_until')
      .limit(1)
      .executeTakeFirst();
    if (row?.lease_until && (soonest === null || row.lease_until < soonest)) soonest = row.lease_until;
  }
  return soonest;
}

/** Marks a campaign's queued deliveries cancelled. @returns how many */
export async function cancelQueued(db: Kysely<DB>, campaignId: string, now: Date): Promise<number> {
  const r = await db
    .updateTable('deliveries')
    .set({ state: 'cancelled', lease_until: null, updated_at: now.toISOString() })
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deliveries of a campaign sent at or after `since` (ISO); reads the deliveries_sent index range. */
export async function sentSince(db: Kysely<DB>, campaignId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
