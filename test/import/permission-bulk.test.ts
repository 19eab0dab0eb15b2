import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changePermission, changePermissions, type PermissionChange } from '../../src/services/consent/permission-change.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { DIALECTS, type TestStore } from '../support/stores.js';
import { NOW, setUp } from './helpers.js';

const t = (d: string) => new Date(`${d}T00:00:00Z`);

const contact = (id: string) => ({
  id, email: `${id}@example.com`, first_name: null, last_name: null, attributes: '{}', source_kind: 'import', source_ref: null,
  created_at: NOW.toISOString(), updated_at: NOW.toISOString(),
});

const imported = (contactId: string, givenAt: Date): PermissionChange => ({
  contactId, purposeId: 'tips', event: 'imported', basis: 'A6-1-a', status: 'active', method: 'import', sourceKind: 'import',
  occurredAt: givenAt, givenAt, confirmedAt: null, withdrawnAt: null, importId: 'imp-1', details: { importId: 'imp-1' }, personal: { email: `${contactId}@example.com` },
});
const withdrawn = (contactId: string): PermissionChange => ({
  contactId, purposeId: 'tips', event: 'withdrawn', basis: 'A6-1-a', status: 'withdrawn', method: 'import', sourceKind: 'import',
  occurredAt: t('2025-06-01'), withdrawnAt: t('2025-06-01'), details: { reason: 'test' },
});

/** Permissions and event chains without the random parts (ids, salts, hashes). */
async function state(store: TestStore) {
  const perms = await store.db.selectFrom('permissions').selectAll().orderBy('contact_id').execute();
  const events = await store.db.selectFrom('consent_events').select(['id', 'subject_id', 'seq', 'type', 'occurred_at', 'details']).orderBy('position').execute();
  for (const p of perms) assert.equal(p.evidence_event_id, events.filter((e) => e.subject_id === p.contact_id).at(-1)!.id);
  return {
    perms: perms.map(({ id: _i, evidence_event_id: _e, ...p }) => p),
    events: events.map(({ id: _i, ...e }) => e),
  };
}

for (const dialect of DIALECTS) {
  describe(`changePermissions (${dialect.name})`, () => {
    it('leaves the same permissions and chains as changePermission one change at a time', async () => {
      const changes = [imported('c-old', t('2020-01-01')), imported('c-new', t('2021-01-01')), withdrawn('c-old'), imported('c-new', t('2019-01-01')), imported('c-2', t('2022-01-01'))];
      const results = [];
      for (const bulk of [false, true]) {
        const store = await dialect.open();
        try {
          await setUp(store);
          await store.db.insertInto('contacts').values(['c-old', 'c-new', 'c-2'].map(contact)).execute();
          // c-old has a permission from before.
          await changePermission(store.db, { ...imported('c-old', t('2018-01-01')), method: 'double_opt_in', importId: null }, t('2024-01-01'));
          await store.db.transaction().execute(async (trx) => {
            if (bulk) assert.equal((await changePermissions(trx, changes, NOW)).length, changes.length);
            else for (const c of changes) await changePermission(trx, c, NOW);
          });
          assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
          results.push(await state(store));
        } finally {
          await store.dispose();
        }
      }
      assert.deepEqual(results[1], results[0]);
      assert.equal(results[0]!.perms.find((p) => p.contact_id === 'c-old')!.status, 'withdrawn');
      assert.equal(results[0]!.perms.find((p) => p.contact_id === 'c-new')!.given_at, t('2019-01-01').toISOString());
    });
  });
}
