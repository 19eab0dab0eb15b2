/**
 * Admin users, their sessions and recovery codes, and failed sign-ins (migration 004). Queries only.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AdminSessionRow, AdminUserRow, AdminUsersTable, DB } from './schema.js';

export async function insertAdminUser(db: Kysely<DB>, row: Insertable<AdminUsersTable>): Promise<void> {
  await db.insertInto('admin_users').values(row).execute();
}

export async function adminUserById(db: Kysely<DB>, id: string): Promise<AdminUserRow | undefined> {
  return db.selectFrom('admin_users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function adminUserByEmail(db: Kysely<DB>, email: string): Promise<AdminUserRow | undefined> {
  return db.selectFrom('admin_users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Every admin user, by address. */
export async function listAdminUsers(db: Kysely<DB>): Promise<AdminUserRow[]> {
  return db.selectFrom('admin_users').selectAll().orderBy('email').execute();
}

export async function updateAdminUser(db: Kysely<DB>, id: string, changes: Updateable<AdminUsersTable>): Promise<void> {
  await db.updateTable('admin_users').set(changes).where('id', '=', id).execute();
}

export async function deleteAdminUser(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('admin_users').where('id', '=', id).execute();
}

/** How many users hold a role (e.g. owners, so the last one cannot be removed). */
export async function countAdminUsers(db: Kysely<DB>, role?: string): Promise<number> {
  let q = db.selectFrom('admin_users').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (role) q = q.where('role', '=', role);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function insertSession(db: Kysely<DB>, row: AdminSessionRow): Promise<void> {
  await db.insertInto('admin_sessions').values(row).execute();
}

/** A session with its user, by the hash of the cookie's token. */
export async function sessionByTokenHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<{ session: AdminSessionRow; user: AdminUserRow } | undefined> {
  const session = await db.selectFrom('admin_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!session) return undefined;
  const user = await adminUserById(db, session.user_id);
  return user ? { session, user } : undefined;
}

export async function touchSession(db: Kysely<DB>, id: string, at: string): Promise<void> {
  await db.updateTable('admin_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function setSessionState(db: Kysely<DB>, id: string, state: string): Promise<void> {
  await db.updateTable('admin_sessions').set({ state }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id', '=', id).execute();
}

/** Ends every session of a user. */
export async function deleteUserSessions(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('user_id', '=', userId).execute();
}

/** Removes sessions whose absolute expiry has passed. */
export async function deleteExpiredSessions(db: Kysely<DB>, now: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
}

export async function insertSignInFailure(db: Kysely<DB>, scope: 'account' | 'ip', key: string, at: string): Promise<void> {
  await db.insertInto('admin_sign_in_failures').values({ scope, key, at }).execute();
}

/** Failed sign-ins for a key since a time. */
export async function countSignInFailures(db: Kysely<DB>, scope: 'account' | 'ip', key: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('admin_sign_in_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Forgets failures older than a time, and an account's failures after it signed in. */
export async function deleteSignInFailures(db: Kysely<DB>, where: { before?: string; scope?: 'account' | 'ip'; key?: string }): Promise<void> {
  let q = db.deleteFrom('admin_sign_in_failures');
  if (where.before) q = q.where('at', '<', where.before);
  if (where.scope) q = q.where('scope', '=', where.scope);
  if (where.key) q = q.where('key', '=', where.key);
  await q.execute();
}

/**
 * Records the TOTP time step just accepted, only when it is later than the last one accepted (so a code used
 * once, or an earlier one, cannot be used again even by two requests at the same moment).
 * @returns whether the step was recorded
 */
export async function advanceTotpStep(db: Kysely<DB>, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('admin_users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_secret', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Replaces a user's recovery codes (hashes) with new ones; an empty list removes them. */
export async function replaceRecoveryCodes(db: Kysely<DB>, userId: string, rows: ReadonlyArray<{ id: string; code_hash: string }>): Promise<void> {
  await db.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length) await db.insertInto('admin_recovery_codes').values(rows.map((r) => ({ ...r, user_id: userId, used_at: null }))).execute();
}

/**
 * Marks an unused recovery code of a user as used.
 * @returns whether there was such a code (false when unknown or used before)
 */
export async function useRecoveryCode(db: Kysely<DB>, userId: string, codeHash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('admin_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) >= 1;
}

/** How many unused recovery codes a user has left. */
export async function countUnusedRecoveryCodes(db: Kysely<DB>, userId: string): Promise<number> {
  const r = await db
    .selectFrom('admin_recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
