/**
 * Queues webhook messages for an event, in the caller's transaction (the outbox pattern): the event and its
 * messages are stored together or not at all, and sending never waits for a receiver (deliver.ts sends them).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { WebhookEvent } from '../../core/webhooks.js';
import type { DB } from '../../store/schema.js';
import { insertWebhookMessages, listWebhookEndpoints } from '../../store/webhooks.js';

/**
 * Queues one message per endpoint subscribed to `type`. `data` holds ids and facts only, never an address: for an
 * event about a contact, give `contactId`; the worker adds the address when it sends, while the contact exists (so
 * a message queued before an erasure goes out without it).
 * @param trx the transaction of the change the event reports (or the database)
 * @returns how many messages were queued (0 when no endpoint wants this event)
 * @example await queueWebhookEvent(trx, 'contact.confirmed', { contactId, purposes: ['tips'] }, now, { contactId })
 */
export async function queueWebhookEvent(
  trx: Kysely<DB>,
  type: WebhookEvent,
  data: Record<string, unknown>,
  now: Date,
  opts: { contactId?: string | null; occurredAt?: Date } = {},
): Promise<number> {
  const endpoints = (await listWebhookEndpoints(trx)).filter((e) => (JSON.parse(e.events) as string[]).includes(type));
  const at = now.toISOString();
  await insertWebhookMessages(
    trx,
    endpoints.map((e) => ({
      id: `msg_${randomUUID().replace(/-/g, '')}`,
      endpoint_id: e.id,
      event_type: type,
      contact_id: opts.contactId ?? null,
      data: JSON.stringify(data),
      occurred_at: (opts.occurredAt ?? now).toISOString(),
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
    })),
  );
  return endpoints.length;
}
