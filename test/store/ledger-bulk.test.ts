import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventHash } from '../../src/core/ledger-chain.js';
import { appendEvent, appendEvents, MAX_PARAMS, subjectEvents, takeCheckpoint, toStoredEvent, verifyLedger, type NewLedgerEvent } from '../../src/store/ledger.js';
import { DIALECTS } from '../support/stores.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-02-01T00:00:00Z');

const event = (subjectId: string, i: number): NewLedgerEvent => ({
  subjectId,
  type: i % 2 === 0 ? 'imported' : 'withdrawn',
  purposeId: 'tips',
  basis: 'A6-1-a',
  occurredAt: new Date(t0.getTime() + i * 1000),
  details: { importId: 'imp-1', origin: { line: i, file: 'x.csv' }, z: null, a: [1, 'b'] },
  personal: i % 3 === 2 ? null : { email: `${subjectId}@example.com`, optinIp: '192.0.2.1' },
});

for (const dialect of DIALECTS) {
  describe(`appendEvents (${dialect.name})`, () => {
    it('chains like appendEvent one by one: existing subjects continue their chain, new ones start at seq 1', async () => {
      const store = await dialect.open();
      try {
        for (const s of ['old-a', 'old-b']) for (let i = 0; i < 2; i++) await appendEvent(store.db, event(s, i), t0);
        await takeCheckpoint(store.db, store.dialect, t0);
        // Interleaved subjects, several events of one subject in one call, old and new subjects together.
        const batch = ['old-a', 'new-1', 'old-b', 'new-1', 'old-a', 'new-2', 'new-1'].map((s, i) => event(s, 10 + i));
        const out = await appendEvents(store.db, batch, t1);
        assert.equal(out.length, batch.length);

        const a = (await subjectEvents(store.db, 'old-a')).map(toStoredEvent);
        assert.deepEqual(a.map((e) => e.seq), [1, 2, 3, 4]);
        assert.equal(a[2]!.prevHash, a[1]!.hash);
        assert.equal(a[3]!.prevHash, a[2]!.hash);
        assert.equal(a[2]!.hash, out[0]!.hash);
        const n1 = (await subjectEvents(store.db, 'new-1')).map(toStoredEvent);
        assert.deepEqual(n1.map((e) => [e.seq, e.prevHash === '' ? '' : 'linked']), [[1, ''], [2, 'linked'], [3, 'linked']]);
        assert.deepEqual(n1.map((e) => e.hash), [out[1]!.hash, out[3]!.hash, out[6]!.hash]);
        // The hashed part is what appendEvent would hash: the stored row re-hashes to the stored hash.
        for (const e of [...a, ...n1]) assert.equal(eventHash(e), e.hash);
        const row = (await subjectEvents(store.db, 'new-2'))[0]!;
        assert.equal(row.recorded_at, t1.toISOString());
        assert.equal(row.occurred_at, batch[5]!.occurredAt.toISOString());
        assert.equal(row.id, out[5]!.id);
        assert.match(JSON.parse(row.personal!).salt, /^[0-9a-f]{32}$/);

        await takeCheckpoint(store.db, store.dialect, t1);
        const report = await verifyLedger(store.db, store.dialect);
        assert.deepEqual(report.problems, []);
        assert.equal(report.events, 4 + batch.length);
        assert.equal(report.subjects, 4);
        // appendEvent after appendEvents continues the same chain.
        await appendEvent(store.db, event('new-1', 99), t1);
        assert.deepEqual((await subjectEvents(store.db, 'new-1')).map((e) => e.seq), [1, 2, 3, 4]);
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
      } finally {
        await store.dispose();
      }
    });

    it('splits large batches into INSERTs within the parameter limit, in order', async () => {
      const store = await dialect.open();
      try {
        const n = Math.floor(MAX_PARAMS / 13) * 2 + 7; // three INSERT statements
        const batch = Array.from({ length: n }, (_, i) => event(`s-${i % 1000}`, i));
        const out = await appendEvents(store.db, batch, t1);
        assert.equal(out.length, n);
        const rows = await store.db.selectFrom('consent_events').select(['id', 'subject_id', 'seq']).orderBy('position').execute();
        assert.deepEqual(rows.map((r) => r.id), out.map((e) => e.id));
        assert.equal(rows[n - 1]!.seq, Math.floor((n - 1) / 1000) + 1);
        const report = await verifyLedger(store.db, store.dialect);
        assert.deepEqual(report.problems, []);
        assert.equal(report.subjects, 1000);
        assert.deepEqual(await appendEvents(store.db, [], t1), []);
      } finally {
        await store.dispose();
      }
    });

    it('fails as a whole, never forks, when a subject gained an event it did not see', async () => {
      const store = await dialect.open();
      try {
        await appendEvent(store.db, event('x', 0), t0);
        await assert.rejects(
          store.db.transaction().execute(async (trx) => {
            await appendEvents(trx, [event('y', 1), event('x', 2)], t1);
            // A conflicting writer's row with the seq the batch took.
            const head = await trx.selectFrom('consent_events').selectAll().where('subject_id', '=', 'x').where('seq', '=', 2).executeTakeFirstOrThrow();
            await trx.insertInto('consent_events').values({ ...head, position: undefined, id: 'other' }).execute();
          }),
        );
        assert.deepEqual((await subjectEvents(store.db, 'x')).map((e) => e.seq), [1]);
        assert.deepEqual(await subjectEvents(store.db, 'y'), []);
      } finally {
        await store.dispose();
      }
    });
  });
}
