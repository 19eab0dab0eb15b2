/**
 * The JSON API under /api/v1, behind an API key (`Authorization: Bearer csk_…`, created by `consentry init`
 * or `consentry apikey`). Errors are JSON `{ error: { code, message, field? } }` with a 4xx status.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { checkApiKey } from '../../services/organisation/api-keys.js';
import type { Deps } from '../../services/deps.js';
import { DomainError } from '../../services/errors.js';
import { statusOf } from '../errors.js';
import { campaignRoutes } from './campaigns.api.js';
import { contactRoutes } from './contacts.api.js';
import { decisionRoutes } from './decisions.api.js';
import { factsRoutes } from './facts.api.js';

export interface ApiOptions {
  deps: Deps;
}

/** Sends a domain error as JSON; rethrows anything else (a 500). */
export function sendApiError(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof DomainError)) throw err;
  return reply.code(statusOf(err.kind)).send({ error: { code: err.code ?? err.kind, message: err.message, ...(err.field ? { field: err.field } : {}) } });
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, { deps }) => {
  app.addHook('onRequest', async (request, reply) => {
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!m || !(await checkApiKey(deps, m[1]!))) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: { code: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' } });
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    if (err instanceof DomainError) return sendApiError(reply, err);
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: 'bad-request', message: err.message } });
    throw err;
  });
  await app.register(campaignRoutes, { deps });
  await app.register(contactRoutes, { deps });
  await app.register(decisionRoutes, { deps });
  await app.register(factsRoutes, { deps });
};
