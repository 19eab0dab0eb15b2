/**
 * Schema migrations, run at every start (`migrateToLatest`). Append new migrations; never edit a released one.
 * The only dialect difference is the auto-increment column type (SQLite `integer primary key autoincrement`,
 * PostgreSQL `serial`).
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './db.js';
import { m002_rights } from './migration-002-rights.js';
import { m003_facts } from './migration-003-facts.js';
import { m004_admin } from './migration-004-admin.js';
import { m005_content } from './migration-005-content.js';
import { m006_lifecycle } from './migration-006-lifecycle.js';
import { m007_sending } from './migration-007-sending.js';
import { m008_delivery_events } from './migration-008-delivery-events.js';
import { m009_webhooks } from './migration-009-webhooks.js';
import { m010_signup_guard } from './migration-010-signup-guard.js';
import { m012_purpose_admin } from './migration-012-purpose-admin.js';
import { m016_dashboard } from './migration-016-dashboard.js';
import { m017_counts } from './migration-017-counts.js';

type Up = (db: Kysely<unknown>, dialect: Dialect) => Promise<void>;

const autoId = (dialect: Dialect) => (dialect === 'postgres' ? 'serial' : 'integer');

const m001_core: Up = async (db, dialect) => {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('role_address', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('designated_for_offers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('designation_evidence', 'text')
    .addColumn('employee', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('employee_work_address', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_opted_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suppression', 'text')
    .addColumn('locale', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('purposes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_nl', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('description_nl', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('frequency_nl', 'text')
    .addColumn('frequency_en', 'text')
    .addColumn('retention', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('permissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('purpose_id', 'text', (c) => c.notNull().references('purposes.id'))
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('given_at', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('third_party_evidence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('evidence_event_id', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text')
    .addColumn('notice_version', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('permissions_contact_purpose', ['contact_id', 'purpose_id'])
    .execute();
  await db.schema.createIndex('permissions_purpose').on('permissions').columns(['purpose_id', 'status']).execute();

  await db.schema
    .createTable('consent_events')
    .addColumn('position', autoId(dialect), (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('purpose_id', 'text')
    .addColumn('basis', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('personal_digest', 'text', (c) => c.notNull())
    .addColumn('personal', 'text')
    .addUniqueConstraint('consent_events_subject_seq', ['subject_id', 'seq'])
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('id', autoId(dialect), (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('up_to_position', 'integer', (c) => c.notNull())
    .addColumn('subject_count', 'integer', (c) => c.notNull())
    .addColumn('merkle_root', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('privacy_notices')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purposes', 'text', (c) => c.notNull())
    .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('texts', 'text', (c) => c.notNull())
    .addColumn('lead_magnet_purpose_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose_id', 'text', (c) => c.notNull().references('purposes.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('third_party', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('product_category', 'text')
    .addColumn('other_legal_entity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('repermission_deadline', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('basis', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('smtp_reply', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deliveries_campaign_contact', ['campaign_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('deliveries_queue').on('deliveries').columns(['state', 'lease_until']).execute();
  await db.schema.createIndex('deliveries_contact').on('deliveries').column('contact_id').execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('purpose_id', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('evidence_ref', 'text')
    .addColumn('input_digest', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('counts', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('product_category', 'text', (c) => c.notNull())
    .addColumn('purchased_at', 'text', (c) => c.notNull())
    .addColumn('opt_out_offered', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purchases_contact').on('purchases').column('contact_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Subjects' chains are read in id order for checkpoints; "C" collation keeps PostgreSQL's order bytewise.
  if (dialect === 'postgres') {
    await sql`create index consent_events_subject_c on consent_events (subject_id collate "C", seq)`.execute(db);
  }
};

/** The migrations in order. Names sort in order of application. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Up]> = [
  ['001_core', m001_core],
  ['002_rights', m002_rights],
  ['003_facts', m003_facts],
  ['004_admin', m004_admin],
  ['005_content', m005_content],
  ['006_lifecycle', m006_lifecycle],
  ['007_sending', m007_sending],
  ['008_delivery_events', m008_delivery_events],
  ['009_webhooks', m009_webhooks],
  ['010_signup_guard', m010_signup_guard],
  ['012_purpose_admin', m012_purpose_admin],
  ['016_dashboard', m016_dashboard],
  ['017_counts', m017_counts],
];

/**
 * Applies every pending migration. Migrations were written side by side and each stands on its own, so one with a
 * lower number that a database has not run yet still runs after higher ones (allowUnorderedMigrations).
 * Throws with the failing migration's name and cause.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(
        MIGRATIONS.map(([name, up]): [string, Migration] => [name, { up: (d) => up(d, dialect) }]),
      ),
  };
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
