/**
 * Key-value settings: the organisation's identity, the server secret (or its key id), decision settings. Values are JSON.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { organisationSchema, type Organisation } from '../core/organisation.js';
import { suppressionKeyId } from '../core/suppression.js';
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

/** Removes one setting (nothing when it was never set). */
export async function deleteSetting(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

/**
 * Removes a setting only when it holds this value (one caller wins when several try at once: a concurrent
 * delete waits for the first and then finds nothing).
 * @returns whether it was removed
 */
export async function takeSetting(db: Kysely<DB>, key: string, value: unknown): Promise<boolean> {
  const r = await db.deleteFrom('settings').where('key', '=', key).where('value', '=', JSON.stringify(value)).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
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
 * Whether the database holds anything keyed with the secret: suppression hashes, or people whose mail carries
 * signed links (contacts, ledger chains, deliveries). Such data cannot be re-keyed: most suppressions exist only
 * as a hash, so their addresses are gone.
 */
export async function holdsKeyedData(db: Kysely<DB>): Promise<boolean> {
  for (const table of ['suppressions', 'contacts', 'consent_events', 'deliveries'] as const) {
    if (await db.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst()) return true;
  }
  return false;
}

const refuse = (problem: string) =>
  new Error(`invalid configuration:\n  CONSENTRY_SECRET: ${problem} Suppression hashes and the links in mail already sent only work with ` +
    'the secret they were made with, and cannot be re-keyed: with another secret, unsubscribed, cleaned and erased addresses would become ' +
    'mailable again.');

/**
 * The server secret for link tokens and suppression hashes. A data folder (database) is bound to one secret:
 * the one generated at first start and kept in the `secret` setting, or — when CONSENTRY_SECRET was set from the
 * first start — one kept outside, of which only its key id is recorded (`secret_key_id`). A configured secret
 * that differs from the folder's is adopted only while the folder holds nothing keyed with the old one (a fresh
 * folder before `import evidence`): a stored secret is then replaced, so every later command and the server use
 * the adopted one without CONSENTRY_SECRET (Tw 11.7(3), GDPR 21(3): an opt-out must keep working after a move).
 * A folder keyed outside only records the new key id here; `import evidence` then stores the secret itself
 * (keepSecretIfFresh), since a user who set it for the import alone must not be locked out afterwards.
 * @param configured CONSENTRY_SECRET, or null
 * @returns the secret to use
 * @throws Error "invalid configuration: CONSENTRY_SECRET: …" when the configured secret differs from the one the
 *   folder's data is keyed with, or none is configured while the folder's data is keyed with one kept outside
 */
export async function ensureSecret(db: Kysely<DB>, configured: string | null): Promise<string> {
  const stored = (await getSetting<string>(db, 'secret')) ?? null;
  const folderKey = stored ? suppressionKeyId(stored) : ((await getSetting<string>(db, 'secret_key_id')) ?? null);
  if (configured) {
    const key = suppressionKeyId(configured);
    if (folderKey === key) return configured;
    // Before any keyed data a folder's secret may still change, e.g. a fresh folder adopting the exporting server's.
    if (folderKey !== null && (await holdsKeyedData(db))) {
      throw refuse(`this data folder is keyed with another secret (key id ${folderKey}; yours has ${key}). ` +
        (stored ? 'Unset CONSENTRY_SECRET to use the one kept in the folder (`consentry secret` prints it).' : 'Set the one this folder was set up with.') +
        ' Evidence from a server with another secret can only be imported into a fresh data folder.');
    }
    if (stored) await putSetting(db, 'secret', configured);
    else await putSetting(db, 'secret_key_id', key);
    return configured;
  }
  if (stored) return stored;
  if (folderKey !== null) {
    throw refuse(`not set, but this data folder is keyed with a secret given through CONSENTRY_SECRET and kept outside the database ` +
      `(key id ${folderKey}). Set it again.`);
  }
  // No secret recorded yet data keyed with one: a folder that ran with CONSENTRY_SECRET before key ids were recorded.
  if (await holdsKeyedData(db)) throw refuse('not set, but this data folder holds data keyed with a secret kept outside the database. Set it again.');
  const fresh = randomBytes(32).toString('base64url');
  await db.insertInto('settings').values({ key: 'secret', value: JSON.stringify(fresh) }).onConflict((oc) => oc.doNothing()).execute();
  return (await getSetting<string>(db, 'secret'))!;
}

/**
 * Keeps `secret` in the folder's `secret` setting (dropping a recorded `secret_key_id`) when the folder holds
 * nothing keyed yet. `import evidence` calls it inside its transaction before storing anything: a fresh folder
 * then keeps the exporting server's secret, so later commands and the server start without CONSENTRY_SECRET and
 * the imported suppressions keep matching (Tw 11.7(3), GDPR 21(3)). A folder with keyed data keeps its binding
 * (ensureSecret has already refused another secret).
 * @returns true when the secret was stored, false when the folder already held keyed data
 */
export async function keepSecretIfFresh(db: Kysely<DB>, secret: string): Promise<boolean> {
  if (await holdsKeyedData(db)) return false;
  await putSetting(db, 'secret', secret);
  await db.deleteFrom('settings').where('key', '=', 'secret_key_id').execute();
  return true;
}
