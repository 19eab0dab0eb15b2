/**
 * Benchmark: the campaign preview (`previewCampaign`) over a 1,000,000-contact audience on SQLite.
 * Goal (issue 3): ≤ 3 s wall time and ≤ 300 MB peak RSS on a 2-core machine. Results and how to reproduce them
 * are in bench/README.md.
 *
 *   npx tsx bench/preview.ts [N=1000000] [--rebuild]
 *   npx tsx bench/preview.ts --check [N=3000] [postgres://…]   the fast preview and start against the per-contact path
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
import { deepStrictEqual } from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import { decide } from '../src/core/policy/decide.js';
import { CONSENT_METHODS, CONTACT_KINDS, MESSAGE_CATEGORIES, PERMISSION_STATUSES, SOURCE_KINDS, SUPPRESSION_REASONS } from '../src/core/vocab.js';
import { previewCampaign, startCampaign, type Preview } from '../src/services/campaigns/campaigns.js';
import { FixedClock, type Deps } from '../src/services/deps.js';
import { memberFacts } from '../src/services/consent/facts.js';
import { audiencePages } from '../src/store/audience.js';
import { openStore, type Store } from '../src/store/db.js';
import type { CampaignRow } from '../src/store/schema.js';
import { getDecisionSettings, putOrganisation } from '../src/store/settings.js';

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
  const cpu0 = process.cpuUsage();
  const p = await previewCampaign({ db: store.db, dialect: store.dialect, clock: new FixedClock(new Date(NOW)) }, 'bench');
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ contacts: p.total, allowed: p.allowed, blocked: p.blocked, allowedBy: p.allowedBy, blockedBy: p.blockedBy, wallMs: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(rssMb) }));
}

/**
 * `--check`: a small audience with every combination of the gate's inputs drawn at random (kinds, flags,
 * suppression, sources, permissions of every basis/status/method/source with and without times, imports with
 * and without evidence, purchases, earlier re-permission requests), one campaign per category and variant. For
 * each, `previewCampaign` and the deliveries `startCampaign` writes must equal the per-contact path (`audiencePages`,
 * `memberFacts`, `decide` for every contact). Throws on the first difference.
 */
async function check(n: number, pgUrl: string | undefined): Promise<void> {
  let target = join(here, 'data', `check-${process.pid}.sqlite`);
  let dropPg: (() => Promise<void>) | null = null;
  if (pgUrl) {
    const name = `consentry_check_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    target = url.toString();
    dropPg = async () => {
      await admin.query(`drop database if exists ${name}`);
      await admin.end();
    };
  } else mkdirSync(dirname(target), { recursive: true });
  const store = await openStore(target);
  try {
    await checkStore(store, n);
  } finally {
    await store.close();
    if (dropPg) await dropPg();
    else for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  }
}

async function checkStore(store: Store, n: number): Promise<void> {
  const db = store.db;
  let seed = 42;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const flag = (p = 0.3) => (rnd() < p ? 1 : 0);
  const time = () => pick([null, null, '', '2021-05-01T10:00:00.000Z', '2025-02-03T10:00:00.000Z']);
  for (const id of ['tips', 'other']) {
    await db.insertInto('purposes').values({ id, name_nl: id, name_en: id, description_nl: id, description_en: id, category: 'purpose_marketing', double_opt_in: 1, retention: '{}', created_at: NOW }).execute();
  }
  for (const [id, evidence_ref] of [['imp-ev', 'doc-1'], ['imp-ev2', 'doc-2'], ['imp-noev', null]] as const) {
    await db.insertInto('imports').values({ id, format: 'csv', source_kind: 'import', purpose_id: 'tips', basis: 'A6-1-a', evidence_ref, input_digest: id, started_at: NOW, finished_at: null, counts: '{}' }).execute();
  }
  const campaigns: CampaignRow[] = [];
  const campaign = (id: string, category: string, extra: Partial<CampaignRow> = {}) =>
    campaigns.push({ id, name: id, purpose_id: 'tips', category, subject: 'Hallo', body: 'Hallo', status: 'draft', third_party: 0, product_category: null, other_legal_entity: 0, repermission_deadline: null, created_at: NOW, started_at: null, finished_at: null, format: 'text', language: 'nl', translation_of: null, scheduled_at: null, paused_reason: null, paused_at: null, last_relay_error: null, last_relay_error_at: null, ...extra });
  for (const c of MESSAGE_CATEGORIES) campaign(`c-${c}`, c);
  campaign('c-customer-coffee', 'customer_marketing', { product_category: 'Koffiebonen' });
  campaign('c-customer-other-entity', 'customer_marketing', { product_category: 'Koffiebonen', other_legal_entity: 1 });
  campaign('c-repermission-open', 'repermission', { repermission_deadline: '2027-01-01T00:00:00.000Z' });
  campaign('c-repermission-passed', 'repermission', { repermission_deadline: '2026-01-01T00:00:00.000Z' });
  campaign('old-repermission', 'repermission', { repermission_deadline: '2026-06-01T00:00:00.000Z', status: 'sent' });
  await db.insertInto('campaigns').values(campaigns).execute();
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    await db.insertInto('contacts').values({
      id, email: rnd() < 0.1 ? `"q ${i}"@example.com` : `u${i}@example.com`, first_name: 'A', last_name: 'B', kind: pick(CONTACT_KINDS),
      role_address: flag(), designated_for_offers: flag(), designation_evidence: null, employee: flag(), employee_work_address: flag(),
      customer_opted_out: flag(0.1), suppression: rnd() < 0.7 ? null : pick([...SUPPRESSION_REASONS, '']), locale: null, attributes: '{}',
      source_kind: pick([...SOURCE_KINDS, 'other']), source_ref: null, created_at: NOW, updated_at: NOW, lead: flag(0.1),
    }).execute();
    for (const purpose of ['tips', 'other']) {
      if (rnd() < 0.2) continue;
      await db.insertInto('permissions').values({
        id: randomUUID(), contact_id: id, purpose_id: purpose, basis: pick(['A6-1-a', 'A6-1-a', 'A6-1-a', 'A6-1-b', 'A6-1-f']),
        status: rnd() < 0.5 ? 'active' : pick(PERMISSION_STATUSES), method: pick(CONSENT_METHODS), source_kind: pick(SOURCE_KINDS),
        given_at: time(), confirmed_at: time(), withdrawn_at: null, third_party_evidence: flag(0.5), evidence_event_id: 'x',
        import_id: pick([null, 'imp-ev', 'imp-ev2', 'imp-noev', 'imp-gone']), notice_version: null, created_at: NOW, updated_at: NOW,
      }).execute();
    }
    for (let k = Math.floor(rnd() * 4) - 1; k > 0; k--) {
      await db.insertInto('purchases').values({
        id: randomUUID(), contact_id: id, product_category: pick(['Koffiebonen', 'Thee', 'A|B']), opt_out_offered: pick(['clear', 'terms_only', 'none']),
        purchased_at: pick(['2019-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', '2026-11-01T00:00:00+01:00', 'garbage']), created_at: NOW,
      }).execute();
    }
    if (rnd() < 0.15) {
      await db.insertInto('deliveries').values({
        id: randomUUID(), campaign_id: 'old-repermission', contact_id: id, state: pick(['sent', 'sent', 'queued', 'blocked']), reasons: '[]', basis: null,
        attempts: 0, lease_until: null, claimed_by: null, smtp_reply: null, message_id: randomUUID(), sent_at: null, created_at: NOW, updated_at: NOW,
      }).execute();
    }
  }
  await putOrganisation(db, { name: 'Check B.V.', postalAddress: 'Straat 1, 1234 AB Plaats', replyTo: 'reply@example.com', fromAddress: 'news@example.com' });
  const clock = new FixedClock(new Date(NOW));
  const deps = { db, dialect: store.dialect, clock, secret: 'check', mailer: null, baseUrl: 'https://example.com', recordIp: false } as unknown as Deps;
  const settings = await getDecisionSettings(db);
  for (const c of campaigns.filter((x) => x.id !== 'old-repermission')) {
    const expected: Preview = { campaignId: c.id, total: 0, allowed: 0, blocked: 0, allowedBy: {}, blockedBy: {}, missingVariables: [] };
    const perContact = new Map<string, { state: string; reasons: string; basis: string | null }>();
    const opts = c.category === 'repermission' ? { repermissionCampaignId: c.id } : {};
    for await (const page of audiencePages(db, c.purpose_id, opts)) {
      for (const m of page) {
        const d = decide(memberFacts(m, c, settings), clock.now());
        const code = d.reasons[0]!.code;
        expected.total++;
        if (d.allowed) {
          expected.allowed++;
          expected.allowedBy[code] = (expected.allowedBy[code] ?? 0) + 1;
        } else {
          expected.blocked++;
          expected.blockedBy[code] = (expected.blockedBy[code] ?? 0) + 1;
        }
        perContact.set(m.contact.id, { state: d.allowed ? 'queued' : 'blocked', reasons: JSON.stringify(d.reasons.map((r) => r.code)), basis: d.basis });
      }
    }
    deepStrictEqual(await previewCampaign(deps, c.id), expected, `preview of ${c.id}`);
    await startCampaign(deps, c.id);
    const rows = await db.selectFrom('deliveries').select(['contact_id', 'state', 'reasons', 'basis']).where('campaign_id', '=', c.id).execute();
    deepStrictEqual(new Map(rows.map((r) => [r.contact_id, { state: r.state, reasons: r.reasons, basis: r.basis }])), perContact, `deliveries of ${c.id}`);
    console.log(`${c.id}: ${expected.allowed} allowed, ${expected.blocked} blocked in ${Object.keys(expected.allowedBy).length + Object.keys(expected.blockedBy).length} reasons — preview and start agree`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1]!);
  if (args[0] === '--check') return check(Number(args.find((a) => /^\d+$/.test(a)) ?? 3000), args.find((a) => a.startsWith('postgres')));
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
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { wallMs: number; cpuMs: number; peakRssMb: number };
  console.log(r.stdout.trim());
  console.log(`preview of ${n} contacts: ${(result.wallMs / 1000).toFixed(2)} s (CPU ${(result.cpuMs / 1000).toFixed(2)} s), peak RSS ${result.peakRssMb} MB (goal ≤ 3 s, ≤ 300 MB)`);
}

await main();
