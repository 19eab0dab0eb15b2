/**
 * Campaign API: create, list, preview (audience grouped by reason code), send (queued for the worker), show
 * (progress, rate, ETA, state, last relay error), pause, resume, cancel.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignInputSchema, createCampaign, previewCampaign, startCampaign } from '../../services/campaigns/campaigns.js';
import type { Deps } from '../../services/deps.js';
import { audienceContacts } from '../../services/campaigns/audience.js';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign } from '../../services/campaigns/control.js';
import { listCampaignsWithCounts } from '../../services/campaigns/list.js';
import { campaignParams, campaignSchema, problemSchema, responses } from './schemas.js';

const counts = z.record(z.string(), z.number().int());

const progressSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string().describe('draft | sending | paused | cancelled | sent'),
  deliveries: counts.describe('deliveries by state, erased ones included'),
  total: z.number().int(),
  done: z.number().int(),
  progress: z.number().describe('done / total, 0 to 1'),
  ratePerSecond: z.number().describe('messages sent per second over the last minute'),
  etaSeconds: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pausedReason: z.string().nullable().describe('"operator", or "relay failure: <the relay\'s reply>"'),
  pausedAt: z.string().nullable(),
  lastRelayError: z.string().nullable(),
  lastRelayErrorAt: z.string().nullable(),
});

export const campaignRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.post('/campaigns', {
    schema: {
      summary: 'Create a draft campaign',
      tags: ['campaigns'],
      body: campaignInputSchema,
      response: responses({ 201: campaignSchema.extend({ warnings: z.array(problemSchema) }) }, 400),
    },
  }, async (request, reply) => reply.code(201).send(await createCampaign(deps, request.body)));

  app.get('/campaigns', {
    schema: {
      summary: 'List campaigns with delivery counts by state',
      tags: ['campaigns'],
      response: responses({ 200: z.array(campaignSchema.extend({ deliveries: counts })) }),
    },
  }, async () => listCampaignsWithCounts(deps));

  app.get('/campaigns/:id/preview', {
    schema: {
      summary: 'Who may be mailed and who is blocked, grouped by reason code',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({
        200: z.object({
          campaignId: z.string(), total: z.number().int(), allowed: z.number().int(), blocked: z.number().int(), allowedBy: counts, blockedBy: counts,
          missingVariables: z.array(z.object({
            variable: z.string(),
            count: z.number().int(),
            examples: z.array(z.object({ contactId: z.string(), email: z.string().describe('masked: j***@example.nl') })),
          })).describe('allowed recipients lacking a variable the campaign uses without a default'),
        }),
      }, 404),
    },
  }, async (request) => previewCampaign(deps, request.params.id));

  app.get('/campaigns/:id/audience', {
    schema: {
      summary: "The contacts in each group of the preview (per first reason code), a page at a time; the groups' sizes are the preview's counts",
      tags: ['campaigns'],
      params: campaignParams,
      querystring: z.object({
        reason: z.string().optional().describe('only this reason code\'s group'),
        after: z.string().optional().describe('the `next` of the page before'),
        limit: z.coerce.number().int().min(1).max(500).default(20).describe('contacts per group'),
      }),
      response: responses({
        200: z.object({
          groups: z.array(z.object({
            code: z.string(),
            allowed: z.boolean(),
            contacts: z.array(z.object({ id: z.string(), email: z.string(), name: z.string().nullable() })),
            next: z.string().nullable().describe('pass as `after` (with `reason`) for the next page; null when this was the last'),
          })),
        }),
      }, 400, 404),
    },
  }, async (request) => ({ groups: await audienceContacts(deps, request.params.id, request.query) }));

  app.post('/campaigns/:id/send', {
    schema: {
      summary: 'Queue the campaign for sending; the server decides each message again at send time',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 202: z.object({ queued: z.number().int(), blocked: z.number().int(), note: z.string() }) }, 400, 404, 409),
    },
  }, async (request, reply) => {
    const started = await startCampaign(deps, request.params.id);
    return reply.code(202).send({ ...started, note: 'queued; the server sends them, deciding each again at send time' });
  });
  app.get('/campaigns/:id', {
    schema: {
      summary: 'Progress, rate, ETA, state and the last relay error of a campaign',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 200: progressSchema }, 404),
    },
  }, async (request) => campaignProgress(deps, request.params.id));

  app.post('/campaigns/:id/pause', {
    schema: {
      summary: 'Pause a sending campaign; queued messages wait',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 200: campaignSchema }, 404, 409),
    },
  }, async (request) => pauseCampaign(deps, request.params.id));

  app.post('/campaigns/:id/resume', {
    schema: {
      summary: 'Resume a paused campaign (also after a relay failure has been fixed)',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 200: campaignSchema }, 404, 409),
    },
  }, async (request) => resumeCampaign(deps, request.params.id));

  app.post('/campaigns/:id/cancel', {
    schema: {
      summary: 'Cancel a sending or paused campaign: its queued messages are never sent',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 200: z.object({ campaign: campaignSchema, cancelled: z.number().int() }) }, 404, 409),
    },
  }, async (request) => cancelCampaign(deps, request.params.id));
};
