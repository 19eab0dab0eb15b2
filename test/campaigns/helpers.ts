/**
 * Shared set-up for the campaign lifecycle tests: confirmed subscribers of the "tips" newsletter.
 */
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { confirmUrl } from '../../src/services/consent/links.js';
import type { Deps } from '../../src/services/deps.js';

/** Subscribes `email` to "tips" through the form and confirms it (double opt-in). @returns the contact id */
export async function confirmedSubscriber(deps: Deps, email: string, firstName: string | null = null): Promise<string> {
  const sub = await subscribe(deps, { formId: 'tips', email, ...(firstName ? { firstName } : {}), purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const token = confirmUrl(deps, sub.contactId, ['tips']).split('/confirm/')[1]!;
  await confirm(deps, { token, ip: null, userAgent: null });
  return sub.contactId;
}
