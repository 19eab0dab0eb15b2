/**
 * Facts API under /api/v1: contacts with kind and source, purchases, employees, designated addresses, grants to a
 * purpose (A8: refused without a consent event), personal one-to-one messages, the decision settings, the facts
 * the gate sees for a contact, and the expiry of re-permission non-responders. Each handler calls one use case;
 * bodies are validated by the services' own input schemas, and errors become 4xx JSON naming the field.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toDecisionOutput } from '../../core/policy/facts-schema.js';
import { MESSAGE_CATEGORIES } from '../../core/vocab.js';
import { expireNonResponders } from '../../services/campaigns/repermission.js';
import { sendPersonalMessage } from '../../services/campaigns/personal.js';
import { storedFacts } from '../../services/consent/facts.js';
import { grantInputSchema, grantPermission } from '../../services/consent/grant.js';
import {
  addContact,
  addPurchase,
  contactFactsInputSchema,
  contactInputSchema,
  decisionSettingsSchema,
  designateForOffers,
  designationSchema,
  findContact,
  purchaseInputSchema,
  setDecisionSettings,
  setEmployee,
  updateContactFacts,
} from '../../services/consent/relationships.js';
import type { Deps } from '../../services/deps.js';
import { getDecisionSettings } from '../../store/settings.js';
import { contactParams, contactSchema, campaignParams, decisionOutput, factsOutput, responses } from './schemas.js';

const employeeSchema = z.strictObject({
  employee: z.boolean().optional().describe('default true; false ends the employment'),
  workAddress: z.boolean().optional().describe('true: this is their work address (D1); false: a private address (D2); left out: private at a free-mail domain (gmail.com …), else work'),
});

const personalMessageSchema = z.strictObject({
  to: z.string().min(1, 'name the contact (id or address)').describe('contact id or address of the one recipient'),
  purposeId: z.string().min(1, 'the purpose is required'),
  subject: z.string().describe('one line'),
  body: z.string().describe('plain text written by the sender for this person'),
  author: z.string().describe('the person who wrote it (name or role)'),
});

const settingsSchema = z.object({ customerExceptionMonths: z.number().int() }).meta({ id: 'DecisionSettings' });

const factsQuery = z.object({
  purpose: z.string({ error: 'give the purpose of the message (?purpose=…)' }).min(1, 'give the purpose of the message (?purpose=…)'),
  category: z.enum(MESSAGE_CATEGORIES, { error: (i) => `unknown message category "${String(i.input)}"` }).default('purpose_marketing'),
  productCategory: z.string().min(1).optional(),
});

export const factsRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['facts'];
  app.post('/contacts', {
    schema: { summary: 'Add a contact with its provenance (no permission)', tags, body: contactInputSchema, response: responses({ 200: contactSchema, 201: contactSchema }, 400) },
  }, async (request, reply) => {
    const r = await addContact(deps, request.body);
    return reply.code(r.created ? 201 : 200).send(r.contact);
  });
  app.patch('/contacts/:id/facts', {
    schema: { summary: "Change a contact's kind or lead flag", tags, params: contactParams, body: contactFactsInputSchema, response: responses({ 200: contactSchema }, 400, 404) },
  }, async (request) => updateContactFacts(deps, request.params.id, request.body));
  app.post('/contacts/:id/purchases', {
    schema: { summary: 'Record a purchase (customer exception)', tags, params: contactParams, body: purchaseInputSchema, response: responses({ 201: z.object({ id: z.string() }) }, 400, 404) },
  }, async (request, reply) => reply.code(201).send({ id: await addPurchase(deps, request.params.id, request.body) }));
  app.put('/contacts/:id/employee', {
    schema: { summary: 'Mark a contact as an employee', tags, params: contactParams, body: employeeSchema, response: responses({ 200: contactSchema }, 400, 404) },
  }, async (request) => (await setEmployee(deps, request.params.id, request.body)).contact);
  app.put('/contacts/:id/designation', {
    schema: { summary: 'Record an address an organisation designated for offers', tags, params: contactParams, body: designationSchema, response: responses({ 200: contactSchema }, 400, 404) },
  }, async (request) => designateForOffers(deps, request.params.id, request.body));
  app.get('/contacts/:id/facts', {
    schema: { summary: 'The facts the send gate sees for this contact and a message', tags, params: contactParams, querystring: factsQuery, response: responses({ 200: z.object({ facts: factsOutput }) }, 400, 404) },
  }, async (request) => {
    const q = request.query;
    const c = await findContact(deps, request.params.id);
    const message = { category: q.category, purposeId: q.purpose, ...(q.productCategory ? { productCategory: q.productCategory } : {}) };
    return { facts: await storedFacts(deps.db, deps.secret, c.id, message, await getDecisionSettings(deps.db)) };
  });
  app.post('/purposes/:purpose/grants', {
    schema: {
      summary: 'Add contacts to a purpose (refused without a consent event or third-party evidence)',
      tags,
      params: z.object({ purpose: z.string().min(1) }),
      body: grantInputSchema.omit({ purposeId: true }).extend({ via: grantInputSchema.shape.via.default('api') }),
      response: responses({ 200: z.object({ granted: z.number().int(), unchanged: z.number().int(), keptUnsubscribed: z.number().int() }) }, 400, 404),
    },
  }, async (request) => grantPermission(deps, { ...request.body, purposeId: request.params.purpose }));
  app.post('/messages/personal', {
    schema: {
      summary: 'A one-to-one message written by a person (legitimate interest); blocked messages are not sent',
      tags,
      body: personalMessageSchema,
      response: responses({ 200: z.object({ sent: z.boolean(), messageId: z.string().nullable(), decision: decisionOutput }), 201: z.object({ sent: z.boolean(), messageId: z.string().nullable(), decision: decisionOutput }) }, 400, 404, 503),
    },
  }, async (request, reply) => {
    const r = await sendPersonalMessage(deps, request.body);
    return reply.code(r.sent ? 201 : 200).send({ sent: r.sent, messageId: r.messageId, decision: toDecisionOutput(r.decision) });
  });
  app.get('/settings/decisions', { schema: { summary: 'Settings that change decisions', tags, response: responses({ 200: settingsSchema }) } }, async () => getDecisionSettings(deps.db));
  app.patch('/settings/decisions', {
    schema: { summary: 'Change settings that change decisions', tags, body: decisionSettingsSchema, response: responses({ 200: settingsSchema }, 400) },
  }, async (request) => setDecisionSettings(deps, request.body));
  app.post('/campaigns/:id/expire', {
    schema: { summary: "End re-permission non-responders' eligibility after the deadline", tags, params: campaignParams, response: responses({ 200: z.object({ expired: z.number().int(), renewed: z.number().int() }) }, 400, 404, 409) },
  }, async (request) => expireNonResponders(deps, request.params.id));
};
