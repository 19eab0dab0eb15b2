/**
 * Admin users (issue 9): add, list, change role, remove, set a password. Shared by the admin pages, the JSON
 * API and the CLI. There is always at least one owner once the first exists: the last owner can be neither
 * removed nor demoted.
 */
import { randomUUID } from 'node:crypto';
import { isRole, type Role } from '../../core/admin/roles.js';
import { normaliseAddress } from '../../core/address.js';
import {
  adminUserByEmail,
  adminUserById,
  countAdminUsers,
  deleteAdminUser,
  deleteUserSessions,
  insertAdminUser,
  listAdminUsers,
  updateAdminUser,
} from '../../store/admin-users.js';
import type { AdminUserRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { checkNewPassword, hashPassword, passwordMatches } from './passwords.js';

type UserDeps = Data & Pick<Deps, 'clock'>;

/** An admin user as pages, the API and the CLI show it (never the hashes or the TOTP secret). */
export interface AdminUser {
  id: string;
  email: string;
  role: Role;
  /** Whether the TOTP second factor is on. */
  secondFactor: boolean;
  createdAt: string;
}

export const toAdminUser = (row: AdminUserRow): AdminUser => ({
  id: row.id,
  email: row.email,
  role: isRole(row.role) ? row.role : 'viewer',
  secondFactor: row.totp_secret !== null,
  createdAt: row.created_at,
});

/**
 * Normalises an admin user's address.
 * @throws DomainError invalid on field `email`
 */
export function adminEmail(input: string): string {
  const r = normaliseAddress(input);
  if (!r.ok) throw invalid('email', `email: ${r.error}`, 'invalid-email');
  return r.value.address;
}

function checkRole(role: string): Role {
  if (!isRole(role)) throw invalid('role', `role: choose owner, editor, privacy_officer or viewer (not "${role}")`, 'invalid-role');
  return role;
}

/**
 * Adds a user.
 * @param input.password the first password (policy in core/admin/password-policy.ts), or null for none yet
 * @throws DomainError invalid (email, role, password) or conflict (`user-exists`)
 */
export async function addUser(deps: UserDeps, input: { email: string; role: string; password: string | null }): Promise<AdminUser> {
  const email = adminEmail(input.email);
  const role = checkRole(input.role);
  if (input.password !== null) checkNewPassword(input.password, email);
  if (await adminUserByEmail(deps.db, email)) throw new DomainError('conflict', `there is a user ${email} already`, 'email', 'user-exists');
  const now = deps.clock.now().toISOString();
  const row: AdminUserRow = {
    id: randomUUID(),
    email,
    role,
    password_hash: input.password === null ? null : await hashPassword(input.password),
    totp_secret: null,
    totp_last_step: null,
    created_at: now,
    updated_at: now,
  };
  await insertAdminUser(deps.db, row);
  return toAdminUser(row);
}

/** Every user, by address. */
export async function listUsers(deps: Data): Promise<AdminUser[]> {
  return (await listAdminUsers(deps.db)).map(toAdminUser);
}

/** Whether any owner exists (the browser set-up is open only while none does). */
export async function hasOwner(deps: Data): Promise<boolean> {
  return (await countAdminUsers(deps.db, 'owner')) > 0;
}

/**
 * Finds a user by id or address.
 * @throws DomainError not_found (`unknown-user`)
 */
export async function findUser(deps: Data, idOrEmail: string): Promise<AdminUserRow> {
  const row = idOrEmail.includes('@')
    ? await adminUserByEmail(deps.db, idOrEmail.trim().toLowerCase())
    : await adminUserById(deps.db, idOrEmail);
  if (!row) throw notFound(`there is no user "${idOrEmail}"`, 'unknown-user');
  return row;
}

async function refuseLastOwner(deps: Data, user: AdminUserRow, what: string): Promise<void> {
  if (user.role === 'owner' && (await countAdminUsers(deps.db, 'owner')) === 1) {
    throw new DomainError('conflict', `${user.email} is the last owner and cannot be ${what}; make another user owner first`, 'role', 'last-owner');
  }
}

/**
 * Changes a user's role; the user's sessions end so the new role applies at once.
 * @throws DomainError not_found, invalid (role), conflict (`last-owner`)
 */
export async function changeRole(deps: UserDeps, idOrEmail: string, role: string): Promise<AdminUser> {
  const user = await findUser(deps, idOrEmail);
  const next = checkRole(role);
  if (next !== 'owner') await refuseLastOwner(deps, user, 'demoted');
  await updateAdminUser(deps.db, user.id, { role: next, updated_at: deps.clock.now().toISOString() });
  return toAdminUser({ ...user, role: next });
}

/**
 * Removes a user and their sessions.
 * @throws DomainError not_found, conflict (`last-owner`)
 */
export async function removeUser(deps: Data, idOrEmail: string): Promise<AdminUser> {
  const user = await findUser(deps, idOrEmail);
  await refuseLastOwner(deps, user, 'removed');
  await deleteAdminUser(deps.db, user.id);
  return toAdminUser(user);
}

/**
 * Sets a user's password (a reset by an owner, or the person's own change) and ends all their sessions.
 * @throws DomainError not_found, invalid (`password-…` on field `password`)
 */
export async function setPassword(deps: UserDeps, idOrEmail: string, password: string): Promise<AdminUser> {
  const user = await findUser(deps, idOrEmail);
  checkNewPassword(password, user.email);
  await updateAdminUser(deps.db, user.id, { password_hash: await hashPassword(password), updated_at: deps.clock.now().toISOString() });
  await deleteUserSessions(deps.db, user.id);
  return toAdminUser(user);
}

/**
 * A person changes their own password: the current one must be right. All their sessions end.
 * @throws DomainError invalid on `current` (`wrong-password`) or on `password` (`password-…`)
 */
export async function changeOwnPassword(deps: UserDeps, userId: string, current: string, next: string): Promise<AdminUser> {
  const user = await findUser(deps, userId);
  if (!user.password_hash || !(await passwordMatches(user.password_hash, current))) throw invalid('current', 'current: the current password is not right', 'wrong-password');
  return setPassword(deps, userId, next);
}
