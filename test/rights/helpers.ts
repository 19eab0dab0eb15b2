/**
 * Helpers for the rights tests: sign someone up and confirm, and search every table, the outbox and the data
 * directory for a string.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { confirm } from '../../src/services/consent/confirm.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import type { DB } from '../../src/store/schema.js';
import type { Dialect } from '../../src/store/db.js';
import { linkIn, type TestWorld } from '../support/setup.js';

/** Subscribes `email` to 'tips' and presses the newest confirmation link. */
export async function signUpConfirmed(w: TestWorld, email: string, firstName = 'Anna'): Promise<string> {
  const sub = await subscribe(w.deps, { formId: 'tips', email, firstName, purposes: ['tips'], language: 'nl', ip: '192.0.2.7', userAgent: 'test-agent' });
  const mails = await w.mails();
  const last = mails[mails.length - 1]!;
  const token = linkIn(last.text!, `${w.deps.baseUrl}/confirm/`).split('/confirm/')[1]!;
  await confirm(w.deps, { token, ip: '192.0.2.8', userAgent: 'test-agent' });
  return sub.contactId;
}

/** Every table name of the database. */
export async function tableNames(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}

/** Where `needle` occurs in any column of any row of any table ("table.column"), case-insensitively. */
export async function findInTables(db: Kysely<DB>, dialect: Dialect, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const n = needle.toLowerCase();
  for (const table of await tableNames(db, dialect)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    for (const row of rows.rows)
      for (const [col, v] of Object.entries(row)) if (v !== null && String(v).toLowerCase().includes(n)) hits.push(`${table}.${col}`);
  }
  return hits;
}

/** Files below `dir` whose bytes contain `needle` (as UTF-8, case-insensitively for ASCII). */
export function findInFiles(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const n = Buffer.from(needle.toLowerCase());
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (Buffer.from(readFileSync(p).toString('latin1').toLowerCase(), 'latin1').includes(n)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

/** Writes the three Mailchimp export files with one subscribed address into `dir`; returns their paths. */
export function mailchimpExport(dir: string, email: string): { subscribed: string } {
  const subscribed = join(dir, 'subscribed_members_export.csv');
  writeFileSync(
    subscribed,
    'Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED\n' +
      `${email},Anna,,2023-02-19 16:59:28,198.51.100.2,2023-02-19 19:53:28,198.51.100.3,2023-06-03 06:45:08\n`,
  );
  return { subscribed };
}
