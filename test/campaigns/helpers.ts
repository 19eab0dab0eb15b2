/**
 * Shared set-up for the campaign lifecycle tests: confirmed subscribers of the "tips" newsletter.
 */
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import type { Deps } from '../../src/services/deps.js';
import type { OutgoingMessage } from '../../src/mail/message.js';

/**
 * Subscribes `email` to "tips" through the form and confirms it with the link of the confirmation mail
 * (double opt-in; the mail still goes to `deps.mailer`).
 * @returns the contact id
 */
export async function confirmedSubscriber(deps: Deps, email: string, firstName: string | null = null): Promise<string> {
  const sent: OutgoingMessage[] = [];
  const mailer = { send: (m: OutgoingMessage) => (sent.push(m), deps.mailer.send(m)), close: async () => {} };
  const sub = await subscribe({ ...deps, mailer }, { formId: 'tips', email, ...(firstName ? { firstName } : {}), purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(sent[0]!.text)![1]!;
  await confirm(deps, { token, ip: null, userAgent: null });
  return sub.contactId;
}
