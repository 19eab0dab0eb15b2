/**
 * Migration 007_sending (issue 11): sending at scale.
 * - `deliveries_claim` (campaign_id, state, lease_until): serves the claim (one campaign's due queued rows and
 *   expired claims, in due order) and the "anything left?" check with an index range of the batch's size,
 *   instead of reading every delivery of the campaign. Queued rows now carry their due time in `lease_until`
 *   (enqueue time, or when a retry is due); rows queued before this migration get their creation time.
 * - `deliveries_sent` (campaign_id, sent_at): the recent sending rate of `campaign show` without a scan.
 * - campaigns: `paused_reason` (why a campaign stopped: a relay failure's reply, or "operator"), `paused_at`,
 *   and the last relay error with its time, shown by `campaign list`/`show` and the API.
 * - `relay_budgets`: one token bucket per relay shared by every sender process on the same database
 *   (SMTP_RATE, SMTP_RATE_PER_HOUR), with the rate a throttling relay slowed it to.
 * Types in schema.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';

export async function m007_sending(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`update deliveries set lease_until = created_at where state = 'queued' and lease_until is null`.execute(db);
  await db.schema.createIndex('deliveries_claim').on('deliveries').columns(['campaign_id', 'state', 'lease_until']).execute();
  await db.schema.createIndex('deliveries_sent').on('deliveries').columns(['campaign_id', 'sent_at']).execute();
  for (const column of ['paused_reason', 'paused_at', 'last_relay_error', 'last_relay_error_at']) {
    await db.schema.alterTable('campaigns').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('relay_budgets')
    .addColumn('relay', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('hour_tokens', 'double precision', (c) => c.notNull())
    .addColumn('rate', 'double precision')
    .addColumn('updated_ms', 'double precision', (c) => c.notNull())
    .addColumn('throttled_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
}
