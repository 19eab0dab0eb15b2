/**
 * Campaign API: create, list, preview (audience grouped by reason code), send (queued for the worker).
 */
import type { FastifyPluginAsync } from 'fastify';
import { createCampaign, previewCampaign, startCampaign, type CampaignInput } from '../../services/campaigns/campaigns.js';
import type { Deps } from '../../services/deps.js';
import { listCampaigns } from '../../store/campaigns.js';
import { deliveryCounts } from '../../store/deliveries.js';

export const campaignRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.post('/campaigns', async (request, reply) => {
    const c = await createCampaign(deps, (request.body ?? {}) as CampaignInput);
    return reply.code(201).send(c);
  });
  app.get('/campaigns', async () => {
    const out = [];
    for (const c of await listCampaigns(deps.db)) out.push({ ...c, deliveries: await deliveryCounts(deps.db, c.id) });
    return out;
  });
  app.get<{ Params: { id: string } }>('/campaigns/:id/preview', async (request) => previewCampaign(deps, request.params.id));
  app.post<{ Params: { id: string } }>('/campaigns/:id/send', async (request, reply) => {
    const started = await startCampaign(deps, request.params.id);
    return reply.code(202).send({ ...started, note: 'queued; the server sends them, deciding each again at send time' });
  });
};
