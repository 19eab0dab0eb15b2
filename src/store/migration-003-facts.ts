/**
 * Migration 003_facts: the facts the send gate needs that 001 did not hold yet, and covering indexes for the
 * audience stream (store/audience.ts), so that a preview of a million contacts reads three indexes in order
 * instead of jumping through the tables (bench/README.md).
 * - `contacts.lead`: a prospect in a sales pipeline who never opted in (SCENARIOS B5).
 * - `contacts_audience`: contacts in id order with every column the gate reads.
 * - `permissions_audience`: one purpose's permissions in contact order with every column the gate reads.
 * - `purchases_audience`: purchases in contact order with their facts (replaces `purchases_contact`, which the
 *   planner would otherwise prefer, fetching every purchase from the table).
 * The Kysely type of the new column is declared in store/relationships.ts (module augmentation of schema.ts).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

/** The contact columns the audience stream reads, in index order (id first). */
export const AUDIENCE_CONTACT_COLUMNS = [
  'id', 'email', 'kind', 'role_address', 'designated_for_offers', 'employee', 'employee_work_address',
  'customer_opted_out', 'suppression', 'source_kind', 'lead',
] as const;

/** The permission columns the audience stream reads, after (purpose_id, contact_id). */
export const AUDIENCE_PERMISSION_COLUMNS = [
  'contact_id', 'basis', 'status', 'method', 'source_kind', 'given_at', 'confirmed_at', 'third_party_evidence', 'import_id',
  'evidence_event_id',
] as const;

export const m003_facts = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('contacts').addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('contacts_audience').on('contacts').columns([...AUDIENCE_CONTACT_COLUMNS]).execute();
  await db.schema.createIndex('permissions_audience').on('permissions').columns(['purpose_id', ...AUDIENCE_PERMISSION_COLUMNS]).execute();
  await db.schema
    .createIndex('purchases_audience')
    .on('purchases')
    .columns(['contact_id', 'product_category', 'purchased_at', 'opt_out_offered'])
    .execute();
  await db.schema.dropIndex('purchases_contact').execute();
};
