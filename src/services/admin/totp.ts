/**
 * The optional second factor of admin users: TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, as every
 * authenticator app reads an otpauth:// URI) with ten one-time recovery codes. Shared by the account page, the
 * users page, the sign-in's second step and the CLI (`user totp-reset`).
 *
 * - Turning it on takes a secret made by `newTotpSecret` and a first code from the app, so a wrongly scanned
 *   secret never locks anyone out; the recovery codes are returned once and stored as SHA-256 hashes.
 * - A code is accepted once: the time step it belongs to is stored and only a later step is accepted afterwards
 *   (RFC 6238 section 5.2). One step of clock drift either way is allowed.
 * - The second step of sign-in counts failures with the password step (sessions.ts), per account and per IP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { sha256 } from '../../core/ledger-chain.js';
import {
  adminUserById,
  advanceTotpStep,
  countUnusedRecoveryCodes,
  deleteSession,
  deleteUserSessions,
  replaceRecoveryCodes,
  sessionByTokenHash,
  updateAdminUser,
  useRecoveryCode,
} from '../../store/admin-users.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { passwordMatches } from './passwords.js';
import { forgetFailures, openSession, PENDING_MS, recordFailure, refuseWhenLimited, type SignedIn } from './sessions.js';
import { findUser, toAdminUser, type AdminUser } from './users.js';

type TotpDeps = Data & Pick<Deps, 'clock'>;

/** How many recovery codes a user gets. */
export const RECOVERY_CODE_COUNT = 10;
/** The issuer shown in authenticator apps. */
const ISSUER = 'Consentry';
/** Seconds of clock drift accepted either way (one 30-second step). */
const TOLERANCE_S = 30;
/** Recovery codes use letters and digits that cannot be mistaken for one another. */
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A new secret to show while turning the second factor on (not stored until `enableTotp`). */
export interface NewTotpSecret {
  /** Base32 (RFC 4648), 160 bits, to type into an app. */
  secret: string;
  /** otpauth://totp/Consentry:<address>?secret=…&issuer=Consentry, for apps that take a link or a QR code. */
  uri: string;
}

/** The otpauth:// URI (Key Uri Format) of a secret for a user's address. */
export const totpUri = (email: string, secret: string): string => generateURI({ issuer: ISSUER, label: email, secret });

/** A fresh secret and its otpauth:// URI for a user's address. */
export function newTotpSecret(email: string): NewTotpSecret {
  const secret = generateSecret();
  return { secret, uri: totpUri(email, secret) };
}

const hashRecoveryCode = (userId: string, code: string) => sha256(`recovery:${userId}:${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`);

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** The time step of a valid code now, or null. */
async function stepOf(deps: Pick<Deps, 'clock'>, secret: string, code: string): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const r = await verify({ secret, token, epoch: Math.floor(deps.clock.now().getTime() / 1000), epochTolerance: TOLERANCE_S });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/**
 * Turns the second factor on with a secret from `newTotpSecret` and the first code the app shows for it.
 * @returns the ten recovery codes, in the clear this once (only their hashes are stored)
 * @throws DomainError invalid on `code` (`totp-wrong`), invalid on `secret` (`totp-secret-invalid`),
 *   conflict `totp-on-already`, not_found `unknown-user`
 */
export async function enableTotp(deps: TotpDeps, userId: string, input: { secret: string; code: string }): Promise<string[]> {
  const user = await findUser(deps, userId);
  if (user.totp_secret) throw new DomainError('conflict', 'the second factor is on already; turn it off first', 'code', 'totp-on-already');
  const secret = input.secret.trim().toUpperCase();
  if (!/^[A-Z2-7]{32}$/.test(secret)) throw invalid('secret', 'secret: not a secret made by this page; start again', 'totp-secret-invalid');
  const step = await stepOf(deps, secret, input.code);
  if (step === null) throw invalid('code', 'code: this is not the code the app shows now', 'totp-wrong');
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await deps.db.transaction().execute(async (trx) => {
    await updateAdminUser(trx, user.id, { totp_secret: secret, totp_last_step: step, updated_at: deps.clock.now().toISOString() });
    await replaceRecoveryCodes(trx, user.id, codes.map((c) => ({ id: randomUUID(), code_hash: hashRecoveryCode(user.id, c) })));
  });
  return codes;
}

async function clearTotp(deps: TotpDeps, userId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await updateAdminUser(trx, userId, { totp_secret: null, totp_last_step: null, updated_at: deps.clock.now().toISOString() });
    await replaceRecoveryCodes(trx, userId, []);
  });
}

/**
 * The person turns their own second factor off; their password must be right.
 * @param field the form field to name in the error
 * @throws DomainError invalid on `field` (`wrong-password`)
 */
export async function disableTotp(deps: TotpDeps, userId: string, password: string, field = 'password'): Promise<AdminUser> {
  const user = await findUser(deps, userId);
  if (!user.password_hash || !(await passwordMatches(user.password_hash, password))) {
    throw invalid(field, `${field}: the password is not right`, 'wrong-password');
  }
  await clearTotp(deps, user.id);
  return toAdminUser({ ...user, totp_secret: null });
}

/**
 * An owner (page or CLI) removes a user's second factor, e.g. after a lost phone; the user's sessions end, and
 * they sign in with the password alone and can turn it on again.
 * @throws DomainError not_found `unknown-user`
 */
export async function resetTotp(deps: TotpDeps, idOrEmail: string): Promise<AdminUser> {
  const user = await findUser(deps, idOrEmail);
  await clearTotp(deps, user.id);
  await deleteUserSessions(deps.db, user.id);
  return toAdminUser({ ...user, totp_secret: null });
}

/** How many unused recovery codes a user has (0 when the second factor is off). */
export const recoveryCodesLeft = (deps: Data, userId: string): Promise<number> => countUnusedRecoveryCodes(deps.db, userId);

const codeWrong = () => new DomainError('forbidden', 'the code is not right', 'code', 'totp-wrong');
const pendingGone = () => new DomainError('gone', 'the sign-in took too long; sign in again', undefined, 'second-factor-expired');

/**
 * The second step of sign-in: the session a password opened (state 'second_factor', at most PENDING_MS old)
 * and a code from the app or an unused recovery code. The waiting session ends and a new active one opens.
 * @param input.token the cookie's token of the waiting session
 * @throws DomainError forbidden `totp-wrong` (counted as a failed sign-in), unavailable `too-many-attempts`,
 *   gone `second-factor-expired` (no such session, or too old: sign in again)
 */
export async function completeSecondFactor(deps: TotpDeps, input: { token: string; code: string; ip: string }): Promise<SignedIn & { recoveryCodeUsed: boolean }> {
  const found = /^[A-Za-z0-9_-]{43}$/.test(input.token) ? await sessionByTokenHash(deps.db, sha256(input.token)) : undefined;
  if (!found || found.session.state !== 'second_factor') throw pendingGone();
  const { session } = found;
  const now = deps.clock.now();
  if (now.getTime() - Date.parse(session.created_at) >= PENDING_MS) {
    await deleteSession(deps.db, session.id);
    throw pendingGone();
  }
  const user = await adminUserById(deps.db, session.user_id);
  if (!user?.totp_secret) throw pendingGone();
  await refuseWhenLimited(deps, user.email, input.ip);
  const step = await stepOf(deps, user.totp_secret, input.code);
  let recoveryCodeUsed = false;
  let ok = step !== null && (await advanceTotpStep(deps.db, user.id, step));
  if (!ok && step === null && input.code.trim().length >= 10) {
    ok = recoveryCodeUsed = await useRecoveryCode(deps.db, user.id, hashRecoveryCode(user.id, input.code), now.toISOString());
  }
  if (!ok) {
    await recordFailure(deps, user.email, input.ip);
    throw codeWrong();
  }
  await forgetFailures(deps, user.email);
  await deleteSession(deps.db, session.id);
  return { ...(await openSession(deps, user, 'active')), recoveryCodeUsed };
}
