/**
 * Import benchmark (issue 4): imports an N-row Mailchimp-style "subscribed members" export from
 * `../shared/fixtures/generate-contacts.mjs` into a fresh SQLite file, with the full evidence (contact,
 * permission and one hash-chained ledger event per row, checkpoint at the end), and times `sqlite3 .import` of
 * the same file next to it.
 *
 * Usage: node --import tsx bench/import.ts [rows=1000000] [--verify]
 * Files: bench/data/contacts-<rows>.csv (generated once), bench/data/{import,floor,plain}.sqlite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { systemClock } from '../src/services/deps.js';
import { importMailchimp } from '../src/services/lists/import/mailchimp.js';
import { openStore } from '../src/store/db.js';
import { verifyLedger } from '../src/store/ledger.js';
import { insertPurpose } from '../src/store/purposes.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = join(HERE, 'data');
const GENERATOR = join(HERE, '..', '..', 'shared', 'fixtures', 'generate-contacts.mjs');
const SQLITE3 = process.env.SQLITE3 ?? '/usr/bin/sqlite3';

const args = process.argv.slice(2);
const rows = Number(args.find((a) => !a.startsWith('--')) ?? 1_000_000);
const verify = args.includes('--verify');
if (!Number.isInteger(rows) || rows <= 0) throw new Error('usage: bench/import.ts [rows] [--verify]');

/** Generates the input once (the generator is deterministic for N and seed). */
function input(): string {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `contacts-${rows}.csv`);
  if (existsSync(file)) return file;
  const tmp = `${file}.part`;
  const fd = openSync(tmp, 'w');
  const child = spawnSync(process.execPath, [GENERATOR, String(rows)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  if (child.status !== 0) throw new Error(`generator failed (${child.status})`);
  renameSync(tmp, file);
  return file;
}

const fresh = (path: string) => ['', '-wal', '-shm', '-journal'].forEach((s) => rmSync(path + s, { force: true }));
const mb = (kb: number) => (kb / 1024).toFixed(0);

const file = input();
console.log(`input: ${file} (${rows} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB)`);

const dbPath = join(DATA, 'import.sqlite');
fresh(dbPath);
const store = await openStore(dbPath);
// The connection as src/store/db.ts opens it; BENCH_CACHE_MB=n tries a larger SQLite page cache (default 2 MB).
if (process.env.BENCH_CACHE_MB) await sql.raw(`pragma cache_size = -${Number(process.env.BENCH_CACHE_MB) * 1024}`).execute(store.db);
// BENCH_PRAGMA='wal_autocheckpoint = 10000; …' tries other settings of the connection.
for (const p of (process.env.BENCH_PRAGMA ?? '').split(';').filter((x) => x.trim())) await sql.raw(`pragma ${p}`).execute(store.db);
const now = new Date();
const TIPS = {
  id: 'tips', name_nl: 'Tips', name_en: 'Tips', description_nl: 'Tips', description_en: 'Tips', category: 'purpose_marketing',
  double_opt_in: 1, frequency_nl: null, frequency_en: null, retention: '{}',
} as const;
await insertPurpose(store.db, { ...TIPS, created_at: now.toISOString() });
const deps = { db: store.db, dialect: store.dialect, clock: systemClock, secret: 'bench-secret-0123456789abcdef', recordIp: true };

console.log(`RSS before the import: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
const load0 = loadavg();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = await importMailchimp(deps, { files: { subscribed: file }, purposeId: 'tips', evidenceRef: 'BENCH' });
const seconds = (performance.now() - t0) / 1000;
const rss = process.resourceUsage().maxRSS;
const cpu = process.cpuUsage(cpu0);
if (process.env.BENCH_MEM) console.log(Object.entries(process.memoryUsage()).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(0)} MB`).join(", "));
const c = report.files[0]!;
const count = async (t: 'contacts' | 'permissions' | 'consent_events') =>
  Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
console.log(`load average before/after: ${load0.map((l) => l.toFixed(2)).join(' ')} / ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`consentry import: ${seconds.toFixed(2)} s, ${Math.round(rows / seconds)} rows/s, peak RSS ${mb(rss)} MB, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
console.log(`  report: rows ${c.rows}, created ${c.created}, merged ${c.merged}, suppressed ${c.suppressed}, refused ${c.refused}`);
console.log(`  stored: contacts ${await count('contacts')}, permissions ${await count('permissions')}, ledger events ${await count('consent_events')}`);
if (verify) {
  const v0 = performance.now();
  const v = await verifyLedger(store.db, store.dialect);
  console.log(`  verifyLedger: ok=${v.ok}, ${v.events} events, ${v.subjects} subjects (${((performance.now() - v0) / 1000).toFixed(1)} s)`);
}
await store.close();

// The floor: the same rows written by SQLite's own C code in one transaction (bench/import-floor.sql).
const floorDb = join(DATA, 'floor.sqlite');
fresh(floorDb);
const floorStore = await openStore(floorDb);
await insertPurpose(floorStore.db, { ...TIPS, created_at: now.toISOString() });
await floorStore.close();
const floorSql = readFileSync(join(HERE, 'import-floor.sql'), 'utf8').replaceAll('{{CSV}}', file);
const f0 = performance.now();
execFileSync(SQLITE3, ['-bail', floorDb], { input: floorSql, stdio: ['pipe', 'inherit', 'inherit'] });
const floorSeconds = (performance.now() - f0) / 1000;
console.log(`sqlite3, the same rows in one transaction (bench/import-floor.sql): ${floorSeconds.toFixed(2)} s, ${Math.round(rows / floorSeconds)} rows/s`);

const plain = join(DATA, 'plain.sqlite');
fresh(plain);
const p0 = performance.now();
execFileSync(SQLITE3, [plain, '.mode csv', `.import ${file} contacts`], { stdio: 'inherit' });
const plainSeconds = (performance.now() - p0) / 1000;
console.log(`sqlite3 .import: ${plainSeconds.toFixed(2)} s, ${Math.round(rows / plainSeconds)} rows/s`);
console.log(`ratio: ${(seconds / floorSeconds).toFixed(1)}× the floor, ${(seconds / plainSeconds).toFixed(1)}× sqlite3 .import`);
