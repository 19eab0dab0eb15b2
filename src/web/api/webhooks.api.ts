/**
 * Webhooks API: register a URL for events (the signing secret is in this answer only), list, remove, and the
 * messages sent with their last answer. Who may do this: the owner, once API keys carry roles.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../../core/webhooks.js';
import type { Deps } from '../../services/deps.js';
import {
  addWebhookEndpoint,
  listEndpoints,
  removeWebhookEndpoint,
  webhookDeliveries,
  webhookInputSchema,
  type WebhookTargetPolicy,
} from '../../services/webhooks/endpoints.js';
import { responses } from './schemas.js';

const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });

const deliverySchema = z
  .object({
    id: z.string().describe('the webhook-id header, the same on every attempt'),
    endpointId: z.string(),
    event: z.enum(WEBHOOK_EVENTS),
    occurredAt: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastStatus: z.number().int().nullable().describe('HTTP status of the last answer; null when there was none'),
    lastResponse: z.string().nullable().describe('the first 500 characters of the last answer'),
    lastError: z.string().nullable().describe('why the last attempt got no answer'),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const idParams = z.object({ id: z.string().min(1).describe('webhook endpoint id') });

export const webhookRoutes: FastifyPluginAsyncZod<{ deps: Deps; webhooks: WebhookTargetPolicy }> = async (app, { deps, webhooks }) => {
  const tags = ['webhooks'];
  app.post('/webhooks', {
    schema: {
      summary: 'Register a URL for events; the answer holds the signing secret, shown only this once',
      tags,
      body: webhookInputSchema,
      response: responses({ 201: endpointSchema.extend({ secret: z.string().describe('whsec_…: verify webhook-signature with it') }) }, 400),
    },
  }, async (request, reply) => {
    const r = await addWebhookEndpoint(deps, request.body, webhooks);
    return reply.code(201).send({ ...r.endpoint, secret: r.secret });
  });
  app.get('/webhooks', { schema: { summary: 'Registered webhook endpoints (without secrets)', tags, response: responses({ 200: z.array(endpointSchema) }) } }, async () => listEndpoints(deps));
  app.delete('/webhooks/:id', {
    schema: { summary: 'Remove an endpoint and its queued messages', tags, params: idParams, response: responses({ 204: z.null() }, 404) },
  }, async (request, reply) => {
    await removeWebhookEndpoint(deps, request.params.id);
    return reply.code(204).send(null);
  });
  app.get('/webhooks/:id/deliveries', {
    schema: {
      summary: 'Messages to this endpoint, newest first, with state, attempts and the last answer',
      tags,
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }),
      response: responses({ 200: z.array(deliverySchema) }, 400, 404),
    },
  }, async (request) => webhookDeliveries(deps, { endpointId: request.params.id, limit: request.query.limit }));
};
