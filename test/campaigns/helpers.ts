/**
 * Shared set-up for the campaign lifecycle tests: subscribers of the "tips" newsletter.
 */
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import type { Deps } from '../../src/services/deps.js';
import type { OutgoingMessage } from '../../src/mail/message.js';

/**
 * Subscribes `email` to "tips" through the form (the confirmation mail still goes to `deps.mailer`).
 * @returns the contact id and a function that presses the confirmation mail's link (double opt-in)
 */
export async function pendingSubscriber(deps: Deps, email: string, firstName: string | null = null): Promise<{ contactId: string; confirm(): Promise<void> }> {
  const sent: OutgoingMessage[] = [];
  const mailer = { send: (m: OutgoingMessage) => (sent.push(m), deps.mailer.send(m)), close: async () => {} };
  const sub = await subscribe({ ...deps, mailer }, { formId: 'tips', email, ...(firstName ? { firstName } : {}), purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(sent[0]!.text)![1]!;
  return { contactId: sub.contactId, confirm: async () => void (await confirm(deps, { token, ip: null, userAgent: null })) };
}

/** A confirmed subscriber of "tips". @returns the contact id */
export async function confirmedSubscriber(deps: Deps, email: string, firstName: string | null = null): Promise<string> {
  const s = await pendingSubscriber(deps, email, firstName);
  await s.confirm();
  return s.contactId;
}
