/**
 * The SQLite bulk path of the subscribed file (sqlite-batch.ts) leaves exactly what the Kysely path (the
 * PostgreSQL one, through changePermissions) leaves, on an empty database and on one where an earlier import
 * left contacts with weaker evidence, no names or no permission.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, eventHash, eventHashWith, type HashedEvent } from '../../../core/ledger-chain.js';
import { verifyLedger } from '../../../store/ledger.js';
import { sqliteStore, type TestStore } from '../../../../test/support/stores.js';
import { FIXTURES, setUp } from '../../../../test/import/helpers.js';
import { importMailchimp } from './mailchimp.js';
import { newImportId } from './sqlite-batch.js';

const DIR = join(FIXTURES, 'mailchimp');
const FILES = {
  subscribed: join(DIR, 'subscribed_members_export.csv'),
  unsubscribed: join(DIR, 'unsubscribed_members_export.csv'),
  cleaned: join(DIR, 'cleaned_members_export.csv'),
};

/** An earlier, partial export: every third row, without names, every other one without OPTIN_TIME, later times. */
function earlierExport(): string {
  const [header, ...rows] = readFileSync(FILES.subscribed, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const cols = header!.split(',');
  const [first, last, optin] = ['First Name', 'Last Name', 'OPTIN_TIME'].map((c) => cols.indexOf(c));
  const out = rows.filter((_, i) => i % 3 === 0).map((line, i) => {
    if (line.includes('"')) return line;
    const f = line.split(',');
    f[first!] = '';
    f[last!] = '';
    f[optin!] = i % 2 === 0 ? '' : f[optin!]!.replace(/^20\d\d/, '2025');
    return f.join(',');
  });
  const dir = mkdtempSync(join(tmpdir(), 'consentry-earlier-'));
  const path = join(dir, 'subscribed_members_export.csv');
  writeFileSync(path, [header, ...out].join('\n'));
  return path;
}

/** Everything the imports left, without ids, salts, hashes and import ids (random per store). */
async function snapshot(store: TestStore) {
  const contacts = await store.db.selectFrom('contacts').selectAll().orderBy('email').execute();
  const email = new Map(contacts.map((c) => [c.id, c.email]));
  const perms = await store.db.selectFrom('permissions').selectAll().execute();
  const events = await store.db.selectFrom('consent_events').selectAll().orderBy('position').execute();
  for (const p of perms) assert.equal(p.evidence_event_id, events.filter((e) => e.subject_id === p.contact_id).at(-1)!.id);
  const imp = (s: string | null) => (s ? s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID') : s);
  return {
    contacts: contacts.map(({ id: _i, ...c }) => c),
    perms: perms.map(({ id: _i, evidence_event_id: _e, contact_id, import_id, ...p }) => ({ ...p, email: email.get(contact_id), import_id: imp(import_id) }))
      .sort((a, b) => (a.email! < b.email! ? -1 : 1)),
    events: events.map((e) => ({
      subject: email.get(e.subject_id) ?? imp(e.subject_id), seq: e.seq, type: e.type, purpose: e.purpose_id, basis: e.basis,
      occurred: e.occurred_at, recorded: e.recorded_at, details: imp(e.details),
      personal: e.personal ? JSON.stringify({ ...JSON.parse(e.personal), salt: 'S' }) : null,
    })),
  };
}

it('the SQLite bulk path leaves exactly what the Kysely path leaves (new, merged, enriched, better evidence, suppressed)', async () => {
  const earlier = earlierExport();
  const results = [];
  for (const sqliteBulk of [true, false]) {
    const store = await sqliteStore();
    try {
      const deps = { ...(await setUp(store)), sqliteBulk };
      const first = await importMailchimp(deps, { files: { subscribed: earlier }, purposeId: 'tips' });
      const second = await importMailchimp(deps, { files: FILES, purposeId: 'tips', evidenceRef: 'T-1' });
      const again = await importMailchimp(deps, { files: FILES, purposeId: 'tips', evidenceRef: 'T-1' });
      assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
      const strip = (r: typeof first) => ({ ...r, importId: 'ID' });
      results.push({ reports: [first, second, again].map(strip), state: await snapshot(store) });
    } finally {
      await store.dispose();
    }
  }
  const [bulk, kysely] = results;
  assert.ok(bulk!.reports[1]!.files.find((f) => f.role === 'subscribed')!.updated > 100, 'the update paths were exercised');
  assert.deepEqual(bulk!.reports, kysely!.reports);
  assert.deepEqual(bulk!.state, kysely!.state);
});

it('time-ordered ids: UUID layout, version 7, ascending across milliseconds, random within one', async () => {
  const a = newImportId();
  await new Promise((r) => setTimeout(r, 2));
  const b = newImportId();
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(a < b);
  assert.equal(parseInt(a.slice(0, 8) + a.slice(9, 13), 16) <= Date.now(), true);
  const many = new Set(Array.from({ length: 10000 }, newImportId));
  assert.equal(many.size, 10000);
});

it('eventHashWith (used when sealing) hashes exactly what eventHash hashes', () => {
  const base: HashedEvent = {
    subjectId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', seq: 3, prevHash: 'ab'.repeat(32), type: 'imported', purposeId: 'tips', basis: 'A6-1-a',
    occurredAt: '2020-01-31T13:45:00.000Z', details: { method: 'import', status: 'active', origin: { line: 12, file: 'a "b".csv', z: undefined }, 'é': ['x', null] },
    personalDigest: 'cd'.repeat(32),
  };
  const variants: HashedEvent[] = [
    base, { ...base, purposeId: null, basis: null, prevHash: '', seq: 1 }, { ...base, details: {} },
    { ...base, type: 'withdrawn', subjectId: 'import:\u2028"x"' }, { ...base, basis: undefined as never },
  ];
  for (const e of variants) assert.equal(eventHashWith(e, canonicalJson(e.details)), eventHash(e));
});
