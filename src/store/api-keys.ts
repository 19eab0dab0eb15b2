/**
 * API keys, stored only as SHA-256 hashes, with their role and revocation time.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, DB } from './schema.js';

type ApiKeyRow = Omit<Selectable<ApiKeysTable>, 'key_hash'>;

export async function insertApiKey(db: Kysely<DB>, row: { id: string; name: string; key_hash: string; created_at: string; role: string }): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function apiKeyByHash(db: Kysely<DB>, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(['id', 'name', 'role', 'created_at', 'revoked_at']).where('key_hash', '=', keyHash).executeTakeFirst();
}

export async function apiKeyById(db: Kysely<DB>, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').select(['id', 'name', 'role', 'created_at', 'revoked_at']).where('id', '=', id).executeTakeFirst();
}

/** Every key, newest first. */
export async function listApiKeys(db: Kysely<DB>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').select(['id', 'name', 'role', 'created_at', 'revoked_at']).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function revokeApiKeyRow(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).execute();
}
