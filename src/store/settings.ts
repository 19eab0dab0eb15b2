/**
 * Key-value settings: the organisation's identity, the server secret, decision settings. Values are JSON.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { organisationSchema, type Organisation } from '../core/organisation.js';
import { DEFAULT_SETTINGS, type SettingsFacts } from '../core/policy/facts.js';
import type { DB } from './schema.js';

/** Reads one setting, or undefined when it was never set. */
export async function getSetting<T>(db: Kysely<DB>, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** Writes one setting (insert or replace). */
export async function putSetting(db: Kysely<DB>, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute();
}

/** The organisation's identity, or null before `consentry init`. */
export async function getOrganisation(db: Kysely<DB>): Promise<Organisation | null> {
  const raw = await getSetting<unknown>(db, 'organisation');
  return raw === undefined ? null : organisationSchema.parse(raw);
}

export async function putOrganisation(db: Kysely<DB>, org: Organisation): Promise<void> {
  await putSetting(db, 'organisation', organisationSchema.parse(org));
}

/** Settings that change decisions (customer-exception period …), with defaults. */
export async function getDecisionSettings(db: Kysely<DB>): Promise<SettingsFacts> {
  return { ...DEFAULT_SETTINGS, ...((await getSetting<Partial<SettingsFacts>>(db, 'decision_settings')) ?? {}) };
}

/**
 * The server secret for tokens and suppression hashes: the configured one, else the one generated on first use
 * and kept in the database (so every process on a shared PostgreSQL database uses the same).
 */
export async function ensureSecret(db: Kysely<DB>, configured: string | null): Promise<string> {
  if (configured) return configured;
  const existing = await getSetting<string>(db, 'secret');
  if (existing) return existing;
  const fresh = randomBytes(32).toString('base64url');
  await db.insertInto('settings').values({ key: 'secret', value: JSON.stringify(fresh) }).onConflict((oc) => oc.doNothing()).execute();
  return (await getSetting<string>(db, 'secret'))!;
}
