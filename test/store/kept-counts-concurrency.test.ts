// PostgreSQL's kept dashboard counts (migration 017) under concurrent writers: two transactions that change two
// counts of one purpose in opposite orders both commit without waiting on each other (each sets a lock_timeout, so
// the shared-row upsert design fails fast here instead of deadlocking), and compaction (compactKeptCounts) keeps
// every sum right while other transactions insert, and next to another compaction.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type ControlledTransaction, type Kysely } from 'kysely';
import { changePermissions, type PermissionChange } from '../../src/services/consent/permission-change.js';
import { compactKeptCounts, keptFigures, recountedFigures } from '../../src/store/dashboard.js';
import type { DB } from '../../src/store/schema.js';
import { world } from '../support/setup.js';
import { DIALECTS } from '../support/stores.js';

const HOUR = 3600_000;

/** A new contact, committed. */
async function contact(db: Kysely<DB>, at: Date): Promise<string> {
  const id = randomUUID();
  const t = at.toISOString();
  await db.insertInto('contacts').values({ id, email: `${id}@example.nl`, first_name: null, last_name: null, source_kind: 'form', source_ref: null, locale: 'nl', created_at: t, updated_at: t }).execute();
  return id;
}

/** A tips permission given to `contactId` with `status`, as a ledger event at `occurredAt`. */
const given = (contactId: string, status: 'active' | 'pending', occurredAt: Date): PermissionChange => ({
  contactId, purposeId: 'tips', event: 'given', status, basis: 'A6-1-a', method: 'single_opt_in', sourceKind: 'form', occurredAt, givenAt: occurredAt, details: {},
});

/** A transaction on its own connection that gives up after 1 s waiting for a lock. */
async function begin(db: Kysely<DB>): Promise<ControlledTransaction<DB>> {
  const trx = await db.startTransaction().execute();
  await sql`set local lock_timeout = '1s'`.execute(trx);
  return trx;
}

const rowCount = async (db: Kysely<DB>, table: 'permission_counts' | 'ledger_hour_counts') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function assertKept(db: Kysely<DB>, what: string): Promise<void> {
  assert.deepEqual(await keptFigures(db), await recountedFigures(db), what);
}

for (const dialect of DIALECTS.filter((d) => d.name === 'postgres')) {
  describe('kept dashboard counts under concurrent writers (postgres)', () => {
    it('two transactions changing (tips, pending) and (tips, active) in opposite orders both commit', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const now = w.clock.now();
        const earlier = new Date(now.getTime() - HOUR); // B's ledger events count in another hour than A's
        const [c1, c2] = [await contact(store.db, now), await contact(store.db, now)];
        // Both keys exist before, as on a live system.
        await store.db.transaction().execute((trx) => changePermissions(trx, [given(c1, 'pending', now), given(c2, 'active', now)], now));
        const [p3, p4, p5, p6] = [await contact(store.db, now), await contact(store.db, now), await contact(store.db, now), await contact(store.db, now)];
        const a = await begin(store.db);
        const b = await begin(store.db);
        try {
          await changePermissions(a, [given(p3, 'pending', now)], now); // A: key 1
          await changePermissions(b, [given(p4, 'active', earlier)], now); // B: key 2
          await changePermissions(a, [given(p5, 'active', now)], now); // A: key 2 (the upsert design waited on B here)
          await changePermissions(b, [given(p6, 'pending', earlier)], now); // B: key 1
          await a.commit().execute();
          await b.commit().execute();
        } finally {
          if (!a.isCommitted) await a.rollback().execute();
          if (!b.isCommitted) await b.rollback().execute();
        }
        await assertKept(store.db, 'after both committed');
        const tips = Object.fromEntries((await keptFigures(store.db)).permissions.map((p) => [p.status, p.n]));
        assert.deepEqual(tips, { active: 3, pending: 3 });
        assert.deepEqual(
          (await keptFigures(store.db)).ledgerHours.filter((h) => h.type === 'given').map((h) => [h.hour, h.n]),
          [[earlier.toISOString().slice(0, 13), 2], [now.toISOString().slice(0, 13), 4]],
        );
      } finally {
        await store.dispose();
      }
    });

    it('compaction keeps every sum right while other transactions insert, and next to another compaction', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const now = w.clock.now();
        // Several statements, so several delta rows per key.
        for (const status of ['active', 'pending', 'active', 'active'] as const) {
          const id = await contact(store.db, now);
          await store.db.transaction().execute((trx) => changePermissions(trx, [given(id, status, now)], now));
        }
        assert.ok((await rowCount(store.db, 'permission_counts')) > 2);
        assert.deepEqual((await keptFigures(store.db)).permissions.map((p) => [p.status, p.n]), [['active', 3], ['pending', 1]]);

        // A writer's rows inserted (not committed) before the compaction: the compaction neither waits on them nor
        // deletes them; they count once A commits.
        const a = await begin(store.db);
        const c = await begin(store.db);
        const b = await begin(store.db);
        try {
          await changePermissions(a, [given(await contact(store.db, now), 'active', now)], now);
          const compacted = await compactKeptCounts(c, 'postgres');
          assert.ok(compacted.deleted > compacted.inserted, JSON.stringify(compacted));
          // B inserts and commits while the compaction's deletions are not yet committed: it does not wait either.
          await changePermissions(b, [given(await contact(store.db, now), 'pending', now)], now);
          await b.commit().execute();
          await c.commit().execute();
          assert.deepEqual(
            (await keptFigures(store.db)).permissions.map((p) => [p.status, p.n]),
            [['active', 3], ['pending', 2]],
            'B counted, A not yet committed',
          );
          await a.commit().execute();
        } finally {
          for (const t of [a, b, c]) if (!t.isCommitted) await t.rollback().execute();
        }
        await assertKept(store.db, 'after the compaction and both writers');

        // Two compactions at once: the second waits for the first's deletions, then skips the rows gone; no row is
        // summed twice.
        for (const status of ['active', 'pending', 'active'] as const) {
          const id = await contact(store.db, now);
          await store.db.transaction().execute((trx) => changePermissions(trx, [given(id, status, now)], now));
        }
        const expected = await recountedFigures(store.db);
        const c1 = await store.db.startTransaction().execute();
        try {
          await compactKeptCounts(c1, 'postgres');
          const second = compactKeptCounts(store.db, 'postgres');
          // Wait (polling the server, not the clock) until the second compaction waits on the first's row locks.
          while (Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(store.db)).rows[0]!.n) === 0);
          await c1.commit().execute();
          await second;
        } finally {
          if (!c1.isCommitted) await c1.rollback().execute();
        }
        assert.deepEqual(await keptFigures(store.db), expected);
        await assertKept(store.db, 'after two compactions at once');
        // Compacted: one row per key.
        await compactKeptCounts(store.db, 'postgres');
        assert.equal(await rowCount(store.db, 'permission_counts'), expected.permissions.length);
        assert.equal(await rowCount(store.db, 'ledger_hour_counts'), expected.ledgerHours.length);
        assert.deepEqual(await compactKeptCounts(store.db, 'postgres'), { deleted: 0, inserted: 0 }, 'nothing left to compact');
      } finally {
        await store.dispose();
      }
    });
  });
}
