import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DIALECTS } from '../support/stores.js';
import { appendEvent, takeCheckpoint, verifyLedger } from '../../src/store/ledger.js';

const t0 = new Date('2026-01-01T00:00:00Z');

for (const dialect of DIALECTS) {
  describe(`consent ledger (${dialect.name})`, () => {
    /** Three subjects with three events each, checkpointed. */
    async function seeded() {
      const store = await dialect.open();
      for (const s of ['a', 'b', 'c']) {
        for (const type of ['requested', 'confirmed', 'withdrawn'] as const) {
          await appendEvent(
            store.db,
            { subjectId: `subject-${s}`, type, purposeId: 'tips', basis: 'A6-1-a', occurredAt: t0, details: { method: 'double_opt_in' }, personal: { email: `${s}@example.com` } },
            t0,
          );
        }
      }
      assert.ok(await takeCheckpoint(store.db, store.dialect, t0));
      return store;
    }

    it('verifies an intact ledger, also after personal details are erased', async () => {
      const store = await seeded();
      try {
        let report = await verifyLedger(store.db, store.dialect);
        assert.deepEqual(report.problems, []);
        assert.equal(report.events, 9);
        assert.equal(report.subjects, 3);
        await store.db.updateTable('consent_events').set({ personal: null }).where('subject_id', '=', 'subject-a').execute();
        report = await verifyLedger(store.db, store.dialect);
        assert.equal(report.ok, true);
      } finally {
        await store.dispose();
      }
    });

    it('fails after an event is edited', async () => {
      const store = await seeded();
      try {
        await store.db.updateTable('consent_events').set({ type: 'given' }).where('subject_id', '=', 'subject-b').where('seq', '=', 3).execute();
        const report = await verifyLedger(store.db, store.dialect);
        assert.equal(report.ok, false);
        assert.match(report.problems[0]!.problem, /edited/);
      } finally {
        await store.dispose();
      }
    });

    it('fails after the personal details are swapped for another address', async () => {
      const store = await seeded();
      try {
        const row = await store.db.selectFrom('consent_events').select('personal').where('subject_id', '=', 'subject-a').where('seq', '=', 1).executeTakeFirstOrThrow();
        const other = row.personal!.replace('a@example.com', 'z@example.com');
        await store.db.updateTable('consent_events').set({ personal: other }).where('subject_id', '=', 'subject-a').where('seq', '=', 1).execute();
        const report = await verifyLedger(store.db, store.dialect);
        assert.equal(report.ok, false);
        assert.match(report.problems[0]!.problem, /personal details/);
      } finally {
        await store.dispose();
      }
    });

    it('fails after an event in the middle is removed', async () => {
      const store = await seeded();
      try {
        await store.db.deleteFrom('consent_events').where('subject_id', '=', 'subject-b').where('seq', '=', 2).execute();
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, false);
      } finally {
        await store.dispose();
      }
    });

    it('fails after the latest event of a chain is removed (the checkpoint notices)', async () => {
      const store = await seeded();
      try {
        await store.db.deleteFrom('consent_events').where('subject_id', '=', 'subject-c').where('seq', '=', 3).execute();
        const report = await verifyLedger(store.db, store.dialect);
        assert.equal(report.ok, false);
        assert.match(report.problems.map((p) => p.problem).join('\n'), /checkpoint/);
      } finally {
        await store.dispose();
      }
    });

    it('fails after a whole subject is removed', async () => {
      const store = await seeded();
      try {
        await store.db.deleteFrom('consent_events').where('subject_id', '=', 'subject-a').execute();
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, false);
      } finally {
        await store.dispose();
      }
    });

    it('fails after two events are reordered', async () => {
      const store = await seeded();
      try {
        // Swap seq 1 and 2 of subject a (through a free number, since (subject, seq) is unique).
        const q = (from: number, to: number) =>
          sql`update consent_events set seq = ${to} where subject_id = 'subject-a' and seq = ${from}`.execute(store.db);
        await q(1, 99);
        await q(2, 1);
        await q(99, 2);
        const report = await verifyLedger(store.db, store.dialect);
        assert.equal(report.ok, false);
        assert.match(report.problems.map((p) => p.problem).join('\n'), /reordered/);
      } finally {
        await store.dispose();
      }
    });

    it('fails after a checkpoint is edited', async () => {
      const store = await seeded();
      try {
        await store.db.updateTable('ledger_checkpoints').set({ subject_count: 2 }).execute();
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, false);
      } finally {
        await store.dispose();
      }
    });
  });
}
