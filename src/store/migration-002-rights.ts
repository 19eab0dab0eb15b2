/**
 * Migration 002 and the tables of issue 5 (data-subject rights and retention): the register of requests
 * received by letter, phone or mail (GDPR 12(3)), the audit log of retention runs (GDPR 5(1)(e), 5(2)), and the
 * per-campaign delivery counts that survive an erasure (GDPR 17: the rows go, the aggregate numbers stay).
 * Their types are in schema.ts.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

/** Creates the three tables; the same DDL on SQLite and PostgreSQL. */
export async function m002_rights(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('data_subject_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requester', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('extension_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('completed_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dsr_contact').on('data_subject_requests').column('contact_id').execute();
  await db.schema.createIndex('dsr_open').on('data_subject_requests').columns(['completed_at', 'due_at']).execute();

  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('examined', 'integer', (c) => c.notNull())
    .addColumn('kept', 'integer', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('contact_ids', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaign_counts')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('campaign_counts_pk', ['campaign_id', 'state'])
    .execute();
}
