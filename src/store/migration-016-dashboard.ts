/**
 * Migration 016_dashboard: the admin dashboard's chart of sign-ups, confirmations and unsubscribes per day reads
 * the consent ledger by event type and time. `consent_events_type_time` (type, occurred_at) makes that a range
 * per type over the last 90 days, read from the index alone, instead of a scan of every event ever recorded
 * (imports alone write one per contact).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m016_dashboard = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.createIndex('consent_events_type_time').on('consent_events').columns(['type', 'occurred_at']).execute();
};
