/**
 * The admin dashboard's figures. Permissions per purpose and status and ledger events per type and UTC hour are
 * kept on write by triggers (migration 017) and read here from their small tables, summed per key (PostgreSQL
 * keeps delta rows, compacted by `compactKeptCounts`; SQLite one row per key); the contacts are counted (SQLite
 * counts them from its smallest index, ~20 ms at a million). The rest are counts of what the server could not do
 * (failed webhooks, reports kept for review, interrupted imports, campaigns paused by a relay failure), small by
 * nature. `recountedFigures` counts the kept figures again from the tables themselves, to check or repair them
 * (services/admin/dashboard.ts `checkKeptCounts`).
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { DB } from './schema.js';

/** Permissions counted per purpose and status (kept counts; statuses with none left out). */
export async function permissionCounts(db: Kysely<DB>): Promise<Array<{ purposeId: string; status: string; n: number }>> {
  return (await keptFigures(db)).permissions;
}

/** Every stored contact, and those on the suppression list. */
export async function contactCounts(db: Kysely<DB>): Promise<{ contacts: number; suppressed: number }> {
  const all = await db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const list = await db.selectFrom('suppressions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { contacts: Number(all.n), suppressed: Number(list.n) };
}

/**
 * Ledger events of the given types that occurred in or after the UTC hour of `since` (ISO UTC), counted per
 * type and UTC hour (kept counts).
 * @returns rows with `hour` as "YYYY-MM-DDTHH" (UTC)
 */
export async function ledgerEventsPerHour(
  db: Kysely<DB>,
  types: readonly string[],
  since: string,
): Promise<Array<{ type: string; hour: string; n: number }>> {
  const rows = await db
    .selectFrom('ledger_hour_counts')
    .select(['type', 'hour', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .where('type', 'in', [...types])
    .where('hour', '>=', since.slice(0, 13))
    .groupBy(['type', 'hour'])
    .having((eb) => eb.fn.sum('n'), '<>', 0)
    .execute();
  return rows.map((r) => ({ type: r.type, hour: r.hour, n: Number(r.n) }));
}

/** The figures migration 017 keeps on write, in a fixed order (zero counts left out), for comparing. */
export interface KeptFigures {
  /** Sorted by purpose, then status. */
  permissions: Array<{ purposeId: string; status: string; n: number }>;
  /** Ledger events per type and UTC hour ("YYYY-MM-DDTHH"), sorted by type, then hour. */
  ledgerHours: Array<{ type: string; hour: string; n: number }>;
}

/** The kept figures as stored (small tables; the rows of a key summed). */
export async function keptFigures(db: Kysely<DB>): Promise<KeptFigures> {
  const permissions = await db.selectFrom('permission_counts')
    .select(['purpose_id', 'status', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .groupBy(['purpose_id', 'status']).having((eb) => eb.fn.sum('n'), '<>', 0)
    .orderBy('purpose_id').orderBy('status').execute();
  const hours = await db.selectFrom('ledger_hour_counts')
    .select(['type', 'hour', (eb) => eb.fn.sum<number | string>('n').as('n')])
    .groupBy(['type', 'hour']).having((eb) => eb.fn.sum('n'), '<>', 0)
    .orderBy('type').orderBy('hour').execute();
  return {
    permissions: permissions.map((r) => ({ purposeId: r.purpose_id, status: r.status, n: Number(r.n) })),
    ledgerHours: hours.map((r) => ({ type: r.type, hour: r.hour, n: Number(r.n) })),
  };
}

/**
 * Replaces, on PostgreSQL, the delta rows of every kept count with more than one row (or a sum of 0) by one row
 * with their sum (none for 0), so readers sum about one row per key. One statement: it deletes the rows it sees
 * (committed before it started) and inserts exactly the sum of the rows it deleted (`delete … returning`), so rows
 * that writers insert meanwhile stay and are summed next time; a row another compaction deleted first is skipped
 * (READ COMMITTED re-checks it after waiting), never counted twice. Writers never wait on it: they only insert.
 * SQLite keeps one row per key and has nothing to compact.
 * @returns the number of rows deleted and inserted
 */
export async function compactKeptCounts(db: Kysely<DB>, dialect: Dialect): Promise<{ deleted: number; inserted: number }> {
  if (dialect !== 'postgres') return { deleted: 0, inserted: 0 };
  let deleted = 0;
  let inserted = 0;
  for (const [table, a, b] of [['permission_counts', 'purpose_id', 'status'], ['ledger_hour_counts', 'type', 'hour']] as const) {
    const [t, ka, kb] = [sql.table(table), sql.ref(a), sql.ref(b)];
    const r = await sql<{ deleted: string; inserted: string }>`
      with k as (select ${ka}, ${kb} from ${t} group by 1, 2 having count(*) > 1 or sum(n) = 0),
      gone as (delete from ${t} c using k where c.${ka} = k.${ka} and c.${kb} = k.${kb} returning c.${ka}, c.${kb}, c.n),
      summed as (insert into ${t} (${ka}, ${kb}, n) select ${ka}, ${kb}, sum(n) from gone group by 1, 2 having sum(n) <> 0 returning 1)
      select (select count(*) from gone) as deleted, (select count(*) from summed) as inserted`.execute(db);
    deleted += Number(r.rows[0]!.deleted);
    inserted += Number(r.rows[0]!.inserted);
  }
  return { deleted, inserted };
}

/** The same figures counted from the permissions and the ledger themselves (reads every row). */
export async function recountedFigures(db: Kysely<DB>): Promise<KeptFigures> {
  const permissions = await db.selectFrom('permissions').select(['purpose_id', 'status', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['purpose_id', 'status']).orderBy('purpose_id').orderBy('status').execute();
  const hour = sql<string>`substr(occurred_at, 1, 13)`;
  const hours = await db.selectFrom('consent_events').select(['type', hour.as('hour'), (eb) => eb.fn.countAll().as('n')])
    .groupBy(['type', hour]).orderBy('type').orderBy(hour).execute();
  return {
    permissions: permissions.map((r) => ({ purposeId: r.purpose_id, status: r.status, n: Number(r.n) })),
    ledgerHours: hours.map((r) => ({ type: r.type, hour: r.hour, n: Number(r.n) })),
  };
}

/**
 * Replaces the kept figures with `f` (a recount). Run it in the REPEATABLE READ transaction that took the recount:
 * it then deletes only the count rows of that snapshot, so writers' counts committed after it stay, and their
 * writes were not in the recount either.
 */
export async function replaceKeptFigures(db: Kysely<DB>, f: KeptFigures): Promise<void> {
  await db.deleteFrom('permission_counts').execute();
  await db.deleteFrom('ledger_hour_counts').execute();
  for (const r of f.permissions) await db.insertInto('permission_counts').values({ purpose_id: r.purposeId, status: r.status, n: r.n }).execute();
  const rows = f.ledgerHours.map((r) => ({ type: r.type, hour: r.hour, n: r.n }));
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('ledger_hour_counts').values(rows.slice(i, i + 500)).execute();
}

/** Campaigns with one of these statuses, oldest start first. */
export async function campaignsWithStatus(
  db: Kysely<DB>,
  statuses: readonly string[],
): Promise<Array<{ id: string; name: string; status: string; startedAt: string | null; pausedReason: string | null; pausedAt: string | null }>> {
  const rows = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'status', 'started_at', 'paused_reason', 'paused_at'])
    .where('status', 'in', [...statuses])
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, startedAt: r.started_at, pausedReason: r.paused_reason, pausedAt: r.paused_at }));
}

/** Webhook messages given up after their last attempt. */
export async function failedWebhookCount(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('webhook_messages').select((eb) => eb.fn.countAll().as('n')).where('state', '=', 'failed').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Bounce and complaint reports kept for review and not yet reviewed. */
export async function openReportCount(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('unreadable_reports').select((eb) => eb.fn.countAll().as('n')).where('reviewed_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Imports that started and have not finished, oldest first. */
export async function unfinishedImports(db: Kysely<DB>): Promise<Array<{ id: string; format: string; purposeId: string; startedAt: string }>> {
  const rows = await db.selectFrom('imports').select(['id', 'format', 'purpose_id', 'started_at']).where('finished_at', 'is', null).orderBy('started_at').execute();
  return rows.map((r) => ({ id: r.id, format: r.format, purposeId: r.purpose_id, startedAt: r.started_at }));
}

/** The time of the last retention run that erased (not a dry run), or null when none ran. */
export async function lastRetentionRun(db: Kysely<DB>): Promise<string | null> {
  const r = await db.selectFrom('retention_runs').select((eb) => eb.fn.max('ran_at').as('t')).where('dry_run', '=', 0).executeTakeFirst();
  return (r?.t as string | null | undefined) ?? null;
}
