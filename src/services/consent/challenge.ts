/**
 * The sign-up form's proof-of-work challenge (ALTCHA v2 through altcha-lib, self-hosted: no third party, no
 * cookie). The form page carries a signed challenge; our own script (web/assets/signup-solver.js) finds the
 * counter whose SHA-256 key matches the challenge's prefix and puts the solution in the form. The server checks
 * the signature (HMAC with a key derived from the server secret), the solution, the form it was made for and its
 * expiry by our clock, and spends it in the database, because altcha-lib does not remember used challenges.
 */
import { createHash, createHmac, randomInt } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { spendChallenge } from '../../store/signup-guard.js';
import type { Deps } from '../deps.js';

/** A challenge is valid this long after the form page was shown (ms): 30 minutes. */
export const CHALLENGE_TTL_MS = 30 * 60_000;

/** The secret counter lies in this range: about 27,000 SHA-256 hashes for the browser on average (≈ 0.2–1 s). */
const COUNTER_MIN = 5_000;
const COUNTER_MAX = 50_000;

/** Longest accepted solution payload (characters); a real one is about 700. */
const MAX_PAYLOAD = 4_000;

const secrets = (secret: string) => ({
  hmacSignatureSecret: createHmac('sha256', secret).update('consentry-altcha:challenge').digest('hex'),
  hmacKeySignatureSecret: createHmac('sha256', secret).update('consentry-altcha:key').digest('hex'),
});

/**
 * A new signed challenge for one form, as the JSON the page embeds.
 * @example <form data-challenge="${await newChallenge(deps, 'koffie')}">
 */
export async function newChallenge(deps: Pick<Deps, 'secret' | 'clock'>, formId: string): Promise<string> {
  const challenge = await createChallenge({
    algorithm: 'SHA-256',
    cost: 1,
    counter: randomInt(COUNTER_MIN, COUNTER_MAX),
    deriveKey,
    // Expiry is checked against our clock (altcha-lib's own expiresAt uses the wall clock).
    data: { form: formId, exp: deps.clock.now().getTime() + CHALLENGE_TTL_MS },
    ...secrets(deps.secret),
  });
  return JSON.stringify(challenge);
}

/**
 * What a submitted challenge field amounts to:
 * - `none`: empty (JavaScript off, or the script did not run);
 * - `expired`: a genuine solution to a challenge that expired (a page left open long);
 * - `forged`: unreadable, a bad signature or solution, or a challenge for another form;
 * - `replayed`: a genuine solution that was used before;
 * - `solved`: a genuine, fresh solution, now spent.
 */
export type ChallengeOutcome = 'none' | 'expired' | 'forged' | 'replayed' | 'solved';

/**
 * Checks a submitted solution (base64 of `{ challenge, solution: { counter, derivedKey } }`) without spending it.
 * @returns the outcome (`solved` for a genuine, fresh one; never `replayed`) and `spend`, which marks a solved
 *   challenge as used and returns false when it had been used before (a replay)
 */
export async function checkSolution(deps: Pick<Deps, 'db' | 'secret' | 'clock'>, formId: string, field: string): Promise<{ outcome: ChallengeOutcome; spend: () => Promise<boolean> }> {
  const none = async () => false;
  if (field.trim() === '') return { outcome: 'none', spend: none };
  if (field.length > MAX_PAYLOAD) return { outcome: 'forged', spend: none };
  let payload: { challenge?: Challenge; solution?: { counter: number; derivedKey: string } };
  try {
    payload = JSON.parse(Buffer.from(field, 'base64').toString('utf8'));
  } catch {
    return { outcome: 'forged', spend: none };
  }
  const { challenge, solution } = payload ?? {};
  if (!challenge?.parameters || typeof challenge.signature !== 'string' || !solution) return { outcome: 'forged', spend: none };
  let verified = false;
  try {
    verified = (await verifySolution({ challenge, solution, deriveKey, ...secrets(deps.secret) })).verified;
  } catch {
    verified = false;
  }
  const data = challenge.parameters.data ?? {};
  if (!verified || data.form !== formId || typeof data.exp !== 'number') return { outcome: 'forged', spend: none };
  const now = deps.clock.now();
  if (data.exp <= now.getTime()) return { outcome: 'expired', spend: none };
  const digest = createHash('sha256').update(challenge.signature).digest('hex');
  const spend = () => spendChallenge(deps.db, digest, new Date(data.exp as number), deps.clock.now());
  return { outcome: 'solved', spend };
}
