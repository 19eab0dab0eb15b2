/**
 * Webhook endpoints an operator registers (CLI `consentry webhook`, API `/api/v1/webhooks`): add (the signing
 * secret is returned once and never shown again), list, remove, and the messages sent to them with the last answer.
 *
 * Targets: https only (http only for localhost); a URL whose host is or resolves to a loopback, private or
 * link-local address is refused unless the operator allows private targets (CONSENTRY_WEBHOOKS_ALLOW_PRIVATE),
 * so a webhook cannot be pointed at services inside the network (SSRF). The check is repeated at every delivery,
 * on the address actually connected to (deliver.ts), because DNS can change after registration.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import { checkWebhookUrl, isPrivateAddress, WEBHOOK_EVENTS } from '../../core/webhooks.js';
import { deleteWebhookEndpoint, insertWebhookEndpoint, listWebhookEndpoints, listWebhookMessages, webhookEndpointById } from '../../store/webhooks.js';
import type { WebhookEndpointRow, WebhookMessageRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { invalid, issueCode, notFound } from '../errors.js';

/** Whether webhooks may target loopback and private addresses (CONSENTRY_WEBHOOKS_ALLOW_PRIVATE). */
export interface WebhookTargetPolicy {
  allowPrivate: boolean;
}

export const webhookInputSchema = z.strictObject({
  url: z.string().min(1, 'the URL is required').describe('https:// (http:// only for localhost)'),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'name at least one event').describe(`any of ${WEBHOOK_EVENTS.join(', ')}`),
  description: z.string().trim().max(200, 'the description is longer than 200 characters').optional(),
});
export type WebhookInput = z.input<typeof webhookInputSchema>;

/** An endpoint as shown after it was added: without its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
}

const view = (r: WebhookEndpointRow): WebhookEndpoint => ({ id: r.id, url: r.url, events: JSON.parse(r.events) as string[], description: r.description, createdAt: r.created_at });

/**
 * Checks that a URL may be a webhook target: its form (core checkWebhookUrl) and, for a host name, every address
 * it resolves to now.
 * @returns the normalised URL
 * @throws DomainError invalid on `url`
 */
export async function checkTarget(raw: string, policy: WebhookTargetPolicy): Promise<string> {
  const shape = checkWebhookUrl(raw, policy.allowPrivate);
  if (!shape.ok) throw invalid('url', `url: ${shape.error}`, 'bad-webhook-url');
  const host = shape.url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate && isIP(host) === 0) {
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookup(host, { all: true });
    } catch {
      throw invalid('url', `url: the host ${host} cannot be resolved`, 'bad-webhook-url');
    }
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) throw invalid('url', `url: ${host} resolves to ${inside.address}, a local or private address; set CONSENTRY_WEBHOOKS_ALLOW_PRIVATE=true to allow it`, 'bad-webhook-url');
  }
  return shape.url.toString();
}

/**
 * Registers an endpoint for some events.
 * @returns the endpoint and its signing secret `whsec_<base64 of 32 random bytes>`; the secret is stored to sign
 *   messages but never shown again
 * @throws DomainError invalid naming `url`, `events` or `description`
 * @example await addWebhookEndpoint(deps, { url: 'https://crm.example.nl/hooks/consentry', events: ['contact.unsubscribed'] }, { allowPrivate: false })
 */
export async function addWebhookEndpoint(
  deps: Data & Pick<Deps, 'clock'>,
  input: WebhookInput,
  policy: WebhookTargetPolicy,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const parsed = webhookInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.map((k, n) => (typeof k === 'number' ? `[${k}]` : `${n ? '.' : ''}${String(k)}`)).join('') || 'input';
    throw invalid(field, `${field}: ${i.message}`, issueCode(i));
  }
  const url = await checkTarget(parsed.data.url, policy);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const row: WebhookEndpointRow = {
    id: randomUUID(),
    url,
    events: JSON.stringify([...new Set(parsed.data.events)]),
    secret,
    description: parsed.data.description || null,
    created_at: deps.clock.now().toISOString(),
  };
  await insertWebhookEndpoint(deps.db, row);
  return { endpoint: view(row), secret };
}

/** Every endpoint, oldest first, without secrets. */
export async function listEndpoints(deps: Data): Promise<WebhookEndpoint[]> {
  return (await listWebhookEndpoints(deps.db)).map(view);
}

/** Removes an endpoint and its messages (queued ones are not sent). @throws DomainError not_found */
export async function removeWebhookEndpoint(deps: Data, id: string): Promise<void> {
  if (!(await deleteWebhookEndpoint(deps.db, id))) throw notFound(`there is no webhook "${id}"`, 'unknown-webhook');
}

/** A message to an endpoint with its state and the last attempt's answer. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  event: string;
  occurredAt: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastResponse: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

const deliveryView = (r: WebhookMessageRow): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  event: r.event_type,
  occurredAt: r.occurred_at,
  state: r.state as WebhookDelivery['state'],
  attempts: r.attempts,
  nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
  lastAttemptAt: r.last_attempt_at,
  lastStatus: r.last_status,
  lastResponse: r.last_response,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

/**
 * Messages sent or to be sent, newest first.
 * @param opts endpointId: only this endpoint's (not_found when unknown); limit: at most this many (1–1000, default 50)
 */
export async function webhookDeliveries(deps: Data, opts: { endpointId?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
  if (opts.endpointId && !(await webhookEndpointById(deps.db, opts.endpointId))) throw notFound(`there is no webhook "${opts.endpointId}"`, 'unknown-webhook');
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 1000);
  return (await listWebhookMessages(deps.db, { ...(opts.endpointId ? { endpointId: opts.endpointId } : {}), limit })).map(deliveryView);
}
