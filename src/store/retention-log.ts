/**
 * The audit log of retention runs (GDPR 5(1)(e), 5(2)) and the delivery counts kept after erasure. Ids and
 * numbers only, never an address.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB, RetentionRunsTable } from './schema.js';

export type RetentionRunRow = Selectable<RetentionRunsTable>;

export async function insertRetentionRun(db: Kysely<DB>, row: RetentionRunRow): Promise<void> {
  await db.insertInto('retention_runs').values(row).execute();
}

/** The latest runs, newest first. */
export async function listRetentionRuns(db: Kysely<DB>, limit = 20): Promise<RetentionRunRow[]> {
  return db.selectFrom('retention_runs').selectAll().orderBy('ran_at', 'desc').orderBy('id').limit(limit).execute();
}

/**
 * Adds `n` to the kept count of one campaign and delivery state (upsert; same SQL on SQLite and PostgreSQL).
 */
export async function addCampaignCount(db: Kysely<DB>, campaignId: string, state: string, n: number): Promise<void> {
  await db
    .insertInto('campaign_counts')
    .values({ campaign_id: campaignId, state, count: n })
    .onConflict((oc) => oc.columns(['campaign_id', 'state']).doUpdateSet((eb) => ({ count: eb('campaign_counts.count', '+', n) })))
    .execute();
}

/** The `campaign_counts` state under which erased deliveries' events of a kind are counted, e.g. `event.complaint`. */
export const erasedEventState = (kind: string) => `event.${kind}`;

/** Counts per state of deliveries removed by erasure, for one campaign. Add them to `deliveryCounts`. */
export async function erasedDeliveryCounts(db: Kysely<DB>, campaignId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('campaign_counts').select(['state', 'count']).where('campaign_id', '=', campaignId).where('state', 'not like', 'event.%').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.count)]));
}

/**
 * Deliveries removed by erasure that had a bounce or complaint, per event kind (`hard_bounce`, `soft_bounce`,
 * `complaint`), for one campaign: added to the figures so an erasure does not lower them.
 */
export async function erasedEventCounts(db: Kysely<DB>, campaignId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('campaign_counts').select(['state', 'count']).where('campaign_id', '=', campaignId).where('state', 'like', 'event.%').execute();
  return Object.fromEntries(rows.map((r) => [r.state.slice('event.'.length), Number(r.count)]));
}
