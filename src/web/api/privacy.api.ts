/**
 * Privacy over the JSON API, through the same services as the admin's Privacy pages and the CLI's `notice`,
 * `requests`, `processing-record` and `retention` commands: the privacy notice (state, versions, the texts saved
 * as a draft, publish), the register of data-subject requests (GDPR 12(3); add, extend, complete), the record of
 * processing (GDPR 30) and retention (a dry run that is not logged, and a real run). Requests are named by id in
 * paths; a contact's address goes in the body only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REQUEST_KINDS } from '../../core/requests.js';
import type { Deps } from '../../services/deps.js';
import { draftNoticeTexts, noticeStatus, noticeTextsSchema, noticeVersions, publishNotice } from '../../services/organisation/notice-admin.js';
import { outboxFolderOf } from '../../services/rights/manage.js';
import { buildProcessingRecord } from '../../services/rights/processing-record.js';
import { addRequest, completeRequest, extendRequest, findRequest, listRequestViews, REQUEST_CHANNELS } from '../../services/rights/requests.js';
import { runRetention } from '../../services/rights/retention.js';
import { responses } from './schemas.js';

const missingSchema = z.array(z.object({ item: z.string(), field: z.string(), en: z.string(), nl: z.string() }));

const noticeSchema = z
  .object({
    published: z.object({ version: z.number().int(), publishedAt: z.string() }).nullable(),
    draft: z.object({ version: z.number().int(), createdAt: z.string(), missing: missingSchema }).nullable(),
    publishedMissing: missingSchema,
    versions: z.array(
      z.object({
        version: z.number().int(),
        createdAt: z.string(),
        publishedAt: z.string().nullable(),
        state: z.enum(['current', 'superseded', 'draft', 'unpublished']),
      }),
    ),
  })
  .meta({ id: 'PrivacyNotice' });

const requestSchema = z
  .object({
    id: z.string(),
    kind: z.enum(REQUEST_KINDS),
    article: z.string(),
    channel: z.string(),
    contactId: z.string().nullable(),
    requester: z.string().nullable(),
    receivedAt: z.string(),
    dueAt: z.string(),
    extensionMonths: z.number().int(),
    extensionReasons: z.array(z.string()),
    completedAt: z.string().nullable(),
    outcome: z.string().nullable(),
    state: z.enum(['open', 'due_soon', 'overdue', 'done', 'extended']),
  })
  .meta({ id: 'DataSubjectRequest' });

const decisionSchema = z.object({ contactId: z.string(), action: z.string(), rule: z.string().optional(), reason_en: z.string(), reason_nl: z.string() });
const retentionSchema = z
  .object({
    runId: z.string(),
    ranAt: z.string(),
    dryRun: z.boolean(),
    rules: z.record(z.string(), z.number()),
    examined: z.number().int(),
    kept: z.number().int(),
    counts: z.record(z.string(), z.number()),
    erase: z.array(decisionSchema),
    held: z.array(decisionSchema).describe('erasures that wait for the contact’s open data-subject requests'),
  })
  .meta({ id: 'RetentionRun' });

const idParams = z.object({ id: z.string().min(1).describe('request id') });
const versionParams = z.object({ version: z.coerce.number().int().positive() });

export const privacyRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/notice', {
    schema: { summary: 'The privacy notice: the published version, the newest draft, what is missing (GDPR 13, 14), every version', tags: ['privacy'], response: responses({ 200: noticeSchema }) },
  }, async () => ({ ...(await noticeStatus(deps)), versions: await noticeVersions(deps) }));

  app.patch('/notice/texts', {
    schema: {
      summary: 'Change the texts only the notice states (DPO "none", rights, withdrawal, complaint, provision, automated decisions, other sources, legitimate interests) into a new draft; fields left out keep their value; nothing is published',
      tags: ['privacy'],
      body: noticeTextsSchema,
      response: responses({ 200: z.object({ version: z.number().int().nullable().describe('null when nothing changed'), missing: missingSchema }) }, 400, 409),
    },
  }, async (request) => draftNoticeTexts(deps, request.body));

  app.post('/notice/:version/publish', {
    schema: {
      summary: 'Publish a version; refused (409, code notice-incomplete) while any art. 13/14 item is missing',
      tags: ['privacy'],
      params: versionParams,
      response: responses({ 200: z.object({ version: z.number().int(), publishedAt: z.string() }) }, 404, 409),
    },
  }, async (request) => publishNotice(deps, request.params.version));

  app.get('/requests', {
    schema: {
      summary: 'The register of data-subject requests, most urgent first (overdue, due soon, extended, open, answered)',
      tags: ['privacy'],
      querystring: z.object({ all: z.enum(['true', 'false']).default('false').describe('include answered requests') }),
      response: responses({ 200: z.array(requestSchema) }),
    },
  }, async (request) => listRequestViews(deps, { openOnly: request.query.all !== 'true' }));

  app.post('/requests', {
    schema: {
      summary: 'Register a request; due one month after receipt (GDPR 12(3))',
      tags: ['privacy'],
      body: z.strictObject({
        kind: z.enum(REQUEST_KINDS),
        channel: z.enum(REQUEST_CHANNELS),
        receivedAt: z.iso.datetime({ offset: true }).optional().describe('when it reached you (default: now)'),
        contact: z.string().max(320).optional().describe('the contact it concerns: address or id'),
        requester: z.string().max(500).optional().describe('who asked, for your reference'),
      }),
      response: responses({ 201: requestSchema }, 400),
    },
  }, async (request, reply) => {
    const { receivedAt, ...rest } = request.body;
    return reply.code(201).send(await addRequest(deps, { ...rest, ...(receivedAt ? { receivedAt: new Date(receivedAt) } : {}) }));
  });

  app.get('/requests/:id', {
    schema: { summary: 'One request', tags: ['privacy'], params: idParams, response: responses({ 200: requestSchema }, 404) },
  }, async (request) => findRequest(deps, request.params.id));

  app.post('/requests/:id/extend', {
    schema: {
      summary: 'Extend the deadline by 1 or 2 months (two in total at most, within the first month, with the reason told to the person)',
      tags: ['privacy'],
      params: idParams,
      body: z.strictObject({ months: z.union([z.literal(1), z.literal(2)]), reason: z.string().min(1).max(1000) }),
      response: responses({ 200: requestSchema }, 400, 404),
    },
  }, async (request) => extendRequest(deps, request.params.id, request.body.months, request.body.reason));

  app.post('/requests/:id/complete', {
    schema: {
      summary: 'Mark a request answered',
      tags: ['privacy'],
      params: idParams,
      body: z.strictObject({ outcome: z.string().max(1000).optional() }),
      response: responses({ 200: requestSchema }, 400, 404),
    },
  }, async (request) => completeRequest(deps, request.params.id, request.body.outcome));

  app.get('/processing-record', {
    schema: {
      summary: 'The record of processing activities, one row per purpose (GDPR 30(1))',
      tags: ['privacy'],
      querystring: z.object({ lang: z.enum(['nl', 'en']).default('en') }),
      response: responses({ 200: z.array(z.record(z.string(), z.string())) }, 503),
    },
  }, async (request) => buildProcessingRecord(deps, request.query.lang));

  app.get('/retention/preview', {
    schema: { summary: 'What the next retention run would erase, and who is held for an open request (not logged)', tags: ['privacy'], response: responses({ 200: retentionSchema }) },
  }, async () => runRetention(deps, { dryRun: true, record: false }));

  app.post('/retention/run', {
    schema: { summary: 'Run retention now: erase what the rules say (logged)', tags: ['privacy'], response: responses({ 200: retentionSchema }) },
  }, async () => runRetention(deps, { dryRun: false, outboxDir: outboxFolderOf(deps.mailer) }));
};
