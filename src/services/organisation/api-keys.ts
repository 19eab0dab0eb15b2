/**
 * API keys for the JSON API: shown once when created, kept only as a hash. Each key has a role
 * (core/admin/roles.ts) that the API's route table checks; keys made before roles existed are owners.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isRole, type Role } from '../../core/admin/roles.js';
import { sha256 } from '../../core/ledger-chain.js';
import { apiKeyByHash, apiKeyById, insertApiKey, listApiKeys, revokeApiKeyRow } from '../../store/api-keys.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';

/** Who is calling, once a key is accepted. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
  role: Role;
}

/** An API key as lists show it (never the key or its hash). */
export interface ApiKeyInfo extends ApiKeyIdentity {
  createdAt: string;
  revokedAt: string | null;
}

/**
 * Creates a key.
 * @param role the key's role (default owner, as `consentry init` and `consentry apikey` always made)
 * @returns the key in the clear (`csk_` + 43 characters; it cannot be shown again) and the key as lists show it
 * @throws DomainError invalid on `name` (empty or over 100 characters) or `role`
 */
export async function issueApiKey(deps: Data & Pick<Deps, 'clock'>, name: string, role: string = 'owner'): Promise<{ key: string; info: ApiKeyInfo }> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw invalid('name', 'name: give the key a name of 1 to 100 characters', 'invalid-key-name');
  if (!isRole(role)) throw invalid('role', `role: choose owner, editor, privacy_officer or viewer (not "${role}")`, 'invalid-role');
  const key = `csk_${randomBytes(32).toString('base64url')}`;
  const row = { id: randomUUID(), name: trimmed, key_hash: sha256(key), created_at: deps.clock.now().toISOString(), role };
  await insertApiKey(deps.db, row);
  return { key, info: { id: row.id, name: row.name, role, createdAt: row.created_at, revokedAt: null } };
}

/** `issueApiKey`, for callers that only print the key (the CLI, the admin page). */
export const createApiKey = async (deps: Data & Pick<Deps, 'clock'>, name: string, role: string = 'owner'): Promise<string> =>
  (await issueApiKey(deps, name, role)).key;

/** @returns the key's identity when the key is valid and not revoked, else null */
export async function checkApiKey(deps: Data, key: string): Promise<ApiKeyIdentity | null> {
  if (!/^csk_[A-Za-z0-9_-]{43}$/.test(key)) return null;
  const row = await apiKeyByHash(deps.db, sha256(key));
  if (!row || row.revoked_at) return null;
  return { id: row.id, name: row.name, role: isRole(row.role) ? row.role : 'viewer' };
}

/** Every key, newest first, revoked ones included. */
export async function listKeys(deps: Data): Promise<ApiKeyInfo[]> {
  return (await listApiKeys(deps.db)).map((r) => ({
    id: r.id,
    name: r.name,
    role: isRole(r.role) ? r.role : 'viewer',
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revokes a key at once; it stays in the list as revoked.
 * @throws DomainError not_found (`unknown-key`) or conflict (`key-revoked`)
 */
export async function revokeKey(deps: Data & Pick<Deps, 'clock'>, id: string): Promise<ApiKeyInfo> {
  const row = await apiKeyById(deps.db, id);
  if (!row) throw notFound(`there is no API key "${id}"`, 'unknown-key');
  if (row.revoked_at) throw new DomainError('conflict', `the API key "${row.name}" is revoked already`, undefined, 'key-revoked');
  const at = deps.clock.now().toISOString();
  await revokeApiKeyRow(deps.db, id, at);
  return { id: row.id, name: row.name, role: isRole(row.role) ? row.role : 'viewer', createdAt: row.created_at, revokedAt: at };
}
