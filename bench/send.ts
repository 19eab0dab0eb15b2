/**
 * Sending benchmark (issue 11): Consentry → Debian's smtp-sink beside smtp-source → the same smtp-sink, with the
 * same message size, interleaved in one run. Each Consentry sender is a child process (bench/send-child.ts)
 * that reports its own wall time, CPU and peak RSS. Figures and method in bench/README.md.
 *
 *   npx tsx bench/send.ts sqlite [N=20000] [rounds=2]     # rate vs smtp-source, without and with DKIM (RSA-2048)
 *   npx tsx bench/send.ts flat [N=1000000] [rounds=1]     # CPU per message: first 20,000 of N vs a 20,000 campaign
 *   npx tsx bench/send.ts pg <postgres-url> [N=20000] [rounds=1]  # SQLite, then one and two senders on PostgreSQL
 *
 * The sender child is compiled by esbuild (as scripts/build.mjs compiles the product) and runs on plain Node,
 * as `consentry` runs from dist/; the sqlite mode also times the real `consentry campaign send` (start-up,
 * enqueueing and sending, from dist/) with /usr/bin/time for its CPU and peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { openStore, type Store } from '../src/store/db.js';
import { initialise } from '../src/services/organisation/setup.js';
import { createCampaign, startCampaign } from '../src/services/campaigns/campaigns.js';
import { composeFor, prepareCampaign } from '../src/services/campaigns/content.js';
import { mailOptions } from '../src/mail/outbox.js';
import { getOrganisation } from '../src/store/settings.js';
import { purposeById } from '../src/store/purposes.js';
import { systemClock, type Deps } from '../src/services/deps.js';

const SECRET = 'bench-secret-bench-secret-bench-secret';
const NOW = new Date().toISOString();
const dir = mkdtempSync(join(tmpdir(), 'consentry-send-bench-'));
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** smtp-sink on a free port; it accepts and discards. */
async function startSink() {
  const port = await freePort();
  const p = spawn('/usr/sbin/smtp-sink', ['-u', 'nobody', '-m', '256', `127.0.0.1:${port}`, '256'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = require_net().connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `smtp://127.0.0.1:${port}`, stop: () => p.kill() };
}
import * as net from 'node:net';
const require_net = () => net;

/** smtp-source's rate: 10 sessions, `n` messages of `bytes`. */
function smtpSource(port: number, n: number, bytes: number) {
  const t0 = performance.now();
  const r = spawnSync('/usr/sbin/smtp-source', ['-s', '10', '-l', String(bytes), '-m', String(n), '-f', 'bench@deboon.example', '-t', 'sink@example.nl', `127.0.0.1:${port}`]);
  if (r.status !== 0) throw new Error(`smtp-source: ${r.stderr}`);
  const wallMs = performance.now() - t0;
  return { rate: n / (wallMs / 1000), wallMs };
}

/** The body: Markdown of about 2.3 KB, which with headers, footer and the HTML part makes a ~5 KB message. */
const BODY = ['# Nieuws van De Boon', '', 'Hallo {{ first_name | default: "koffieliefhebber" }},', '', ...Array.from({ length: 4 }, (_, i) => `Alinea ${i + 1}: deze maand branden we een nieuwe **single origin** uit Ethiopië, met tonen van bergamot en abrikoos. Lees [meer](https://deboon.example/blog/${i}).`), '', '- Bonen', '- Filters', '- Molens'].join('\n');

async function setUp(store: Store, n: number, seed: 'all' | number = 'all') {
  const deps: Deps = { db: store.db, dialect: store.dialect, clock: systemClock, secret: SECRET, mailer: null as never, baseUrl: 'https://nieuws.deboon.example', recordIp: false };
  await initialise(deps, {
    organisation: { name: 'Koffiebranderij De Boon B.V.', postalAddress: 'Kerkstraat 1, 1234 AB Utrecht', replyTo: 'info@deboon.example', fromAddress: 'nieuws@deboon.example' },
    purpose: { id: 'tips', name_nl: 'Koffietips', name_en: 'Coffee tips', description_nl: 'Tips.', description_en: 'Tips.' },
    notice: { recipients: 'none', transfers: 'none' },
  });
  await seed_(store, seed === 'all' ? n : seed);
  return deps;
}

/** Subscribers with confirmed consent, written straight into the tables (as an import leaves them). */
async function seed_(store: Store, n: number) {
  const contact = (i: number) => ({ id: `c${String(i).padStart(8, '0')}`, email: `s${i}@example.nl` });
  if (store.sqlite) {
    const c = store.sqlite.prepare(`insert into contacts (id, email, first_name, source_kind, locale, created_at, updated_at) values (?, ?, ?, 'form', 'nl', ?, ?)`);
    const p = store.sqlite.prepare(`insert into permissions (id, contact_id, purpose_id, basis, status, method, source_kind, given_at, confirmed_at, third_party_evidence, evidence_event_id, notice_version, created_at, updated_at) values (?, ?, 'tips', 'A6-1-a', 'active', 'double_opt_in', 'form', ?, ?, 0, 'seed', 1, ?, ?)`);
    for (let start = 0; start < n; start += 20_000) {
      store.sqlite.transaction(() => {
        for (let i = start; i < Math.min(n, start + 20_000); i++) {
          const x = contact(i);
          c.run(x.id, x.email, `Naam${i}`, NOW, NOW);
          p.run(`p${i}`, x.id, NOW, NOW, NOW, NOW);
        }
      })();
    }
    return;
  }
  for (let start = 0; start < n; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - start) }, (_, k) => contact(start + k));
    await store.db.insertInto('contacts').values(rows.map((x, k) => ({ ...x, first_name: `Naam${start + k}`, last_name: null, suppression: null, locale: 'nl', source_kind: 'form', source_ref: null, designation_evidence: null, created_at: NOW, updated_at: NOW }))).execute();
    await store.db.insertInto('permissions').values(rows.map((x) => ({ id: `p-${x.id}`, contact_id: x.id, purpose_id: 'tips', basis: 'A6-1-a', status: 'active', method: 'double_opt_in', source_kind: 'form', given_at: NOW, confirmed_at: NOW, withdrawn_at: null, third_party_evidence: 0, evidence_event_id: 'seed', import_id: null, notice_version: 1, created_at: NOW, updated_at: NOW }))).execute();
  }
}

async function newCampaign(deps: Deps, name: string): Promise<string> {
  const c = await createCampaign(deps, { name, purposeId: 'tips', subject: 'Nieuws voor {{ first_name }}', body: BODY, format: 'markdown' } as never);
  await startCampaign(deps, c.id);
  return c.id;
}

/** The size of one composed message, bytes (so smtp-source sends the same size). */
async function messageBytes(deps: Deps, campaignId: string): Promise<number> {
  const campaign = (await deps.db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow());
  const org = (await getOrganisation(deps.db))!;
  const prepared = await prepareCampaign(deps, campaign, (await purposeById(deps.db, 'tips'))!, org);
  const m = composeFor(deps, prepared, { campaignId, purposeId: 'tips', contactId: 'c00000001', locale: 'nl', recipient: { email: 's1@example.nl', firstName: 'Naam1', lastName: null }, reason: 'consent', messageId: `${randomUUID()}@deboon.example`, envelopeFrom: 'bounces+d1@deboon.example', listId: 'tips.deboon.example' });
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(mailOptions(m));
  return (info.message as Buffer).length;
}

interface ChildResult { sent: number; failed: number; wallMs: number; cpuMs: number; maxRssMb: number }

const root = join(import.meta.dirname, '..');
const childJs = join(import.meta.dirname, 'data', 'send-child.mjs');

/** The sender child and the product's dist/, compiled as `npm start` compiles them (no tsx at run time). */
async function compile(): Promise<void> {
  mkdirSync(join(import.meta.dirname, 'data'), { recursive: true });
  await build({ entryPoints: [join(import.meta.dirname, 'send-child.ts')], outfile: childJs, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20.19', logLevel: 'warning' });
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('scripts/build.mjs failed');
}

function sender(database: string, url: string, campaignId: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const p = spawn(process.execPath, [...flags, ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []), childJs, database, url, campaignId, SECRET, ...extra], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`sender exited ${code}`))));
  });
}

/**
 * `consentry campaign send <id>` (bin/consentry.js → dist/) on the data folder, under /usr/bin/time: wall, CPU
 * and peak RSS of the whole process (start-up, enqueueing the draft campaign, sending).
 */
function cliSend(dataDir: string, url: string, campaignId: string, dkimFile?: string): Promise<ChildResult> {
  const env: Record<string, string> = { CONSENTRY_DATA_DIR: dataDir, SMTP_URL: url, CONSENTRY_SECRET: SECRET, SMTP_CONNECTIONS: '5' };
  if (dkimFile) Object.assign(env, { DKIM_DOMAIN: 'deboon.example', DKIM_SELECTOR: 'bench', DKIM_PRIVATE_KEY_FILE: dkimFile });
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, join(root, 'bin', 'consentry.js'), 'campaign', 'send', campaignId, '--json'], { env: { ...process.env, ...env, CONSENTRY_FROM_SOURCE: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      const t = /TIME (\S+) (\S+) (\S+) (\S+)/.exec(err);
      if (code !== 0 || !t) return reject(new Error(`consentry campaign send exited ${code}: ${err.slice(-2000)}`));
      const r = JSON.parse(out) as { sent: number; failed: number };
      resolve({ sent: r.sent, failed: r.failed, wallMs: Number(t[1]) * 1000, cpuMs: (Number(t[2]) + Number(t[3])) * 1000, maxRssMb: Number(t[4]) / 1024 });
    });
  });
}

const fmt = (r: ChildResult, n: number) =>
  `${(r.sent / (r.wallMs / 1000)).toFixed(0)} msg/s, ${(r.cpuMs / r.sent).toFixed(3)} ms CPU/msg, peak RSS ${r.maxRssMb.toFixed(0)} MB (sent ${r.sent}/${n})`;

async function sqliteRun(n: number, rounds: number) {
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const file = join(dataDir, 'consentry.sqlite');
  const store = await openStore(file);
  const deps = await setUp(store, n);
  const sink = await startSink();
  const keyFile = join(dir, 'dkim.pem');
  writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  try {
    const probe = await newCampaign(deps, 'probe');
    const bytes = await messageBytes(deps, probe);
    await store.db.updateTable('campaigns').set({ status: 'sent' }).where('id', '=', probe).execute();
    console.log(`SQLite, ${n} messages of ${bytes} bytes, ${rounds} interleaved rounds; load average before: ${load()}`);
    for (let round = 1; round <= rounds; round++) {
      const src = smtpSource(sink.port, n, bytes);
      console.log(`  smtp-source          ${src.rate.toFixed(0)} msg/s  (load ${load()})`);
      const plain = await sender(file, sink.url, await newCampaign(deps, `plain ${round}`));
      console.log(`  Consentry            ${fmt(plain, n)}  → ${(plain.sent / (plain.wallMs / 1000) / src.rate).toFixed(2)}× smtp-source  (load ${load()})`);
      const src2 = smtpSource(sink.port, n, bytes);
      console.log(`  smtp-source          ${src2.rate.toFixed(0)} msg/s  (load ${load()})`);
      const dkim = await sender(file, sink.url, await newCampaign(deps, `dkim ${round}`), [keyFile]);
      console.log(`  Consentry + DKIM     ${fmt(dkim, n)}  → ${(dkim.sent / (dkim.wallMs / 1000) / src2.rate).toFixed(2)}× smtp-source  (load ${load()})`);
      for (const key of [undefined, keyFile]) {
        const draft = await createCampaign(deps, { name: `cli ${round} ${key ? 'dkim' : 'plain'}`, purposeId: 'tips', subject: 'Nieuws voor {{ first_name }}', body: BODY, format: 'markdown' } as never);
        const cli = await cliSend(dataDir, sink.url, draft.id, key);
        console.log(`  consentry campaign send${key ? ' + DKIM' : ''} (whole process: start-up, enqueue, send): ${fmt(cli, n)}  (load ${load()})`);
      }
    }
  } finally {
    sink.stop();
    await store.close();
  }
}

/**
 * A started campaign of `n` deliveries in SQLite, built once and kept in bench/data/ (git-ignored); each run
 * sends from a fresh copy of it.
 */
async function flatCampaign(n: number): Promise<{ file: string; id: string }> {
  const cached = join(import.meta.dirname, 'data', `send-flat-${n}.sqlite`);
  const idFile = `${cached}.campaign`;
  if (!existsSync(cached) || !existsSync(idFile)) {
    const building = join(dir, `flat-${n}-build.sqlite`);
    const store = await openStore(building);
    const t0 = performance.now();
    const deps = await setUp(store, n);
    const id = await newCampaign(deps, `flat ${n}`);
    console.log(`  ${n} subscribers seeded and ${n} deliveries enqueued in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${load()})`);
    await store.close();
    copyFileSync(building, cached);
    rmSync(building, { force: true });
    writeFileSync(idFile, id);
  }
  const file = join(dir, `flat-${n}.sqlite`);
  copyFileSync(cached, file);
  return { file, id: readFileSync(idFile, 'utf8') };
}

async function flatRun(big: number, rounds: number) {
  const sink = await startSink();
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const n of [20_000, big]) {
        const { file, id } = await flatCampaign(n);
        const r = await sender(file, sink.url, id, [], { BENCH_STOP_AFTER: '20000' });
        console.log(`  campaign of ${n}: first ${r.sent}: ${fmt(r, 20_000)}  (load ${load()})`);
        rmSync(file, { force: true });
        rmSync(`${file}-wal`, { force: true });
        rmSync(`${file}-shm`, { force: true });
      }
    }
  } finally {
    sink.stop();
  }
}

async function pgRun(url: string, n: number, rounds: number) {
  const name = `consentry_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const target = u.toString();
  const store = await openStore(target);
  const liteFile = join(dir, 'pg-vs.sqlite');
  const lite = await openStore(liteFile);
  const sink = await startSink();
  try {
    const deps = await setUp(store, n);
    const liteDeps = await setUp(lite, n);
    console.log(`PostgreSQL vs SQLite, ${n} messages, ${rounds} interleaved round(s); load average before: ${load()}`);
    for (let round = 1; round <= rounds; round++) {
      const r = await sender(liteFile, sink.url, await newCampaign(liteDeps, `sqlite ${round}`));
      console.log(`  SQLite, 1 sender: ${(r.sent / (r.wallMs / 1000)).toFixed(0)} msg/s over ${(r.wallMs / 1000).toFixed(1)} s, CPU/msg ${(r.cpuMs / r.sent).toFixed(3)} ms, sent ${r.sent}  (load ${load()})`);
      for (const k of [1, 2]) await pgSenders(deps, k);
    }
  } finally {
    sink.stop();
    await store.close();
    await lite.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }

  async function pgSenders(deps: Deps, k: number) {
    const id = await newCampaign(deps, `pg ${k} ${randomUUID()}`);
    const t0 = performance.now();
    const rs = await Promise.all(Array.from({ length: k }, () => sender(target, sink.url, id)));
    const wall = (performance.now() - t0) / 1000;
    const sent = rs.reduce((a, r) => a + r.sent, 0);
    console.log(`  PostgreSQL, ${k} sender(s): ${(sent / wall).toFixed(0)} msg/s over ${wall.toFixed(1)} s, CPU/msg ${(rs.reduce((a, r) => a + r.cpuMs, 0) / sent).toFixed(3)} ms, sent ${sent}  (load ${load()})`);
  }
}

const [mode, a, b] = process.argv.slice(2);
await compile();
try {
  if (mode === 'sqlite') await sqliteRun(Number(a ?? 20_000), Number(b ?? 2));
  else if (mode === 'flat') await flatRun(Number(a ?? 1_000_000), Number(b ?? 1));
  else if (mode === 'pg') await pgRun(a!, Number(b ?? 20_000), Number(process.argv[5] ?? 1));
  else console.error('usage: npx tsx bench/send.ts sqlite [N] [rounds] | flat [N] | pg <postgres-url> [N]');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
