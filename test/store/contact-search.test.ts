// The contacts list's purpose filter gives the same pages whether it starts from the few matching permissions
// or walks the contacts and probes each one's permission (store/contact-search.ts), on SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactPage } from '../../src/store/contact-search.js';
import { DIALECTS } from '../support/stores.js';

const STATUSES = ['active', 'pending', 'withdrawn', 'objected'];

for (const { name, open } of DIALECTS) {
  test(`purpose filter: both plans give the same keyset pages (${name})`, async (t) => {
    const store = await open();
    t.after(() => store.dispose());
    const db = store.db;
    await db.insertInto('purposes').values({ id: 'tips', name_nl: 't', name_en: 't', description_nl: 't', description_en: 't', category: 'purpose_marketing', double_opt_in: 1, retention: '{}', created_at: '2026-01-01T00:00:00.000Z' }).execute();
    for (let i = 0; i < 60; i++) {
      const id = `c${String(i).padStart(3, '0')}`;
      // Every third contact created at the same time as the one before, so the (created_at, id) order matters.
      const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 3 * 3600_000 + (i % 3 === 2 ? 0 : (i % 3) * 60_000)).toISOString();
      await db.insertInto('contacts').values({ id, email: `u${i}@example.nl`, source_kind: 'form', created_at: at, updated_at: at }).execute();
      if (i % 5 === 4) continue;
      await db.insertInto('permissions').values({
        id: `p${i}`, contact_id: id, purpose_id: 'tips', basis: i % 7 === 0 ? 'A6-1-f' : 'A6-1-a', status: STATUSES[i % 4]!, method: 'double_opt_in', source_kind: 'form',
        given_at: at, confirmed_at: null, withdrawn_at: null, third_party_evidence: 0, evidence_event_id: 'x', import_id: null, notice_version: null, created_at: at, updated_at: at,
      }).execute();
    }
    const all = async (filter: { status?: string; basis?: string }, sparseUpTo: number) => {
      const ids: string[] = [];
      let after: string | undefined;
      for (;;) {
        const p = await contactPage(db, store.dialect, { purposeId: 'tips', ...filter, limit: 4, sparseUpTo, ...(after && { after }) });
        ids.push(...p.rows.map((r) => r.id));
        if (!p.next) return ids;
        after = p.next;
      }
    };
    for (const filter of [{}, { status: 'active' }, { status: 'objected', basis: 'A6-1-a' }, { status: 'expired' }]) {
      const sparse = await all(filter, 1000);
      const dense = await all(filter, 0);
      assert.deepEqual(dense, sparse, JSON.stringify(filter));
      const expected = (await db.selectFrom('contacts as c').innerJoin('permissions as p', 'p.contact_id', 'c.id').select('c.id').where('p.purpose_id', '=', 'tips')
        .$if('status' in filter, (q) => q.where('p.status', '=', (filter as { status: string }).status))
        .$if('basis' in filter, (q) => q.where('p.basis', '=', (filter as { basis: string }).basis))
        .orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').execute()).map((r) => r.id);
      assert.deepEqual(sparse, expected, JSON.stringify(filter));
    }
  });
}
