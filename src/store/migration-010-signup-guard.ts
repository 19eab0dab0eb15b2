/**
 * Migration 010_signup_guard (issue 13 item 2): what the sign-up form needs against bots and list bombing.
 * - `signup_counters`: counters with a window that starts at their first hit (per client IP and per target
 *   address on the no-JavaScript path, confirmation mails per address, sign-ups site-wide). Keys name an address
 *   or IP only by its keyed hash (HMAC with the server secret); rows are deleted when their window has passed.
 * - `spent_challenges`: proof-of-work challenges already used (altcha-lib has no replay protection of its own),
 *   by the digest of their signature, kept until the challenge expires.
 * Works in several server processes at once: every check is one atomic statement in the database.
 * Types in schema.ts.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export async function m010_signup_guard(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('signup_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signup_counters_expiry').on('signup_counters').column('expires_at').execute();

  await db.schema
    .createTable('spent_challenges')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spent_challenges_expiry').on('spent_challenges').column('expires_at').execute();
}
