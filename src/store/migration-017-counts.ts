/**
 * Migration 017_counts: the dashboard's figures kept on write instead of counted at every view (issue 9: counting
 * permissions per purpose and status and 90 days of ledger events read a million-row index each).
 *
 * - `permission_counts` (purpose_id, status, n): permissions per purpose and status;
 * - `ledger_hour_counts` (type, hour, n): consent ledger events per type and UTC hour of `occurred_at`
 *   ("YYYY-MM-DDTHH"), so that the chart can still cut local days in any time zone.
 * The number of contacts is not kept: SQLite counts a million in ~20 ms from its smallest index, and one counter
 * row that every sign-up and erasure changes would, on PostgreSQL, be locked by both in opposite orders.
 *
 * Database triggers keep them, so every writer counts in its own transaction without being able to forget:
 * `changePermission(s)`, the SQLite bulk import's prepared statements, the evidence import, erasure (and the
 * cascade from a deleted contact) and any future path. The ledger is append-only (nothing updates an event's type
 * or time, nothing deletes events), so its counts only grow.
 * - SQLite (one writer at a time) keeps one row per key, changed in place by a trigger per row; a count row may
 *   reach 0 and stay.
 * - PostgreSQL keeps delta rows: a trigger per statement over its transition tables only INSERTs one row per key
 *   the statement changed (a multi-row INSERT of an import adds one row per key). Updating a shared count row
 *   instead would hold it until commit: two transactions changing two keys of a purpose in opposite orders
 *   (an import batch next to a confirmation pending→active) deadlocked and one visitor's write was aborted, and
 *   every sign-up of a purpose waited on the same row. Inserts never wait on each other. The figure of a key is
 *   the sum of its rows (readers group by); `compactKeptCounts` (store/dashboard.ts) replaces a key's rows by
 *   their sum, periodically in `consentry serve`, so the tables stay about one row per key.
 * The tables are filled from the existing rows in the same transaction that creates the triggers, so no write
 * is counted twice or missed. `recountedFigures` (store/dashboard.ts) counts the same from the tables.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './db.js';

const SQLITE_TRIGGERS = [
  sql`create trigger permission_counts_insert after insert on permissions begin
    insert into permission_counts (purpose_id, status, n) values (new.purpose_id, new.status, 1)
      on conflict (purpose_id, status) do update set n = n + 1;
  end`,
  sql`create trigger permission_counts_update after update of purpose_id, status on permissions
    when old.purpose_id is not new.purpose_id or old.status is not new.status begin
    update permission_counts set n = n - 1 where purpose_id = old.purpose_id and status = old.status;
    insert into permission_counts (purpose_id, status, n) values (new.purpose_id, new.status, 1)
      on conflict (purpose_id, status) do update set n = n + 1;
  end`,
  sql`create trigger permission_counts_delete after delete on permissions begin
    update permission_counts set n = n - 1 where purpose_id = old.purpose_id and status = old.status;
  end`,
  sql`create trigger ledger_hour_counts_insert after insert on consent_events begin
    insert into ledger_hour_counts (type, hour, n) values (new.type, substr(new.occurred_at, 1, 13), 1)
      on conflict (type, hour) do update set n = n + 1;
  end`,
];

// PL/pgSQL plans each statement when it first runs, so a branch may name a transition table that only the
// triggers taking that branch declare. Each statement only inserts its deltas, one row per key it changed.
const POSTGRES_TRIGGERS = [
  sql`create function permission_counts_change() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, count(*) from added group by 1, 2;
    elsif tg_op = 'DELETE' then
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, -count(*) from removed group by 1, 2;
    else
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, sum(d) from (
          select purpose_id, status, 1 as d from added union all select purpose_id, status, -1 from removed
        ) x group by 1, 2 having sum(d) <> 0;
    end if;
    return null;
  end $$`,
  sql`create trigger permission_counts_insert after insert on permissions
    referencing new table as added for each statement execute function permission_counts_change()`,
  sql`create trigger permission_counts_update after update on permissions
    referencing old table as removed new table as added for each statement execute function permission_counts_change()`,
  sql`create trigger permission_counts_delete after delete on permissions
    referencing old table as removed for each statement execute function permission_counts_change()`,
  sql`create function ledger_hour_counts_insert() returns trigger language plpgsql as $$
  begin
    insert into ledger_hour_counts (type, hour, n)
      select type, substr(occurred_at, 1, 13), count(*) from added group by 1, 2;
    return null;
  end $$`,
  sql`create trigger ledger_hour_counts_insert after insert on consent_events
    referencing new table as added for each statement execute function ledger_hour_counts_insert()`,
];

async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // SQLite: one row per key (primary key), updated in place. PostgreSQL: any number of delta rows per key.
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('permission_counts')
    .addColumn('purpose_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .$call((t) => (pg ? t : t.addPrimaryKeyConstraint('permission_counts_pk', ['purpose_id', 'status'])))
    .execute();
  await db.schema
    .createTable('ledger_hour_counts')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .$call((t) => (pg ? t : t.addPrimaryKeyConstraint('ledger_hour_counts_pk', ['type', 'hour'])))
    .execute();
  if (pg) {
    await db.schema.createIndex('permission_counts_key').on('permission_counts').columns(['purpose_id', 'status']).execute();
    await db.schema.createIndex('ledger_hour_counts_key').on('ledger_hour_counts').columns(['type', 'hour']).execute();
  }
  for (const t of pg ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await t.execute(db);
  await sql`insert into permission_counts (purpose_id, status, n)
    select purpose_id, status, count(*) from permissions group by purpose_id, status`.execute(db);
  await sql`insert into ledger_hour_counts (type, hour, n)
    select type, substr(occurred_at, 1, 13), count(*) from consent_events group by type, substr(occurred_at, 1, 13)`.execute(db);
}

export const m017_counts = async (db: Kysely<unknown>, dialect: Dialect): Promise<void> => {
  // Kysely runs PostgreSQL migrations in a transaction but not SQLite ones: without one, another process writing
  // between the triggers and the fill would be counted twice.
  if (dialect === 'postgres') await up(db, dialect);
  else await db.transaction().execute((trx) => up(trx, dialect));
};
