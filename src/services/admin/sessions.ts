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
import type { Data, Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { decoyHash, passwordMatches } from './passwords.js';

/** A session ends after this long without a request (ms). */
export const SESSION_IDLE_MS = 60 * 60_000;
/** A session ends this long after sign-in whatever happens (ms). */
export const SESSION_MAX_MS = 12 * 3600_000;
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

/**
 * Checks an address and password and opens a new session. When the user has a second factor the session
 * starts in state 'second_factor' and opens nothing until `completeSecondFactor` (totp.ts).
 * @param input.ip the client's IP address, for the per-IP limit (hashed before storage)
 * @param input.replaces the token of a session this browser held before, which is ended (id rotation)
 * @throws DomainError forbidden `sign-in-failed` (unknown address or wrong password, alike),
 *   unavailable `too-many-attempts`
 */
export async function signIn(
  deps: SessionDeps,
  input: { email: string; password: string; ip: string; replaces?: string | undefined },
): Promise<SignedIn> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MS).toISOString();
  const email = input.email.trim().toLowerCase();
  const accountKey = sha256(`account:${email}`);
  const ipKey = sha256(`ip:${input.ip}`);
  if (
    (await countSignInFailures(deps.db, 'account', accountKey, since)) >= MAX_FAILURES_PER_ACCOUNT ||
    (await countSignInFailures(deps.db, 'ip', ipKey, since)) >= MAX_FAILURES_PER_IP
  ) {
    throw tooMany();
  }
  const user = email ? await adminUserByEmail(deps.db, email) : undefined;
  const ok = await passwordMatches(user?.password_hash ?? (await decoyHash()), input.password.slice(0, 1024));
  if (!user || !user.password_hash || !ok) {
    const at = now.toISOString();
    await insertSignInFailure(deps.db, 'account', accountKey, at);
    await insertSignInFailure(deps.db, 'ip', ipKey, at);
    await deleteSignInFailures(deps.db, { before: new Date(now.getTime() - 24 * 3600_000).toISOString() });
    throw signInFailed();
  }
  await deleteSignInFailures(deps.db, { scope: 'account', key: accountKey });
  if (input.replaces) await endSessionByToken(deps, input.replaces);
  await deleteExpiredSessions(deps.db, now.toISOString());
  const token = randomBytes(32).toString('base64url');
  const row = {
    id: randomUUID(),
    token_hash: sha256(token),
    user_id: user.id,
    state: user.totp_secret ? 'second_factor' : 'active',
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
  };
  await insertSession(deps.db, row);
  return {
    token,
    session: { id: row.id, userId: user.id, email: user.email, role: isRole(user.role) ? user.role : 'viewer', state: row.state as AdminSession['state'], expiresAt: row.expires_at },
  };
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
  if (now >= Date.parse(session.expires_at) || now - lastSeen >= SESSION_IDLE_MS) {
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
