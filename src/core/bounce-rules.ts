/**
 * What a bounce means for the person (issue 12; accuracy, GDPR 5(1)(d); SCENARIOS H4): only something about the
 * person's own address may suppress it. A hard bounce (the address does not exist) suppresses at once; a soft
 * bounce about the mailbox (full, over quota) counts towards a limit; a refusal for the sending system's own
 * reasons (policy 5.7.x, network, content, a relay that refuses all mail) is recorded but suppresses no one.
 * Pure: no I/O.
 */
import { z } from 'zod';

/** Soft-bounce limit: `limit` soft bounces of distinct deliveries within `windowDays` days suppress the address. */
export interface BounceSettings {
  softBounceLimit: number;
  softBounceWindowDays: number;
}

export const DEFAULT_BOUNCE_SETTINGS: BounceSettings = { softBounceLimit: 3, softBounceWindowDays: 30 };

export const bounceSettingsSchema = z.object({
  softBounceLimit: z.number().int().min(1).max(100),
  softBounceWindowDays: z.number().int().min(1).max(365),
});

/** An enhanced status code (RFC 3463) `class.subject.detail`, e.g. "5.1.1". */
export const ENHANCED_STATUS_RE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether a soft bounce with this status is about the person's mailbox and so counts towards the soft-bounce
 * limit: subjects 1 (addressing) and 2 (mailbox), or no status at all (a provider's "soft bounce" without code).
 * Network (4), protocol (5), content (6) and security or policy (7) refusals are about the sending system.
 * @example countsTowardSoftLimit('4.2.2') // true; countsTowardSoftLimit('4.7.1') // false
 */
export function countsTowardSoftLimit(status: string | null): boolean {
  if (status === null) return true;
  const m = ENHANCED_STATUS_RE.exec(status);
  if (!m) return false;
  return m[2] === '1' || m[2] === '2';
}

/**
 * A hard bounce that rests on a policy status (5.7.x: blocked sender, unauthenticated mail, a relay's own rule)
 * is not about the person: it is treated as a soft bounce that does not count (H4).
 */
export function isPolicyStatus(status: string | null): boolean {
  return status !== null && /^[45]\.7\.\d{1,3}$/.test(status);
}

/**
 * Whether `count` soft bounces (of distinct deliveries, within the window) reach the limit.
 * @example softLimitReached(3, DEFAULT_BOUNCE_SETTINGS) // true
 */
export function softLimitReached(count: number, s: BounceSettings): boolean {
  return count >= s.softBounceLimit;
}
