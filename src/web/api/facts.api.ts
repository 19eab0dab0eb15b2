/**
 * Facts API under /api/v1: contacts with kind and source, purchases, employees, designated addresses, grants to a
 * purpose (A8: refused without a consent event), personal one-to-one messages, the decision settings, the facts
 * the gate sees for a contact, and the expiry of re-permission non-responders. Each handler calls one use case;
 * domain errors become 4xx JSON naming the field (api/index.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { isMessageCategory } from '../../core/vocab.js';
import type { Deps } from '../../services/deps.js';
import { invalid } from '../../services/errors.js';
import { storedFacts } from '../../services/consent/facts.js';
import { grantPermission, type GrantInput } from '../../services/consent/grant.js';
import { sendPersonalMessage, type PersonalMessageInput } from '../../services/campaigns/personal.js';
import { addContact, addPurchase, designateForOffers, findContact, setDecisionSettings, setEmployee, updateContactFacts, type ContactInput } from '../../services/consent/relationships.js';
import { expireNonResponders } from '../../services/campaigns/repermission.js';
import { toDecisionOutput } from '../../core/policy/facts-schema.js';
import { getDecisionSettings } from '../../store/settings.js';

type Params = { Params: { id: string } };
const body = <T>(b: unknown): T => (b ?? {}) as T;

export const factsRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.post('/contacts', async (request, reply) => {
    const r = await addContact(deps, body<ContactInput>(request.body));
    return reply.code(r.created ? 201 : 200).send(r.contact);
  });
  app.patch<Params>('/contacts/:id/facts', async (request) => updateContactFacts(deps, request.params.id, body(request.body)));
  app.post<Params>('/contacts/:id/purchases', async (request, reply) => {
    const id = await addPurchase(deps, request.params.id, body(request.body));
    return reply.code(201).send({ id });
  });
  app.put<Params>('/contacts/:id/employee', async (request) => setEmployee(deps, request.params.id, body(request.body)));
  app.put<Params>('/contacts/:id/designation', async (request) => designateForOffers(deps, request.params.id, body(request.body)));
  app.get<Params & { Querystring: { purpose?: string; category?: string; productCategory?: string } }>('/contacts/:id/facts', async (request) => {
    const q = request.query;
    if (!q.purpose) throw invalid('purpose', 'purpose: give the purpose of the message (?purpose=…)');
    const category = q.category ?? 'purpose_marketing';
    if (!isMessageCategory(category)) throw invalid('category', `category: unknown message category "${category}"`);
    const c = await findContact(deps, request.params.id);
    const message = { category, purposeId: q.purpose, ...(q.productCategory ? { productCategory: q.productCategory } : {}) };
    return { facts: await storedFacts(deps.db, deps.secret, c.id, message, await getDecisionSettings(deps.db)) };
  });
  app.post<{ Params: { purpose: string } }>('/purposes/:purpose/grants', async (request) =>
    grantPermission(deps, { ...body<Omit<GrantInput, 'purposeId'>>(request.body), purposeId: request.params.purpose, via: body<GrantInput>(request.body).via ?? 'api' }),
  );
  app.post('/messages/personal', async (request, reply) => {
    const r = await sendPersonalMessage(deps, body<PersonalMessageInput>(request.body));
    return reply.code(r.sent ? 201 : 200).send({ sent: r.sent, messageId: r.messageId, decision: toDecisionOutput(r.decision) });
  });
  app.get('/settings/decisions', async () => getDecisionSettings(deps.db));
  app.patch('/settings/decisions', async (request) => setDecisionSettings(deps, body(request.body)));
  app.post<Params>('/campaigns/:id/expire', async (request) => expireNonResponders(deps, request.params.id));
};
