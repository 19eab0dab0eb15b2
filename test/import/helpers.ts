/**
 * Shared set-up for import tests: a store with one purpose, import dependencies with a fixed clock, and
 * small queries on what an import left behind.
 */
import { fileURLToPath } from 'node:url';
import { FixedClock } from '../../src/services/deps.js';
import type { ImportDeps } from '../../src/services/lists/import/mailchimp.js';
import { insertPurpose } from '../../src/store/purposes.js';
import type { TestStore } from '../support/stores.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const SECRET = 'import-test-secret-0123456789abcdef';
export const NOW = new Date('2026-11-30T10:00:00Z');

/** Adds the purpose 'tips' and returns import dependencies on the store. */
export async function setUp(store: TestStore): Promise<ImportDeps> {
  await insertPurpose(store.db, {
    id: 'tips',
    name_nl: 'Tips',
    name_en: 'Tips',
    description_nl: 'Tips',
    description_en: 'Tips',
    category: 'purpose_marketing',
    double_opt_in: 1,
    frequency_nl: null,
    frequency_en: null,
    retention: '{}',
    created_at: NOW.toISOString(),
  });
  return { db: store.db, dialect: store.dialect, clock: new FixedClock(NOW), secret: SECRET, recordIp: true };
}

/** Row counts of the tables an import writes. */
export async function tableCounts(store: TestStore) {
  const n = async (t: 'contacts' | 'suppressions' | 'permissions' | 'consent_events' | 'imports' | 'purchases') =>
    Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    contacts: await n('contacts'),
    suppressions: await n('suppressions'),
    permissions: await n('permissions'),
    events: await n('consent_events'),
    imports: await n('imports'),
    purchases: await n('purchases'),
  };
}

/** A contact's permission for 'tips', joined with the contact. */
export async function permissionByEmail(store: TestStore, email: string) {
  return store.db
    .selectFrom('permissions')
    .innerJoin('contacts', 'contacts.id', 'permissions.contact_id')
    .selectAll('permissions')
    .select(['contacts.email', 'contacts.first_name', 'contacts.last_name', 'contacts.attributes', 'contacts.suppression', 'contacts.kind', 'contacts.source_kind as contact_source', 'contacts.source_ref', 'contacts.role_address'])
    .where('contacts.email', '=', email)
    .where('permissions.purpose_id', '=', 'tips')
    .executeTakeFirst();
}
