/**
 * Webhook endpoints and the webhook outbox (`webhook_messages`). Queries only; the rules are in
 * services/webhooks and core/webhooks.ts.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB, WebhookEndpointRow, WebhookEndpointsTable, WebhookMessageRow, WebhookMessagesTable } from './schema.js';

export async function insertWebhookEndpoint(db: Kysely<DB>, row: Insertable<WebhookEndpointsTable>): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function listWebhookEndpoints(db: Kysely<DB>): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function webhookEndpointById(db: Kysely<DB>, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes an endpoint and its messages. @returns whether it existed */
export async function deleteWebhookEndpoint(db: Kysely<DB>, id: string): Promise<boolean> {
  await db.deleteFrom('webhook_messages').where('endpoint_id', '=', id).execute();
  const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function insertWebhookMessages(db: Kysely<DB>, rows: Array<Insertable<WebhookMessagesTable>>): Promise<void> {
  if (rows.length > 0) await db.insertInto('webhook_messages').values(rows).execute();
}

/** Ids of pending messages due at `now` (ISO) and not leased, oldest first. */
export async function dueWebhookMessages(db: Kysely<DB>, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_messages')
    .select('id')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Leases a pending message until `until` unless another worker holds it.
 * @returns the message when this call got it
 */
export async function claimWebhookMessage(db: Kysely<DB>, id: string, now: string, until: string): Promise<WebhookMessageRow | undefined> {
  const r = await db
    .updateTable('webhook_messages')
    .set({ lease_until: until })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('webhook_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateWebhookMessage(db: Kysely<DB>, id: string, patch: Updateable<WebhookMessagesTable>): Promise<void> {
  await db.updateTable('webhook_messages').set(patch).where('id', '=', id).execute();
}

/** Messages newest first, optionally of one endpoint. */
export async function listWebhookMessages(db: Kysely<DB>, opts: { endpointId?: string; limit: number }): Promise<WebhookMessageRow[]> {
  let q = db.selectFrom('webhook_messages').selectAll();
  if (opts.endpointId) q = q.where('endpoint_id', '=', opts.endpointId);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}
