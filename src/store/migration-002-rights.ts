/**
 * Migration 002 and the tables of issue 5 (data-subject rights and retention): the register of requests
 * received by letter, phone or mail (GDPR 12(3)), the audit log of retention runs (GDPR 5(1)(e), 5(2)), and the
 * per-campaign delivery counts that survive an erasure (GDPR 17: the rows go, the aggregate numbers stay).
 *
 * These tables are typed here rather than in schema.ts; store modules reach them through `rightsDb(db)`, which
 * is Kysely's `withTables`, so the same function still works on a `Transaction<DB>`.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { DB } from './schema.js';

export interface DataSubjectRequestsTable {
  id: string;
  /** The contact (a pseudonymous id), when known; kept after erasure so the register still shows the answer. */
  contact_id: string | null;
  /** RequestKind (core/requests.ts) */
  kind: string;
  /** letter | phone | email | web | other */
  channel: string;
  /** Free text identifying the requester for the operator; set to null when the person is erased. */
  requester: string | null;
  received_at: string;
  /** One month after receipt plus any extension (GDPR 12(3)). */
  due_at: string;
  /** 0, 1 or 2 further months. */
  extension_months: number;
  /** JSON array of reasons, one per extension. */
  extension_reasons: string;
  completed_at: string | null;
  /** What was done, in the operator's words (no address). */
  outcome: string | null;
  created_at: string;
}

export interface RetentionRunsTable {
  id: string;
  ran_at: string;
  /** 1 for `--dry-run` (nothing erased), 0 for a real run. */
  dry_run: number;
  /** JSON: the rules applied. */
  rules: string;
  examined: number;
  kept: number;
  /** JSON: { [rule or 'no_basis']: count } of contacts erased (or that would be). */
  counts: string;
  /** JSON array of contact ids erased (or that would be); ids only, never addresses. */
  contact_ids: string;
}

export interface CampaignCountsTable {
  campaign_id: string;
  /** DeliveryState */
  state: string;
  /** Deliveries in this state whose rows were removed by erasure. */
  count: number;
}

export type RightsTables = {
  data_subject_requests: DataSubjectRequestsTable;
  retention_runs: RetentionRunsTable;
  campaign_counts: CampaignCountsTable;
};

export type RightsDB = DB & RightsTables;

/** The database handle with the tables of this migration typed too. Works on transactions. */
export const rightsDb = (db: Kysely<DB>): Kysely<RightsDB> => db.withTables<RightsTables>();

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
