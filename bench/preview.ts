/**
 * Benchmark: the campaign preview (`previewCampaign`) over a 1,000,000-contact audience on SQLite.
 * Goal (issue 3): ≤ 3 s wall time and ≤ 300 MB peak RSS on a 2-core machine. Results and how to reproduce them
 * are in bench/README.md.
 *
 *   npx tsx bench/preview.ts [N=1000000] [--rebuild]
 *
 * Set-up (once per N, cached under bench/data/): the contacts CSV from ../shared/fixtures/generate-contacts.mjs,
 * loaded into a SQLite file with direct batched inserts of contacts, permissions for one purpose (imported
 * consent with its original times; 80% confirmed) and a purchase for the 20% tagged "Klant". The set-up does
 * not go through the importer: it measures the preview, not the import. The measurement runs in a fresh child
 * process so that its peak RSS is the preview's alone.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { previewCampaign } from '../src/services/campaigns.js';
import { FixedClock } from '../src/services/deps.js';
import { openStore } from '../src/store/db.js';

const here = dirname(fileURLToPath(import.meta.url));
const GENERATOR = join(here, '..', '..', 'shared', 'fixtures', 'generate-contacts.mjs');
const NOW = '2026-11-30T10:00:00.000Z';

/** Mailchimp time "2019-03-01 12:00:00" → ISO. */
const iso = (t: string) => (t ? `${t.replace(' ', 'T')}.000Z` : null);

async function generateCsv(n: number, path: string): Promise<void> {
  const out = createWriteStream(path);
  const r = spawnSync(process.execPath, [GENERATOR, String(n)], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error('generate-contacts.mjs failed');
  await new Promise<void>((resolve, reject) => out.end(r.stdout, () => resolve()).on('error', reject));
}

/** Builds the SQLite file: schema by the product's migrations, rows by batched prepared inserts. */
async function buildDatabase(csv: string, file: string): Promise<number> {
  const store = await openStore(file);
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.prepare(`insert into purposes (id, name_nl, name_en, description_nl, description_en, category, double_opt_in, retention, created_at)
    values ('tips', 'Koffietips', 'Coffee tips', 'Tips', 'Tips', 'purpose_marketing', 1, '{}', ?)`).run(NOW);
  db.prepare(`insert into campaigns (id, name, purpose_id, category, subject, body, status, third_party, other_legal_entity, created_at)
    values ('bench', 'Bench', 'tips', 'purpose_marketing', 'Hallo', 'Hallo', 'draft', 0, 0, ?)`).run(NOW);
  const contact = db.prepare(`insert into contacts (id, email, first_name, last_name, kind, role_address, source_kind, source_ref, created_at, updated_at)
    values (?, ?, ?, ?, 'person', 0, 'import', 'bench', ?, ?)`);
  const permission = db.prepare(`insert into permissions (id, contact_id, purpose_id, basis, status, method, source_kind, given_at, confirmed_at,
    third_party_evidence, evidence_event_id, created_at, updated_at) values (?, ?, 'tips', 'A6-1-a', 'active', ?, 'import', ?, ?, 0, 'bench', ?, ?)`);
  const purchase = db.prepare(`insert into purchases (id, contact_id, product_category, purchased_at, opt_out_offered, created_at) values (?, ?, 'Koffiebonen', ?, 'clear', ?)`);
  type Row = [string, string, string, string, string | null, string | null, boolean];
  const insert = db.transaction((rows: Row[]) => {
    for (const [id, email, first, last, optin, confirm, klant] of rows) {
      contact.run(id, email, first, last, NOW, NOW);
      permission.run(randomUUID(), id, optin ? 'import' : 'not_provable', optin, confirm, NOW, NOW);
      if (klant) purchase.run(randomUUID(), id, optin ?? NOW, NOW);
    }
  });
  let batch: Row[] = [];
  let n = 0;
  let header = true;
  for await (const line of createInterface({ input: createReadStream(csv, 'utf8'), crlfDelay: Infinity })) {
    if (header || !line) {
      header = false;
      continue;
    }
    const f = line.split(',');
    batch.push([randomUUID(), f[0]!, f[1]!, f[2]!.replace(/"/g, ''), iso(f[4]!), iso(f[6]!), f[11] === 'Klant']);
    if (batch.length === 20_000) {
      insert(batch);
      n += batch.length;
      batch = [];
    }
  }
  insert(batch);
  n += batch.length;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return n;
}

/** The measurement, in its own process: one preview, wall time and peak RSS. */
async function measure(file: string): Promise<void> {
  const store = await openStore(file);
  const t0 = performance.now();
  const p = await previewCampaign({ db: store.db, dialect: store.dialect, clock: new FixedClock(new Date(NOW)) }, 'bench');
  const ms = performance.now() - t0;
  await store.close();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ contacts: p.total, allowed: p.allowed, blocked: p.blocked, allowedBy: p.allowedBy, blockedBy: p.blockedBy, wallMs: Math.round(ms), peakRssMb: Math.round(rssMb) }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1]!);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const dataDir = join(here, 'data');
  mkdirSync(dataDir, { recursive: true });
  const csv = join(dataDir, `contacts-${n}.csv`);
  const file = join(dataDir, `preview-${n}.sqlite`);
  if (args.includes('--rebuild')) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  if (!existsSync(csv)) {
    const t = performance.now();
    await generateCsv(n, csv);
    console.log(`generated ${csv} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (!existsSync(file)) {
    const t = performance.now();
    const rows = await buildDatabase(csv, file);
    console.log(`loaded ${rows} contacts into ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', file], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error('the measurement failed');
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { wallMs: number; peakRssMb: number };
  console.log(r.stdout.trim());
  console.log(`preview of ${n} contacts: ${(result.wallMs / 1000).toFixed(2)} s, peak RSS ${result.peakRssMb} MB (goal ≤ 3 s, ≤ 300 MB)`);
}

await main();
