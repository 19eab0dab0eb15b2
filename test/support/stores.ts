/**
 * Test databases: a fresh SQLite file always, and a fresh PostgreSQL database when CONSENTRY_TEST_PG_URL is set
 * (`.ci/run` sets it). `eachStore` yields both so one test body covers both dialects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.js';

export const PG_URL = process.env.CONSENTRY_TEST_PG_URL ?? '';

export interface TestStore extends Store {
  /** The URL or file the store was opened from (for processes started by the test). */
  target: string;
  /** Closes and deletes the database. */
  dispose(): Promise<void>;
}

/** A fresh SQLite database in a temporary folder. */
export async function sqliteStore(): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-test-'));
  const target = join(dir, 'consentry.sqlite');
  const store = await openStore(target);
  return { ...store, target, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A fresh, empty PostgreSQL database on the server named by CONSENTRY_TEST_PG_URL. */
export async function postgresStore(): Promise<TestStore> {
  const name = `consentry_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const target = url.toString();
  const store = await openStore(target);
  return {
    ...store,
    target,
    dispose: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The dialects to run store tests on, with a printed reason when PostgreSQL is left out. */
export const DIALECTS: ReadonlyArray<{ name: 'sqlite' | 'postgres'; open: () => Promise<TestStore> }> = PG_URL
  ? [
      { name: 'sqlite', open: sqliteStore },
      { name: 'postgres', open: postgresStore },
    ]
  : [{ name: 'sqlite', open: sqliteStore }];

if (!PG_URL) console.log('# PostgreSQL tests skipped: CONSENTRY_TEST_PG_URL is not set');
