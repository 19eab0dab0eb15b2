/**
 * A sign-up through the public form, guarded against bots and list bombing (issue 13 item 2), before
 * `subscribe` records it:
 * 1. the honeypot field (hidden from people, labelled for screen readers to leave empty) must be empty;
 * 2. the input is checked (errors name their field, as before);
 * 3. the proof-of-work challenge: a forged one (bad signature or solution, another form's) or one used before
 *    is a bot; an empty one (JavaScript off) or an expired one (a page left open) takes the no-JavaScript path,
 *    limited per client IP and per target address;
 * 4. the site-wide cap per hour;
 * 5. `subscribe`, which mails an address at most once per 24 hours.
 * A bot gets the same page as a person who signed up, and nothing is stored or sent; the page never says which
 * check failed. Limits on the no-JavaScript path and the site-wide cap do show a page, because a person needs to
 * know to try again later.
 */
import type { Deps } from '../deps.js';
import { checkSolution } from './challenge.js';
import { withinNoJsLimits, withinSiteCap, type SignupLimits } from './signup-limits.js';
import { checkSubscription, subscribe, type SubscribeInput, type SubscribeResult } from './subscribe.js';

export interface SignUpInput extends SubscribeInput {
  /** The honeypot field's value: empty from a person. */
  honeypot: string;
  /** The challenge field: the solver's base64 payload, or empty without JavaScript. */
  challenge: string;
}

/**
 * - `accepted`: recorded (and mailed, unless the address had its mail in the last 24 hours);
 * - `ignored`: taken for a bot; nothing stored or sent, but shown as `accepted` is;
 * - `limited`: the no-JavaScript path's limit for this IP or address is reached;
 * - `busy`: the site-wide cap for this hour is reached.
 */
export type SignUpOutcome = { kind: 'accepted'; result: SubscribeResult } | { kind: 'ignored' | 'limited' | 'busy' };

/**
 * Signs a person up through a form, after the checks against bots and the limits.
 * @throws DomainError as `subscribe` (invalid with a field for bad input); nothing is stored then
 */
export async function signUp(deps: Deps, input: SignUpInput, limits: SignupLimits): Promise<SignUpOutcome> {
  if (input.honeypot.trim() !== '') return { kind: 'ignored' };
  const { address } = await checkSubscription(deps, input);
  const challenge = await checkSolution(deps, input.formId, input.challenge);
  if (challenge.outcome === 'forged') return { kind: 'ignored' };
  if (challenge.outcome === 'solved') {
    if (!(await challenge.spend())) return { kind: 'ignored' }; // replayed
  } else if (!(await withinNoJsLimits(deps, limits, input.ip, address.address))) {
    return { kind: 'limited' };
  }
  if (!(await withinSiteCap(deps, limits))) return { kind: 'busy' };
  return { kind: 'accepted', result: await subscribe(deps, input) };
}
