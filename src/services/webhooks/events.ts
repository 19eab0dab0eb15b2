/**
 * The webhook messages of the delivery events recorded by services/events: `delivery.bounced` (hard or soft) and
 * `delivery.complained`, queued in the transaction that records the event.
 */
import type { Kysely } from 'kysely';
import type { DeliveryEventKind } from '../../core/vocab.js';
import type { DB, DeliveryRow } from '../../store/schema.js';
import { queueWebhookEvent } from './emit.js';

export interface DeliveryEventForWebhook {
  delivery: Pick<DeliveryRow, 'id' | 'campaign_id' | 'contact_id'>;
  kind: DeliveryEventKind;
  source: string;
  /** Enhanced status code, e.g. 5.1.1, or null. */
  status: string | null;
  occurredAt: Date;
  /** The suppression the event caused, if any. */
  suppressed: string | null;
  /** Purposes a complaint objected to. */
  objected: string[];
}

/**
 * Queues `delivery.complained` for a complaint, else `delivery.bounced` with `bounce: hard | soft`.
 * @param now the recording time
 */
export async function queueDeliveryEventWebhook(trx: Kysely<DB>, e: DeliveryEventForWebhook, now: Date): Promise<void> {
  const base = { deliveryId: e.delivery.id, campaignId: e.delivery.campaign_id, contactId: e.delivery.contact_id, source: e.source, suppressed: e.suppressed };
  const opts = { contactId: e.delivery.contact_id, occurredAt: e.occurredAt };
  if (e.kind === 'complaint') await queueWebhookEvent(trx, 'delivery.complained', { ...base, objected: e.objected }, now, opts);
  else await queueWebhookEvent(trx, 'delivery.bounced', { ...base, bounce: e.kind === 'hard_bounce' ? 'hard' : 'soft', status: e.status }, now, opts);
}
