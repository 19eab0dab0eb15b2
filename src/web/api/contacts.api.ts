/**
 * Contact API: the evidence behind a contact's permissions (GDPR 7(1)).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/deps.js';
import { contactEvidence } from '../../services/rights/evidence.js';
import { contactListQuerySchema, listContactPage } from '../../services/lists/contact-list.js';
import { contactParams, contactSchema, responses } from './schemas.js';

const evidenceEvent = z.object({
  seq: z.number().int(),
  type: z.string(),
  purposeId: z.string().nullable(),
  basis: z.string().nullable(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  details: z.record(z.string(), z.unknown()),
  personal: z.record(z.string(), z.unknown()).nullable().describe('address, IP, user agent as recorded; null after erasure'),
  personalErased: z.boolean(),
  hash: z.string(),
});

const evidenceSchema = z
  .object({
    contact: contactSchema,
    permissions: z.array(z.looseObject({ id: z.string(), purpose_id: z.string(), basis: z.string(), status: z.string(), history: z.array(evidenceEvent) })),
    generalEvents: z.array(evidenceEvent),
    deliveries: z.array(z.looseObject({ id: z.string(), campaign_id: z.string(), state: z.string() })),
    purchases: z.array(z.object({ productCategory: z.string(), purchasedAt: z.string(), optOutOffered: z.string() })),
    chainIntact: z.boolean(),
  })
  .meta({ id: 'Evidence' });

const contactListSchema = z
  .object({
    items: z.array(z.object({
      id: z.string(), email: z.string(), name: z.string().nullable(), kind: z.string(), source: z.string(),
      sourceRef: z.string().nullable(), suppression: z.string().nullable(), createdAt: z.string(),
    })),
    order: z.enum(['email', 'newest', 'audit']),
    next: z.string().nullable().describe('pass as `after` for the next page; null on the last page'),
  })
  .meta({ id: 'ContactList' });

export const contactRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/contacts', {
    schema: {
      summary: 'Contacts, newest first or (with q) in address order; filters by purpose, status, basis, source, suppression; keyset pages',
      tags: ['contacts'],
      querystring: contactListQuerySchema,
      response: responses({ 200: contactListSchema }, 400),
    },
  }, async (request) => listContactPage(deps, request.query));

  app.get('/contacts/:id/evidence', {
    schema: {
      summary: "The evidence behind a contact's permissions: every permission with its ledger history, deliveries, purchases",
      tags: ['contacts'],
      params: contactParams,
      response: responses({ 200: evidenceSchema }, 404),
    },
  }, async (request) => contactEvidence(deps, request.params.id));
};
