/**
 * Migration 006_lifecycle: what campaign editing, scheduling and figures need.
 * - `campaigns.scheduled_at`: the instant (ISO UTC) a scheduled campaign starts; null when not scheduled.
 * - `purposes.count_clicks`: 0/1, whether links in this purpose's campaigns are counted (off by default).
 * - `campaign_counters`: aggregate counts per campaign (unsubscribes through its links); numbers only.
 * - `campaign_links`: each campaign's link targets, fixed when it is created or edited, and their aggregate click
 *   counts. No contact, token or IP is ever stored with a click.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m006_lifecycle = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('campaigns').addColumn('scheduled_at', 'text').execute();
  await db.schema.alterTable('purposes').addColumn('count_clicks', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('campaign_counters')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('campaign_counters_pk', ['campaign_id', 'name'])
    .execute();
  await db.schema
    .createTable('campaign_links')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('campaign_links_pk', ['campaign_id', 'position'])
    .execute();
  await db.schema.createIndex('campaigns_schedule').on('campaigns').columns(['status', 'scheduled_at']).execute();
};
