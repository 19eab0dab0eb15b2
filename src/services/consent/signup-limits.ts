/**
 * The limits on sign-ups against bots and list bombing (issue 13 item 2), counted in the database
 * (store/signup-guard.ts) so that several server processes share them. Addresses and IPs appear in counter keys
 * only as keyed hashes (HMAC under a key derived from the server secret), and counters are deleted once their
 * window has passed.
 */
import { createHmac } from 'node:crypto';
import { countHit, uncountHit } from '../../store/signup-guard.js';
import type { Deps } from '../deps.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** How many sign-ups are allowed; see the README's "Against bots" section. */
export interface SignupLimits {
  /** Sign-ups site-wide per hour (SIGNUP_MAX_PER_HOUR); each sends at most one confirmation mail. */
  perHour: number;
  /** Sign-ups without a solved challenge (JavaScript off) per client IP per hour. */
  noJsPerIpPerHour: number;
  /** Sign-ups without a solved challenge per target address per 24 hours. */
  noJsPerAddressPerDay: number;
}

export const DEFAULT_SIGNUP_LIMITS: SignupLimits = { perHour: 200, noJsPerIpPerHour: 5, noJsPerAddressPerDay: 3 };

/** At most one confirmation (or requested-item) mail per address in this time (ms): 24 hours. */
export const MAIL_INTERVAL_MS = DAY_MS;

const keyed = (secret: string, kind: string, value: string) =>
  `${kind}:${createHmac('sha256', createHmac('sha256', secret).update('consentry-signup-limit').digest()).update(value).digest('hex')}`;

/**
 * Counts a sign-up on the no-JavaScript path against its IP and its target address.
 * @param address the normalised address
 * @returns whether both are within their limits
 */
export async function withinNoJsLimits(deps: Pick<Deps, 'db' | 'secret' | 'clock'>, limits: SignupLimits, ip: string | null, address: string): Promise<boolean> {
  const now = deps.clock.now();
  const byIp = ip ? await countHit(deps.db, keyed(deps.secret, 'nojs-ip', ip), HOUR_MS, now) : 0;
  const byAddress = await countHit(deps.db, keyed(deps.secret, 'nojs-to', address), DAY_MS, now);
  return byIp <= limits.noJsPerIpPerHour && byAddress <= limits.noJsPerAddressPerDay;
}

/** Counts a sign-up site-wide; false when this hour's cap is reached. */
export async function withinSiteCap(deps: Pick<Deps, 'db' | 'clock'>, limits: SignupLimits): Promise<boolean> {
  return (await countHit(deps.db, 'site:signups', HOUR_MS, deps.clock.now())) <= limits.perHour;
}

/**
 * Claims the one mail an address may get from sign-ups in 24 hours (the confirmation mail, a requested item).
 * @param address the normalised address
 * @returns `granted`, and `release` to give the claim back when the mail could not be sent after all
 */
export async function claimSignupMail(deps: Pick<Deps, 'db' | 'secret' | 'clock'>, address: string): Promise<{ granted: boolean; release(): Promise<void> }> {
  const key = keyed(deps.secret, 'mail', address);
  const granted = (await countHit(deps.db, key, MAIL_INTERVAL_MS, deps.clock.now())) === 1;
  return { granted, release: () => uncountHit(deps.db, key) };
}
