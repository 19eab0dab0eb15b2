/**
 * Opening the database: SQLite (a file under the data directory, the embedded default) or PostgreSQL (when
 * the URL is `postgres://…`), migrated to the latest schema before it is returned.
 */
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import { privateDatabaseFile, privateFolder } from './private-files.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle of a SQLite store, for bulk paths that run prepared statements (the import). */
  sqlite?: Database.Database;
  close(): Promise<void>;
}

/** The raw handle behind each SQLite store's Kysely instance. */
const handles = new WeakMap<object, Database.Database>();

/**
 * The better-sqlite3 handle behind a store's (root, not transaction) Kysely instance, or undefined for
 * PostgreSQL. Use it only while holding the Kysely connection (`db.connection().execute(…)`), so that no Kysely
 * transaction is open on it at the same time.
 */
export const sqliteOf = (db: object): Database.Database | undefined => handles.get(db);

/** Prepared statements kept per SQLite connection (distinct SQL texts; `in (…)` lists of other lengths count apart). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The handle as Kysely's SQLite driver sees it, with a cache of prepared statements: the driver prepares every
 * query anew, and SQLite compiling the same few statements again took a quarter of the CPU of a CSV import. A
 * statement still being iterated (a streamed query) is busy, so the same SQL meanwhile gets a fresh one. The
 * oldest entry goes when the cache is full. Statements re-prepare themselves after a schema change (SQLite).
 */
function cachingPrepare(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Checks that the PostgreSQL database can be used before migrating, so a missing database or a refused connection is
 * reported as such (it used to read "database migration unknown failed").
 * @throws Error naming the database, the server and DATABASE_URL
 */
async function reachable(db: Kysely<DB>, target: string): Promise<void> {
  const url = new URL(target);
  const name = decodeURIComponent(url.pathname.slice(1)) || '(none)';
  const server = `${url.hostname}:${url.port || '5432'}`;
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '3D000') {
      throw new Error(`the PostgreSQL database "${name}" does not exist on ${server}: create it (createdb ${name}) or set DATABASE_URL to one that exists`, { cause: err });
    }
    throw new Error(`cannot use the PostgreSQL database "${name}" on ${server} (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Opens and migrates a database.
 * @param target a `postgres://` / `postgresql://` URL, or the path of a SQLite file (created 0600 with its
 *   folder, 0700), or `:memory:`
 * @throws Error when the database cannot be reached or a migration fails
 */
export async function openStore(target: string): Promise<Store> {
  const dialect: Dialect = /^postgres(ql)?:\/\//.test(target) ? 'postgres' : 'sqlite';
  let db: Kysely<DB>;
  let sqlite: Database.Database | undefined;
  if (dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: target, max: 10 });
    // An idle connection the server closes (restart, failover, a dropped test database) must not crash the
    // process; the pool replaces it on the next query.
    pool.on('error', () => {});
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (target !== ':memory:') {
      // The folder 0700 when created here, the file 0600 before SQLite makes it 0644 (private-files.ts).
      privateFolder(dirname(target));
      privateDatabaseFile(target);
    }
    sqlite = new Database(target);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted content is overwritten with zeros, so an erased address leaves no bytes behind in the file
    // (GDPR 17); old page images in the write-ahead log are truncated after an erasure (services/rights/erase.ts).
    sqlite.pragma('secure_delete = ON');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingPrepare(sqlite) }) });
    handles.set(db, sqlite);
  }
  try {
    if (dialect === 'postgres') await reachable(db, target);
    await migrateToLatest(db as Kysely<unknown>, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect, ...(sqlite && { sqlite }), close: () => db.destroy() };
}
