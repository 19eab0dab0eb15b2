// The dashboard's figures kept on write by triggers (migration 017) equal a full recount after every kind of
// writer (and after PostgreSQL's compaction of its delta rows): the Mailchimp import (SQLite's prepared statements, PostgreSQL's Kysely path), sign-ups, confirmations,
// unsubscribes, an erasure, bulk permission changes, a retention run, an evidence import into an empty database;
// a kept count edited by hand is found and repaired; migration 017 fills the counts of an existing database.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { checkKeptCounts, dashboard } from '../../src/services/admin/dashboard.js';
import { changePermissions } from '../../src/services/consent/permission-change.js';
import { exportEvidence } from '../../src/services/lists/evidence-export.js';
import { importEvidence } from '../../src/services/lists/evidence-import.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { runRetention } from '../../src/services/rights/retention.js';
import { compactKeptCounts, keptFigures, recountedFigures } from '../../src/store/dashboard.js';
import { migrateToLatest } from '../../src/store/migrations.js';
import type { DB } from '../../src/store/schema.js';
import { richState } from '../evidence/rich-state.js';
import { world } from '../support/setup.js';
import { DIALECTS, type TestStore } from '../support/stores.js';

/** Kept and recounted figures are equal, and the check says so. */
async function assertKept(db: Kysely<DB>, what: string): Promise<void> {
  assert.deepEqual(await keptFigures(db), await recountedFigures(db), what);
  assert.deepEqual(await checkKeptCounts({ db }), { ok: true, differences: [], repaired: false }, what);
}

/** Takes migration 017 out again (its triggers, functions and tables), as if the database predated it. */
async function undo017(s: TestStore): Promise<void> {
  if (s.dialect === 'sqlite') {
    const triggers = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'`.execute(s.db);
    for (const t of triggers.rows) await sql`drop trigger ${sql.id(t.name)}`.execute(s.db);
  } else {
    for (const f of ['permission_counts_change', 'ledger_hour_counts_insert']) {
      await sql`drop function ${sql.id(f)}() cascade`.execute(s.db);
    }
  }
  for (const t of ['permission_counts', 'ledger_hour_counts']) await sql`drop table ${sql.id(t)}`.execute(s.db);
  await sql`delete from kysely_migration where name = '017_counts'`.execute(s.db);
}

for (const dialect of DIALECTS) {
  describe(`kept dashboard counts (${dialect.name})`, () => {
    it('equal a full recount after imports, sign-ups, confirmations, withdrawals, bulk changes, erasures and a restore', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-counts-'));
      try {
        const { w, anna, carol } = await richState(a);
        await assertKept(a.db, 'after the import, sign-ups, confirmations, unsubscribes and an erasure');
        const kept = await keptFigures(a.db);
        assert.ok(kept.ledgerHours.some((h) => h.type === 'imported') && kept.ledgerHours.some((h) => h.type === 'erased'));
        const tips = Object.fromEntries(kept.permissions.filter((p) => p.purposeId === 'tips').map((p) => [p.status, p.n]));
        assert.ok(tips.active! > 1000 && tips.pending! >= 1 && tips.withdrawn! >= 1, JSON.stringify(tips));
        const d = await dashboard(w.deps);
        assert.equal(d.purposes.find((p) => p.id === 'tips')!.byStatus.active, tips.active);

        // Bulk changes: a new purpose for two people, one of whom withdraws in the same call; carol confirms.
        await createPurpose(w.deps, { id: 'news', name_nl: 'Nieuws', name_en: 'News', description_nl: 'Nieuws', description_en: 'News' });
        const now = w.clock.now();
        const base = { basis: 'A6-1-a' as const, sourceKind: 'form' as const, occurredAt: now, details: {} };
        const given = (contactId: string) => ({ ...base, contactId, purposeId: 'news', event: 'given' as const, status: 'active' as const, method: 'single_opt_in' as const, givenAt: now });
        await a.db.transaction().execute((trx) =>
          changePermissions(trx, [
            given(anna),
            given(carol),
            { ...given(anna), event: 'withdrawn', status: 'withdrawn', withdrawnAt: now },
            { ...base, contactId: carol, purposeId: 'tips', event: 'confirmed', status: 'active', method: 'double_opt_in', confirmedAt: now },
          ], now),
        );
        await assertKept(a.db, 'after bulk changes');
        const after = Object.fromEntries((await keptFigures(a.db)).permissions.map((p) => [`${p.purposeId}/${p.status}`, p.n]));
        assert.deepEqual([after['news/active'], after['news/withdrawn'], after['tips/pending'] ?? 0], [1, 1, tips.pending! - 1]);

        // Retention erases the withdrawn-only contacts (withdrawn data at once).
        w.clock.advance(86_400_000);
        const run = await runRetention(w.deps, { dryRun: false, outboxDir: w.outbox });
        assert.ok(run.erase.length > 0);
        await assertKept(a.db, 'after a retention run');
        const erased = (await keptFigures(a.db)).ledgerHours.filter((h) => h.type === 'erased');
        assert.equal(erased.reduce((n, h) => n + h.n, 0), 1 + run.erase.length, 'richState erased one person, retention the rest');

        // The evidence export restored into an empty database.
        const lines: string[] = [];
        await exportEvidence(w.deps, (l) => lines.push(l));
        writeFileSync(join(dir, 'all.jsonl'), lines.join(''));
        const w2 = await world(b);
        w2.clock.set(w.clock.now());
        await importEvidence(w2.deps, join(dir, 'all.jsonl'));
        await assertKept(b.db, 'after an evidence import');
        assert.deepEqual(await keptFigures(b.db), await keptFigures(a.db));

        // Compaction (PostgreSQL's delta rows summed to one per key) changes no figure.
        const uncompacted = await keptFigures(a.db);
        await compactKeptCounts(a.db, a.dialect);
        assert.deepEqual(await keptFigures(a.db), uncompacted);
        await assertKept(a.db, 'after compaction');

        // A kept count edited by hand (one row per key after compaction) is found, and repaired from the recount.
        await a.db.updateTable('permission_counts').set((eb) => ({ n: eb('n', '+', 5) })).where('purpose_id', '=', 'tips').where('status', '=', 'active').execute();
        await a.db.deleteFrom('ledger_hour_counts').where('type', '=', 'erased').where('hour', '=', erased[0]!.hour).execute();
        const found = await checkKeptCounts(w.deps);
        assert.equal(found.ok, false);
        assert.deepEqual(found.differences.sort(), [`ledger events erased ${erased[0]!.hour}h UTC: kept 0, counted ${erased[0]!.n}`, `permissions tips/active: kept ${after['tips/active']! + 5}, counted ${after['tips/active']}`]);
        assert.equal(found.repaired, false);
        assert.equal((await checkKeptCounts(w.deps)).ok, false, 'verify alone changes nothing');
        assert.equal((await checkKeptCounts(w.deps, { repair: true })).repaired, true);
        await assertKept(a.db, 'after the repair');

        // Migration 017 on a database that already holds these rows fills the counts from them.
        const before = await keptFigures(a.db);
        await undo017(a);
        await migrateToLatest(a.db as Kysely<unknown>, a.dialect);
        assert.deepEqual(await keptFigures(a.db), before);
        await assertKept(a.db, 'after migration 017 on existing rows');
      } finally {
        await a.dispose();
        await b.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
