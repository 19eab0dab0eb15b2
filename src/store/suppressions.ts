/**
 * The suppression list: keyed hashes of addresses that must never get marketing mail again. No address is kept
 * in the clear; `suppressionHash` (core) computes the key.
 */
import type { Kysely } from 'kysely';
import type { SuppressionReason } from '../core/vocab.js';
import type { DB } from './schema.js';

/** Adds a hash; an address already suppressed keeps its first reason. */
export async function addSuppression(
  db: Kysely<DB>,
  hash: string,
  reason: SuppressionReason,
  source: string | null,
  at: Date,
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ hash, reason, source, created_at: at.toISOString() })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
}

/** The reason an address hash is suppressed, or null. */
export async function suppressionOf(db: Kysely<DB>, hash: string): Promise<SuppressionReason | null> {
  const row = await db.selectFrom('suppressions').select('reason').where('hash', '=', hash).executeTakeFirst();
  return (row?.reason as SuppressionReason | undefined) ?? null;
}

export async function removeSuppression(db: Kysely<DB>, hash: string): Promise<void> {
  await db.deleteFrom('suppressions').where('hash', '=', hash).execute();
}

/** The list's entry for a hash (reason, source, since when), or undefined. */
export async function suppressionEntry(db: Kysely<DB>, hash: string): Promise<{ reason: SuppressionReason; source: string | null; since: string } | undefined> {
  const row = await db.selectFrom('suppressions').select(['reason', 'source', 'created_at']).where('hash', '=', hash).executeTakeFirst();
  return row ? { reason: row.reason as SuppressionReason, source: row.source, since: row.created_at } : undefined;
}
