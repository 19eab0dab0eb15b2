/**
 * Handlers of the Webhooks pages (owners; access in routes.ts). Each validates, calls one service
 * (services/webhooks/endpoints.ts, as `consentry webhook …` and /api/v1/webhooks do) and redirects, or shows the
 * form again with the service's reason next to its field. A new endpoint's signing secret is shown in the answer
 * to the POST only.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WebhookEvent } from '../../../core/webhooks.js';
import { DomainError } from '../../../services/errors.js';
import { addWebhookEndpoint, listEndpoints, removeWebhookEndpoint, webhookDeliveries } from '../../../services/webhooks/endpoints.js';
import { checkedIn, freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { confirmedAction, formAction, type AdminHandler } from '../handler.js';
import { newWebhookPage, webhookPage, webhooksPage } from './webhooks.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

async function list(a: AdminCtx, state: FormState = freshForm()): Promise<string> {
  const endpoints = await listEndpoints(a.deps);
  const rows = await Promise.all(endpoints.map(async (endpoint) => ({ endpoint, last: (await webhookDeliveries(a.deps, { endpointId: endpoint.id, limit: 1 }))[0] ?? null })));
  return webhooksPage(a, rows, state);
}

/** GET /admin/webhooks */
export const webhooksList: AdminHandler = async (a) => list(a);

/** POST /admin/webhooks: registers an endpoint and shows its secret once (201). */
export const webhookAdd = formAction({
  schema: z.preprocess(
    (v) => ({ ...(v as Record<string, string>), events: checkedIn(v as Record<string, string>, 'events') }),
    z.object({ url: z.string().trim().min(1), events: z.array(z.string()), description: z.string().trim().default('') }),
  ),
  run: async (a, i) => {
    try {
      const input = { url: i.url, events: i.events as WebhookEvent[], ...(i.description ? { description: i.description } : {}) };
      return await addWebhookEndpoint(a.deps, input, a.webhooksOut);
    } catch (err) {
      // `events[1]` (an unknown event) is about the group of boxes.
      if (err instanceof DomainError && err.field?.startsWith('events[')) throw new DomainError(err.kind, err.message, 'events', err.code);
      throw err;
    }
  },
  done: (a, r) => ({ page: newWebhookPage(a, r.endpoint, r.secret), status: 201 }),
  form: (a, state) => list(a, state),
});

/** GET /admin/webhooks/:id: the endpoint and its recent messages. */
export const webhookShow: AdminHandler = async (a, req) => {
  const endpoint = (await listEndpoints(a.deps)).find((e) => e.id === idOf(req));
  if (!endpoint) throw new DomainError('not_found', `there is no webhook "${idOf(req)}"`, undefined, 'unknown-webhook');
  return webhookPage(a, endpoint, await webhookDeliveries(a.deps, { endpointId: endpoint.id, limit: 50 }));
};

/** GET /admin/webhooks/:id/remove asks, POST does it. */
export const webhookRemove: AdminHandler = async (a, req, reply) => {
  const endpoint = (await listEndpoints(a.deps)).find((e) => e.id === idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('webhooks.removeTitle'),
    question: (c) => c.t('webhooks.removeQuestion', { url: endpoint?.url ?? idOf(req) }),
    cancel: '/admin/webhooks',
    run: (c) => removeWebhookEndpoint(c.deps, idOf(req)),
    done: () => ({ to: '/admin/webhooks', flash: 'webhooks.removed' }),
    form: (c, state) => list(c, state),
  })(a, req, reply);
};
