/**
 * Campaign lifecycle API: edit, duplicate and delete drafts, a test send to an admin's address, schedule and unschedule, send to those added since,
 * and the figures. Each route validates, calls one service and returns its result (docs/api.md).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendToAddedSince } from '../../services/campaigns/added-since.js';
import { campaignEditSchema, deleteCampaign, duplicateCampaign, editCampaign } from '../../services/campaigns/edit.js';
import { campaignFigures } from '../../services/campaigns/figures.js';
import { scheduleCampaign, unscheduleCampaign } from '../../services/campaigns/schedule.js';
import { sendTestMessage } from '../../services/campaigns/test-send.js';
import type { Deps } from '../../services/deps.js';
import { campaignParams, campaignSchema, problemSchema, responses } from './schemas.js';

const int = z.number().int();
const counts = z.record(z.string(), int);

const figuresSchema = z
  .object({
    campaignId: z.string(),
    name: z.string(),
    status: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    scheduledAt: z.string().nullable(),
    queued: int,
    sent: int.describe('handed to the mail server, including those that bounced later'),
    failed: int,
    blocked: int,
    blockedBy: counts.describe('blocked deliveries by their first reason code'),
    hardBounces: int,
    softBounces: int,
    complaints: int,
    unsubscribes: int.describe("unsubscribes through this campaign's links"),
    clicks: z.object({
      counting: z.boolean().describe('whether the purpose counts clicks (off by default)'),
      total: int,
      links: z.array(z.object({ position: int, url: z.string(), clicks: int })),
    }),
    sendsOverTime: z.object({
      unit: z.enum(['hour', 'day']),
      timeZone: z.string(),
      series: z.array(z.object({ at: z.string().describe('local hour "YYYY-MM-DD HH:00" or day "YYYY-MM-DD"'), sent: int })),
    }),
  })
  .meta({ id: 'CampaignFigures', description: 'figures without tracking people; there is no open pixel' });

const scheduleSchema = z.object({
  campaignId: z.string(),
  scheduledAt: z.string().describe('ISO 8601 UTC'),
  local: z.string().describe('"YYYY-MM-DD HH:MM +01:00" in the time zone'),
  timeZone: z.string(),
});

export const campaignLifecycleRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.patch('/campaigns/:id', {
    schema: {
      summary: 'Edit a draft campaign (checked as at create); refused once it is scheduled or went out',
      tags: ['campaigns'],
      params: campaignParams,
      body: campaignEditSchema,
      response: responses({ 200: campaignSchema.extend({ warnings: z.array(problemSchema) }) }, 400, 404, 409),
    },
  }, async (request) => editCampaign(deps, request.params.id, request.body));

  app.delete('/campaigns/:id', {
    schema: { summary: 'Delete a draft campaign', tags: ['campaigns'], params: campaignParams, response: responses({ 200: z.object({ deleted: z.string() }) }, 404, 409) },
  }, async (request) => {
    await deleteCampaign(deps, request.params.id);
    return { deleted: request.params.id };
  });

  app.post('/campaigns/:id/duplicate', {
    schema: {
      summary: 'Copy a campaign (of any status) into a new draft',
      tags: ['campaigns'],
      params: campaignParams,
      body: z.object({ name: z.string().optional() }).optional(),
      response: responses({ 201: campaignSchema }, 400, 404),
    },
  }, async (request, reply) => reply.code(201).send(await duplicateCampaign(deps, request.params.id, request.body?.name)));

  app.post('/campaigns/:id/test', {
    schema: {
      summary: "Send the campaign as a contact would get it to an admin user's address only: subject \"[TEST] …\", a placeholder unsubscribe link, no delivery, never counted",
      tags: ['campaigns'],
      params: campaignParams,
      body: z.object({
        to: z.string().describe('the address of an admin user'),
        contact: z.string().optional().describe('id or address of the contact whose name and address fill the variables'),
      }),
      response: responses({ 200: z.object({ to: z.string(), subject: z.string(), response: z.string() }) }, 400, 404, 503),
    },
  }, async (request) => sendTestMessage(deps, { campaignId: request.params.id, to: request.body.to, ...(request.body.contact ? { contact: request.body.contact } : {}) }));

  app.put('/campaigns/:id/schedule', {
    schema: {
      summary: "Schedule a draft campaign at a local time in the organisation's time zone",
      tags: ['campaigns'],
      params: campaignParams,
      body: z.object({ at: z.string().describe('"YYYY-MM-DD HH:MM", with an offset such as "+01:00" to pick one side of an autumn fold') }),
      response: responses({ 200: scheduleSchema }, 400, 404, 409),
    },
  }, async (request) => scheduleCampaign(deps, request.params.id, request.body.at));

  app.delete('/campaigns/:id/schedule', {
    schema: {
      summary: 'Cancel a schedule: the campaign is a draft again',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 200: z.object({ campaignId: z.string(), status: z.literal('draft') }) }, 404, 409),
    },
  }, async (request) => {
    await unscheduleCampaign(deps, request.params.id);
    return { campaignId: request.params.id, status: 'draft' as const };
  });

  app.post('/campaigns/:id/send-new', {
    schema: {
      summary: 'Send a campaign that went out to the people who became eligible since, each once',
      tags: ['campaigns'],
      params: campaignParams,
      response: responses({ 202: z.object({ added: int, requeued: int }) }, 400, 404, 409),
    },
  }, async (request, reply) => reply.code(202).send(await sendToAddedSince(deps, request.params.id)));

  app.get('/campaigns/:id/stats', {
    schema: {
      summary: 'Figures without tracking people: sent, blocked by reason, bounces, complaints, unsubscribes, clicks, sends over time',
      tags: ['campaigns'],
      params: campaignParams,
      querystring: z.object({ by: z.enum(['hour', 'day']).optional() }),
      response: responses({ 200: figuresSchema }, 400, 404),
    },
  }, async (request) => campaignFigures(deps, request.params.id, request.query.by));
};
