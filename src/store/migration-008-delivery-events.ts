/**
 * Migration 008_delivery_events (issue 12): what comes back about a delivery.
 * - `delivery_events`: each hard bounce, soft bounce and complaint recorded on its delivery, with when it
 *   happened, where it came from (smtp, dsn, arf, webhook:<provider>), the status and diagnostic, and the
 *   suppression it caused. One row per report (`report_key` unique per delivery), so a report read twice is
 *   recorded once. Rows go with the contact's erasure (they may quote the address).
 * - `unreadable_reports`: a bounce or complaint that could not be read or matched, kept with its reason for an
 *   operator to review instead of being lost.
 * Types in schema.ts.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export async function m008_delivery_events(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('delivery_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('diagnostic', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('report_key', 'text', (c) => c.notNull())
    .addColumn('suppression', 'text')
    .addUniqueConstraint('delivery_events_report', ['delivery_id', 'report_key'])
    .execute();
  await db.schema.createIndex('delivery_events_contact').on('delivery_events').columns(['contact_id', 'kind', 'occurred_at']).execute();
  await db.schema.createIndex('delivery_events_campaign').on('delivery_events').columns(['campaign_id', 'kind']).execute();

  await db.schema
    .createTable('unreadable_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('unreadable_reports_open').on('unreadable_reports').columns(['reviewed_at', 'received_at']).execute();
}
