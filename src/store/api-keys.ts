/**
 * API keys, stored only as SHA-256 hashes.
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export async function insertApiKey(db: Kysely<DB>, row: { id: string; name: string; key_hash: string; created_at: string }): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function apiKeyByHash(db: Kysely<DB>, keyHash: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('api_keys').select(['id', 'name']).where('key_hash', '=', keyHash).executeTakeFirst();
}
