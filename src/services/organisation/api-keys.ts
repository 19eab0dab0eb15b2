/**
 * API keys for the JSON API: shown once when created, kept only as a hash.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '../../core/ledger-chain.js';
import { apiKeyByHash, insertApiKey } from '../../store/api-keys.js';
import type { Data, Deps } from '../deps.js';

/**
 * Creates a key.
 * @returns the key in the clear (`csk_` + 43 characters); it cannot be shown again
 */
export async function createApiKey(deps: Data & Pick<Deps, 'clock'>, name: string): Promise<string> {
  const key = `csk_${randomBytes(32).toString('base64url')}`;
  await insertApiKey(deps.db, { id: randomUUID(), name, key_hash: sha256(key), created_at: deps.clock.now().toISOString() });
  return key;
}

/** @returns the key's name when the key is valid, else null */
export async function checkApiKey(deps: Data, key: string): Promise<string | null> {
  if (!/^csk_[A-Za-z0-9_-]{43}$/.test(key)) return null;
  return (await apiKeyByHash(deps.db, sha256(key)))?.name ?? null;
}
