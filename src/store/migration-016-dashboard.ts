/**
 * Migration 016_dashboard: the admin dashboard's chart of sign-ups, confirmations and unsubscribes per day reads
 * the consent ledger by event type and time. `consent_events_type_time` (type, occurred_at) makes that a range
 * per type over the last 90 days, read from the index alone, instead of a scan of every event ever recorded
 * (imports alone write one per contact).
 * `contacts_source` (source_kind) and `permissions_basis` (basis): the privacy notice's conditional items ask
 * "does any contact come from a third party?" and "does any permission rest on legitimate interest?"
 * (services/organisation/notice-admin.ts `noticeConditions`, on the dashboard and before publishing); without
 * them each question read every row when the answer was no (1.2 s at 1,000,000 contacts, bench/admin-pages.ts).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m016_dashboard = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.createIndex('consent_events_type_time').on('consent_events').columns(['type', 'occurred_at']).execute();
  await db.schema.createIndex('contacts_source').on('contacts').column('source_kind').execute();
  await db.schema.createIndex('permissions_basis').on('permissions').column('basis').execute();
};
