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
 * cascade from a deleted contact) and any future path. SQLite runs a trigger per row; PostgreSQL one per
 * statement over its transition tables, so a multi-row INSERT of an import adds its counts in one upsert (keys in
 * sorted order). The ledger is append-only (nothing updates an event's type or time, nothing deletes events),
 * so its counts only grow. A count row may reach 0 and stay; readers treat it as absent.
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
// triggers taking that branch declare.
const POSTGRES_TRIGGERS = [
  sql`create function permission_counts_change() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, count(*) from added group by 1, 2 order by 1, 2
        on conflict (purpose_id, status) do update set n = permission_counts.n + excluded.n;
    elsif tg_op = 'DELETE' then
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, -count(*) from removed group by 1, 2 order by 1, 2
        on conflict (purpose_id, status) do update set n = permission_counts.n + excluded.n;
    else
      insert into permission_counts (purpose_id, status, n)
        select purpose_id, status, sum(d) from (
          select purpose_id, status, 1 as d from added union all select purpose_id, status, -1 from removed
        ) x group by 1, 2 having sum(d) <> 0 order by 1, 2
        on conflict (purpose_id, status) do update set n = permission_counts.n + excluded.n;
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
      select type, substr(occurred_at, 1, 13), count(*) from added group by 1, 2 order by 1, 2
      on conflict (type, hour) do update set n = ledger_hour_counts.n + excluded.n;
    return null;
  end $$`,
  sql`create trigger ledger_hour_counts_insert after insert on consent_events
    referencing new table as added for each statement execute function ledger_hour_counts_insert()`,
];

async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('permission_counts')
    .addColumn('purpose_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('permission_counts_pk', ['purpose_id', 'status'])
    .execute();
  await db.schema
    .createTable('ledger_hour_counts')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('hour', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_hour_counts_pk', ['type', 'hour'])
    .execute();
  for (const t of dialect === 'postgres' ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await t.execute(db);
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
