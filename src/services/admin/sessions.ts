/**
 * Admin sign-in and sessions (issue 9). The cookie holds a random token; the database keeps only its SHA-256,
 * so a leaked database gives no session. A new session (a new id and token) is made at every sign-in, which
 * rotates the id. Sessions end after SESSION_IDLE_MS without a request and SESSION_MAX_MS after sign-in.
 *
 * Failed sign-ins are counted per account and per IP address over FAILURE_WINDOW_MS; past the limits every
 * attempt is refused before the password is checked. An unknown account and a wrong password get the same
 * error and take the same time (a decoy hash is verified), so the page does not tell which addresses exist.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '../../core/ledger-chain.js';
import { isRole, type Role } from '../../core/admin/roles.js';
import {
  adminUserByEmail,
  countSignInFailures,
  deleteExpiredSessions,
  deleteSession,
  deleteSignInFailures,
  deleteUserSessions,
  insertSession,
  insertSignInFailure,
  sessionByTokenHash,
  touchSession,
} from '../../store/admin-users.js';
import type { AdminUserRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { decoyHash, passwordMatches } from './passwords.js';

/** A session ends after this long without a request (ms). */
export const SESSION_IDLE_MS = 60 * 60_000;
/** A session ends this long after sign-in whatever happens (ms). */
export const SESSION_MAX_MS = 12 * 3600_000;
/** A session waiting for its second-factor code ends this long after the password was accepted (ms). */
export const PENDING_MS = 5 * 60_000;
/** last_seen_at is written at most this often (ms), so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Failed sign-ins are counted over this window (ms). */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins allowed per account within the window. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failed sign-ins allowed per IP address within the window. */
export const MAX_FAILURES_PER_IP = 20;

type SessionDeps = Data & Pick<Deps, 'clock'>;

/** A signed-in person as the admin app sees them. */
export interface AdminSession {
  /** The session's id: CSRF tokens are bound to it; never the cookie's token. */
  id: string;
  userId: string;
  email: string;
  role: Role;
  /** 'active', or 'second_factor' while the TOTP code is still to be given. */
  state: 'active' | 'second_factor';
  expiresAt: string;
}

/** The result of a password accepted: a cookie token for a new session. */
export interface SignedIn {
  token: string;
  session: AdminSession;
}

const signInFailed = () =>
  new DomainError('forbidden', 'the address or password is not right', 'password', 'sign-in-failed');
const tooMany = () =>
  new DomainError('unavailable', 'too many failed sign-ins; wait 15 minutes and try again', 'password', 'too-many-attempts');

/** The keys failed sign-ins are counted under: the account (its lower-case address) and the IP address. */
const failureKeys = (email: string, ip: string) => ({ account: sha256(`account:${email.trim().toLowerCase()}`), ip: sha256(`ip:${ip}`) });

/**
 * Refuses an attempt when the account or the IP address is past its limit of failures within FAILURE_WINDOW_MS.
 * The password step and the second-factor step count together.
 * @throws DomainError unavailable `too-many-attempts`
 */
export async function refuseWhenLimited(deps: SessionDeps, email: string, ip: string): Promise<void> {
  const since = new Date(deps.clock.now().getTime() - FAILURE_WINDOW_MS).toISOString();
  const keys = failureKeys(email, ip);
  if (
    (await countSignInFailures(deps.db, 'account', keys.account, since)) >= MAX_FAILURES_PER_ACCOUNT ||
    (await countSignInFailures(deps.db, 'ip', keys.ip, since)) >= MAX_FAILURES_PER_IP
  ) {
    throw tooMany();
  }
}

/** Counts a failed attempt for the account and the IP address (and forgets failures older than a day). */
export async function recordFailure(deps: SessionDeps, email: string, ip: string): Promise<void> {
  const now = deps.clock.now();
  const keys = failureKeys(email, ip);
  await insertSignInFailure(deps.db, 'account', keys.account, now.toISOString());
  await insertSignInFailure(deps.db, 'ip', keys.ip, now.toISOString());
  await deleteSignInFailures(deps.db, { before: new Date(now.getTime() - 24 * 3600_000).toISOString() });
}

/** Forgets an account's failures once it has signed in. */
export const forgetFailures = (deps: SessionDeps, email: string): Promise<void> =>
  deleteSignInFailures(deps.db, { scope: 'account', key: failureKeys(email, '').account });

/**
 * Opens a new session for a user (a new id and token): 'active', or 'second_factor' between the password and the
 * code. Used by `signIn`, by `completeSecondFactor` (totp.ts) and by the browser set-up.
 */
export async function openSession(deps: SessionDeps, user: Pick<AdminUserRow, 'id' | 'email' | 'role'>, state: AdminSession['state']): Promise<SignedIn> {
  const now = deps.clock.now();
  await deleteExpiredSessions(deps.db, now.toISOString());
  const token = randomBytes(32).toString('base64url');
  const row = {
    id: randomUUID(),
    token_hash: sha256(token),
    user_id: user.id,
    state,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
  };
  await insertSession(deps.db, row);
  return {
    token,
    session: { id: row.id, userId: user.id, email: user.email, role: isRole(user.role) ? user.role : 'viewer', state, expiresAt: row.expires_at },
  };
}

/**
 * Checks an address and password and opens a new session. When the user has a second factor the session
 * starts in state 'second_factor', opens nothing, ends after PENDING_MS, and becomes a new active session only
 * through `completeSecondFactor` (totp.ts).
 * @param input.ip the client's IP address, for the per-IP limit (hashed before storage)
 * @param input.replaces the token of a session this browser held before, which is ended (id rotation)
 * @throws DomainError forbidden `sign-in-failed` (unknown address or wrong password, alike),
 *   unavailable `too-many-attempts`
 */
export async function signIn(
  deps: SessionDeps,
  input: { email: string; password: string; ip: string; replaces?: string | undefined },
): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  await refuseWhenLimited(deps, email, input.ip);
  const user = email ? await adminUserByEmail(deps.db, email) : undefined;
  const ok = await passwordMatches(user?.password_hash ?? (await decoyHash()), input.password.slice(0, 1024));
  if (!user || !user.password_hash || !ok) {
    await recordFailure(deps, email, input.ip);
    throw signInFailed();
  }
  await forgetFailures(deps, email);
  if (input.replaces) await endSessionByToken(deps, input.replaces);
  return openSession(deps, user, user.totp_secret ? 'second_factor' : 'active');
}

/**
 * The session a cookie's token belongs to, or null when there is none or it has expired (idle or absolute;
 * an expired one is deleted). Refreshes the idle time at most once a minute.
 */
export async function sessionFromToken(deps: SessionDeps, token: string): Promise<AdminSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const found = await sessionByTokenHash(deps.db, sha256(token));
  if (!found) return null;
  const { session, user } = found;
  const now = deps.clock.now().getTime();
  const lastSeen = Date.parse(session.last_seen_at);
  const pendingTooLong = session.state !== 'active' && now - Date.parse(session.created_at) >= PENDING_MS;
  if (now >= Date.parse(session.expires_at) || now - lastSeen >= SESSION_IDLE_MS || pendingTooLong) {
    await deleteSession(deps.db, session.id);
    return null;
  }
  if (now - lastSeen >= TOUCH_EVERY_MS) await touchSession(deps.db, session.id, new Date(now).toISOString());
  return {
    id: session.id,
    userId: user.id,
    email: user.email,
    role: isRole(user.role) ? user.role : 'viewer',
    state: session.state === 'active' ? 'active' : 'second_factor',
    expiresAt: session.expires_at,
  };
}

/** Ends the session a token belongs to (sign out); nothing when there is none. */
export async function endSessionByToken(deps: Data, token: string): Promise<void> {
  const found = /^[A-Za-z0-9_-]{43}$/.test(token) ? await sessionByTokenHash(deps.db, sha256(token)) : undefined;
  if (found) await deleteSession(deps.db, found.session.id);
}

/** Ends every session of a user ("sign out everywhere"; also after a password change or reset). */
export async function endAllSessions(deps: Data, userId: string): Promise<void> {
  await deleteUserSessions(deps.db, userId);
}
