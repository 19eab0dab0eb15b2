/**
 * Benchmark: the admin app's contacts page and dashboard with 1,000,000 contacts on SQLite (issue 9).
 * Goals: the contacts page (first page, a search by address prefix, a filter by purpose and status) ≤ 300 ms
 * each, the dashboard ≤ 1 s, measured through `app.inject` of the real signed-in pages, each next to the same SQL
 * run by the `sqlite3` command-line tool on the same file in the same run (apt-get install sqlite3). Also measured,
 * without a goal: the retention page and a draft campaign's audience page, each a dry run over the whole list.
 *
 *   npx tsx bench/admin-pages.ts [N=1000000] [--rebuild] [--runs 5] [--only <part of a page's name>]
 *
 * Set-up (once per N, cached under bench/data/): the schema by the product's migrations, then rows written by
 * SQLite itself (recursive CTEs, secondary indexes dropped and rebuilt after), so 1,000,000 contacts take about a
 * minute: contacts created over three years (newest first; 14/20 by form, 5/20 imported, 1/20 business cards;
 * 1% on the suppression list), a "tips" permission for 9 in 10 (80% active, 6% pending, 9% withdrawn, 3% expired,
 * 2% objected), an "ebook" permission (contract) for 3 in 10, their ledger events (requested + confirmed, imported,
 * withdrawn/objected a few weeks later, given), a campaign sending to 100,000, requests and a retention run.
 *
 * Per page: one warm-up, then `--runs` timed requests (median). Every SQL statement the page ran is captured
 * (the better-sqlite3 handle's statements, with their parameters) and replayed by `sqlite3` from a script with
 * `.timer on`: the sum of the statements' real and CPU times (median of 3), without the tool's start-up.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { OutboxMailer } from '../src/mail/outbox.js';
import { addUser } from '../src/services/admin/users.js';
import { FixedClock, type Deps } from '../src/services/deps.js';
import { openStore, sqliteOf } from '../src/store/db.js';
import { initialise } from '../src/services/organisation/setup.js';
import { buildApp } from '../src/web/app.js';

const here = dirname(fileURLToPath(import.meta.url));
const NOW = '2026-11-30T10:00:00.000Z';
/** Names and domains packed in fixed widths (6, 10 and 11 characters), picked by the row number. */
const FIRST = 'anna  bram  carla daan  eva   finn  gijs  hanna ilse  jan   kim   lars  mila  noah  olga  pim   roos  sem   tess  vera  ';
const LAST = 'jansen    devries   bakker    visser    smit      meijer    mulder    deboer    bos       vos       peters    hendriks  dekker    brouwer   dijkstra  jacobs    vermeulen kok       koster    prins     ';
const DOMAINS = 'gmail.com  hotmail.comoutlook.comziggo.nl   kpnmail.nl xs4all.nl  ';
const OWNER = { email: 'bench@deboon.example', password: 'bench-wachtwoord-lang-genoeg' };

/** A draft campaign to the tips list, for the audience page. */
const DRAFT_CAMPAIGN = `insert or ignore into campaigns (id, name, purpose_id, category, subject, body, status, third_party, other_legal_entity, created_at)
  values ('bench-draft', 'Januaritips', 'tips', 'purpose_marketing', 'Hallo', 'Hallo', 'draft', 0, 0, '${NOW}')`;

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const RUNS = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) || 5 : 5;

/** Builds the database: migrations and set-up through the product, rows by SQLite. */
async function build(file: string): Promise<void> {
  const store = await openStore(file);
  const deps = { db: store.db, dialect: store.dialect, clock: new FixedClock(new Date(NOW)) };
  await initialise(deps, {
    organisation: { name: 'Koffiebranderij De Boon B.V.', postalAddress: 'Kerkstraat 1, 1234 AB Utrecht', replyTo: 'info@deboon.example', fromAddress: 'nieuws@deboon.example' },
    purpose: { id: 'tips', name_nl: 'Koffietips', name_en: 'Coffee tips', description_nl: 'Tips', description_en: 'Tips' },
  });
  await addUser(deps, { email: OWNER.email, role: 'owner', password: OWNER.password });
  await store.close();

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const tables = ['contacts', 'permissions', 'consent_events', 'deliveries'];
  const indexes = db
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(',')})`)
    .all(...tables) as Array<{ name: string; sql: string }>;
  for (const i of indexes) db.exec(`drop index ${i.name}`);
  const now = Date.parse(NOW) / 1000;
  const spread = (3 * 365 * 86400) / N;
  const t0 = performance.now();
  db.exec(`insert into purposes (id, name_nl, name_en, description_nl, description_en, category, double_opt_in, retention, created_at)
    values ('ebook', 'E-boek', 'E-book', 'Het e-boek', 'The e-book', 'service', 1, '{}', '${NOW}')`);
  db.exec(`
    with recursive n(i) as (select 0 union all select i + 1 from n where i < ${N - 1})
    insert into contacts (id, email, first_name, last_name, kind, source_kind, source_ref, suppression, locale, created_at, updated_at)
    select lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
      f || '.' || l || n.i || '@' || trim(substr('${DOMAINS}', (n.i % 6) * 11 + 1, 11)), upper(substr(f, 1, 1)) || substr(f, 2), upper(substr(l, 1, 1)) || substr(l, 2), 'person',
      case when n.i % 20 < 14 then 'form' when n.i % 20 < 19 then 'import' else 'trade_fair' end, null,
      case when n.i % 100 = 99 then 'unsubscribed' end, case when n.i % 3 = 0 then 'en' else 'nl' end,
      strftime('%Y-%m-%dT%H:%M:%fZ', ${now} - n.i * ${spread}, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', ${now} - n.i * ${spread}, 'unixepoch')
    from (select i, trim(substr('${FIRST}', (i % 20) * 6 + 1, 6)) as f, trim(substr('${LAST}', ((i / 20) % 20) * 10 + 1, 10)) as l from n) as n`);
  // Status by a hash of the row number: 80% active, 6% pending, 9% withdrawn, 3% expired, 2% objected.
  db.exec(`
    insert into permissions (id, contact_id, purpose_id, basis, status, method, source_kind, given_at, confirmed_at, withdrawn_at, third_party_evidence, evidence_event_id, import_id, notice_version, created_at, updated_at)
    select 'p-t-' || r, id, 'tips', 'A6-1-a', st, case source_kind when 'import' then 'import' else 'double_opt_in' end, source_kind, created_at,
      case when st <> 'pending' then strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 hour') end,
      case when st in ('withdrawn', 'objected', 'expired') then min(strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || (r % 60) || ' days'), '${NOW}') end,
      0, 'e-' || r, null, 1, created_at, created_at
    from (select rowid as r, id, source_kind, created_at,
      case when (rowid * 37) % 100 < 80 then 'active' when (rowid * 37) % 100 < 86 then 'pending' when (rowid * 37) % 100 < 95 then 'withdrawn'
           when (rowid * 37) % 100 < 98 then 'expired' else 'objected' end as st
      from contacts where rowid % 10 <> 0)`);
  db.exec(`
    insert into permissions (id, contact_id, purpose_id, basis, status, method, source_kind, given_at, confirmed_at, withdrawn_at, third_party_evidence, evidence_event_id, import_id, notice_version, created_at, updated_at)
    select 'p-e-' || rowid, id, 'ebook', 'A6-1-b', 'active', 'contract', source_kind, created_at, null, null, 0, 'g-' || rowid, null, 1, created_at, created_at
    from contacts where rowid % 10 < 3 and source_kind = 'form'`);
  const event = (id: string, seq: number, type: string, purpose: string, basis: string | null, at: string, from: string) =>
    db.exec(`insert into consent_events (id, subject_id, seq, prev_hash, hash, type, purpose_id, basis, occurred_at, recorded_at, details, personal_digest, personal)
      select ${id}, contact_id, ${seq}, '', '', ${type}, '${purpose}', ${basis ? `'${basis}'` : 'null'}, ${at}, ${at}, '{}', '', null from ${from}`);
  event(`'r-' || id`, 1, `case method when 'import' then 'imported' else 'requested' end`, 'tips', 'A6-1-a', 'given_at', `permissions where purpose_id = 'tips'`);
  event(`'c-' || id`, 2, `'confirmed'`, 'tips', 'A6-1-a', 'confirmed_at', `permissions where purpose_id = 'tips' and method = 'double_opt_in' and confirmed_at is not null`);
  event(`'w-' || id`, 3, `case status when 'objected' then 'objected' when 'expired' then 'expired' else 'withdrawn' end`, 'tips', null, 'withdrawn_at', `permissions where purpose_id = 'tips' and withdrawn_at is not null`);
  event(`'g-' || id`, 4, `'given'`, 'ebook', 'A6-1-b', 'given_at', `permissions where purpose_id = 'ebook'`);
  db.exec(`insert into suppressions (hash, reason, source, created_at) select lower(hex(randomblob(32))), 'unsubscribed', 'bench', created_at from contacts where suppression is not null`);
  db.exec(`insert into campaigns (id, name, purpose_id, category, subject, body, status, third_party, other_legal_entity, created_at, started_at)
    values ('bench-sending', 'Decembertips', 'tips', 'purpose_marketing', 'Hallo', 'Hallo', 'sending', 0, 0, '${NOW}', '2026-11-30T09:00:00.000Z')`);
  db.exec(`insert into deliveries (id, campaign_id, contact_id, state, reasons, basis, attempts, lease_until, claimed_by, smtp_reply, message_id, sent_at, created_at, updated_at)
    select 'd-' || rowid, 'bench-sending', contact_id, case when rowid % 3 = 0 then 'queued' else 'sent' end, '[]', 'A6-1-a', 0, null, null, null, 'm-' || rowid,
      case when rowid % 3 = 0 then null else '${NOW}' end, '${NOW}', '${NOW}'
    from permissions where purpose_id = 'tips' and status = 'active' limit 100000`);
  for (let k = 0; k < 12; k++) {
    const received = new Date(Date.parse(NOW) - k * 6 * 86400_000).toISOString();
    const due = new Date(Date.parse(received) + 30 * 86400_000).toISOString();
    db.prepare(`insert into data_subject_requests (id, contact_id, kind, channel, requester, received_at, due_at, extension_months, extension_reasons, completed_at, outcome, created_at)
      values (?, null, ?, 'email', null, ?, ?, 0, '[]', ?, null, ?)`).run(`req-${k}`, ['access', 'erasure', 'objection'][k % 3], received, due, k % 4 === 0 ? NOW : null, received);
  }
  db.prepare(`insert into retention_runs (id, ran_at, dry_run, rules, examined, kept, counts, contact_ids) values ('run-1', ?, 0, '{}', ?, ?, '{}', '[]')`).run('2026-11-30T09:30:00.000Z', N, N);
  console.log(`rows written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  for (const i of indexes) db.exec(i.sql);
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`indexes rebuilt and analysed in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
}

/** SQL text with its parameters written in (for the sqlite3 script). */
function literal(sql: string, params: unknown[]): string {
  let k = 0;
  return sql.replace(/\?/g, () => {
    const v = params[k++];
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
    return `'${String(v).replace(/'/g, "''")}'`;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The statements run by sqlite3 with `.timer on`: the sum of their real and CPU (user + sys) times, median of 3 runs. */
function sqlite3Ms(file: string, statements: string[]): { real: number; cpu: number } {
  const runs: Array<{ real: number; cpu: number }> = [];
  for (let k = 0; k < 3; k++) {
    const r = spawnSync('sqlite3', [file], { input: `.timer on\n.output /dev/null\n${statements.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
    let real = 0;
    let cpu = 0;
    for (const m of r.stdout.matchAll(/Run Time: real ([\d.]+) user ([\d.]+) sys ([\d.]+)/g)) {
      real += Number(m[1]) * 1000;
      cpu += (Number(m[2]) + Number(m[3])) * 1000;
    }
    runs.push({ real, cpu });
  }
  return { real: median(runs.map((x) => x.real)), cpu: median(runs.map((x) => x.cpu)) };
}

async function measure(file: string): Promise<void> {
  const store = await openStore(file);
  const handle = sqliteOf(store.db)!;
  // Capture every statement the page runs, with its parameters.
  let captured: string[] | null = null;
  const prepare = handle.prepare.bind(handle);
  (handle as { prepare: (s: string) => Database.Statement }).prepare = (source: string) => {
    const st = prepare(source);
    for (const m of ['all', 'get', 'run', 'iterate'] as const) {
      const orig = (st[m] as (...a: unknown[]) => unknown).bind(st);
      (st as unknown as Record<string, unknown>)[m] = (...params: unknown[]) => {
        captured?.push(`${literal(source, params.flat())};`);
        return orig(...params);
      };
    }
    return st;
  };
  const outbox = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const deps: Deps = { db: store.db, dialect: store.dialect, clock: new FixedClock(new Date(NOW)), secret: 'bench-secret-0123456789abcdef0123456789', mailer: new OutboxMailer(outbox), baseUrl: 'http://localhost:3000', recordIp: false };
  const app = await buildApp(deps);
  const cookies = new Map<string, string>();
  const keep = <R extends { cookies: Array<{ name: string; value: string }> }>(res: R): R => {
    for (const c of res.cookies) cookies.set(c.name, c.value);
    return res;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) => keep(await app.inject({ method: 'GET', url, headers: { cookie: cookie() } }));
  const login = await get('/admin/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)![1]!;
  const signIn = keep(await app.inject({ method: 'POST', url: '/admin/login', headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...OWNER, _csrf: csrf }).toString() }));
  if (signIn.statusCode !== 303) throw new Error(`sign-in failed: ${signIn.statusCode}`);

  // A draft campaign to the tips list, added here so that files built before it was measured get it too.
  handle.exec(DRAFT_CAMPAIGN);
  const pages: Array<[string, string, number | null]> = [
    ['contacts, first page', '/admin/contacts', 300],
    ['contacts, address prefix "eva.smit1"', '/admin/contacts?q=eva.smit1', 300],
    ['contacts, purpose tips + status objected', '/admin/contacts?purpose=tips&status=objected', 300],
    ['contacts, purpose tips + status withdrawn', '/admin/contacts?purpose=tips&status=withdrawn', 300],
    ['dashboard', '/admin', 1000],
    // No goal of their own: each view runs a full dry run over the list (retention plan, campaign preview).
    ['retention page', '/admin/privacy/retention', null],
    ['campaign audience page (draft to tips)', '/admin/campaigns/bench-draft/audience', null],
  ];
  const rows: string[] = [];
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : '';
  for (const [name, url, goal] of pages.filter(([n]) => n.includes(only))) {
    const warm = await get(url);
    if (warm.statusCode !== 200) throw new Error(`${url}: ${warm.statusCode}`);
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < RUNS; k++) {
      const t = performance.now();
      const res = await get(url);
      times.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    }
    const cpu = process.cpuUsage(cpu0);
    captured = [];
    await get(url);
    const statements = captured;
    captured = null;
    const q = sqlite3Ms(file, statements);
    const ms = median(times);
    const cpuMs = (cpu.user + cpu.system) / 1000 / RUNS;
    const line = `${name}: ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms) vs sqlite3 ${q.real.toFixed(0)} ms (CPU ${q.cpu.toFixed(0)} ms) for the same ${statements.length} statements: ratio ${(ms / Math.max(q.real, 1)).toFixed(2)} wall, ${(cpuMs / Math.max(q.cpu, 1)).toFixed(2)} CPU (${goal === null ? 'no goal' : `goal ≤ ${goal} ms${ms <= goal ? ', met' : ', NOT met'}`})`;
    console.log(line);
    rows.push(line);
    if (args.includes('--sql')) console.log(statements.join('\n'));
  }
  await app.close();
  await store.close();
  rmSync(outbox, { recursive: true, force: true });
  console.log(JSON.stringify({ contacts: N, runs: RUNS, load: (await import('node:os')).loadavg().map((l) => l.toFixed(1)) }));
}

async function main(): Promise<void> {
  const dataDir = join(here, 'data');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `admin-${N}.sqlite`);
  if (args.includes('--rebuild')) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  if (!existsSync(file)) {
    const t = performance.now();
    await build(file);
    console.log(`built ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  writeFileSync(join(dataDir, '.keep'), '');
  await measure(file);
}

await main();
