/**
 * The admin dashboard's figures, each one aggregate query on an index, so the dashboard costs the same few
 * index reads on any list size and never loads rows per contact: permissions per purpose and status
 * (`permissions_purpose`), ledger events per type and UTC hour (`consent_events_type_time`, migration 016),
 * and the counts of what the server could not do (failed webhooks, reports kept for review, interrupted
 * imports, campaigns paused by a relay failure).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Permissions counted per purpose and status. */
export async function permissionCounts(db: Kysely<DB>): Promise<Array<{ purposeId: string; status: string; n: number }>> {
  const rows = await db
    .selectFrom('permissions')
    .select(['purpose_id', 'status', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['purpose_id', 'status'])
    .execute();
  return rows.map((r) => ({ purposeId: r.purpose_id, status: r.status, n: Number(r.n) }));
}

/** Every stored contact, and those on the suppression list. */
export async function contactCounts(db: Kysely<DB>): Promise<{ contacts: number; suppressed: number }> {
  const all = await db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const list = await db.selectFrom('suppressions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { contacts: Number(all.n), suppressed: Number(list.n) };
}

/**
 * Ledger events of the given types since `since` (ISO UTC), counted per type and UTC hour.
 * @returns rows with `hour` as "YYYY-MM-DDTHH" (UTC)
 */
export async function ledgerEventsPerHour(
  db: Kysely<DB>,
  types: readonly string[],
  since: string,
): Promise<Array<{ type: string; hour: string; n: number }>> {
  const hour = sql<string>`substr(occurred_at, 1, 13)`;
  const rows = await db
    .selectFrom('consent_events')
    .select(['type', hour.as('hour'), (eb) => eb.fn.countAll().as('n')])
    .where('type', 'in', [...types])
    .where('occurred_at', '>=', since)
    .groupBy(['type', hour])
    .execute();
  return rows.map((r) => ({ type: r.type, hour: r.hour, n: Number(r.n) }));
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
