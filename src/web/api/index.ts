/**
 * The JSON API under /api/v1, behind an API key (`Authorization: Bearer csk_…`, created by `consentry init`
 * or `consentry apikey`). Errors are JSON `{ error: { code, message, field? } }` with a 4xx status.
 *
 * Every route declares zod schemas for its body, params, query and responses (docs/api.md): they validate the
 * request, type the handler, serialise the answer and make up `GET /api/v1/openapi.json`. The zod compilers are
 * set here, inside this plugin, not on the whole app: routes elsewhere keep Fastify's own (JSON-schema) compilers.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { mayAccess } from '../../core/admin/roles.js';
import { logAction } from '../../services/admin/action-log.js';
import { checkApiKey, type ApiKeyIdentity } from '../../services/organisation/api-keys.js';
import type { Deps } from '../../services/deps.js';
import { DomainError } from '../../services/errors.js';
import { statusOf } from '../errors.js';
import { apiAccess } from './access.js';
import { campaignRoutes } from './campaigns.api.js';
import { campaignLifecycleRoutes } from './campaign-lifecycle.api.js';
import { contactRoutes } from './contacts.api.js';
import { decisionRoutes } from './decisions.api.js';
import { factsRoutes } from './facts.api.js';
import { openApiRoute, registerOpenApi } from './openapi.js';
import { organisationRoutes } from './organisation.api.js';
import { privacyRoutes } from './privacy.api.js';
import { fieldPath } from './schemas.js';
import { userRoutes } from './users.api.js';
import { webhookRoutes } from './webhooks.api.js';
import type { WebhookTargetPolicy } from '../../services/webhooks/endpoints.js';

export interface ApiOptions {
  deps: Deps;
  /** Which webhook targets may be registered. */
  webhooksOut: WebhookTargetPolicy;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route of the API that needs no API key (only the OpenAPI document). */
    public?: boolean;
  }
}

/** Sends a domain error as JSON; rethrows anything else (a 500). */
export function sendApiError(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof DomainError)) throw err;
  return reply.code(statusOf(err.kind)).send({ error: { code: err.code ?? err.kind, message: err.message, ...(err.field ? { field: err.field } : {}) } });
}

export const apiRoutes: FastifyPluginAsync<ApiOptions> = async (app, { deps, webhooksOut }) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerOpenApi(app);

  // Every route must have its line in access.ts: a route without a role stands out at start-up.
  app.addHook('onRoute', (route) => {
    if (route.config?.public) return;
    for (const method of [route.method].flat()) {
      if (!apiAccess(method, route.url)) throw new Error(`API route ${method} ${route.url} has no access level in src/web/api/access.ts`);
    }
  });
  app.decorateRequest('apiKey', null);
  // The key, then the one role check (the route's access level in access.ts against the key's role).
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public) return;
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const key = m ? await checkApiKey(deps, m[1]!) : null;
    if (!key) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: { code: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' } });
    }
    request.apiKey = key;
    const access = apiAccess(request.method, request.routeOptions.url ?? '');
    if (access && !mayAccess(key.role, access)) {
      return reply.code(403).send({ error: { code: 'forbidden-role', message: `this needs an API key with the ${access} access level; this key's role is ${key.role}` } });
    }
  });
  // The action log: every successful call that changes something (a route needing more than read access).
  app.addHook('onResponse', async (request, reply) => {
    const key = request.apiKey;
    const pattern = request.routeOptions.url ?? '';
    const access = apiAccess(request.method, pattern);
    if (!key || reply.statusCode >= 400 || request.method === 'GET' || request.method === 'HEAD' || !access || access === 'read') return;
    const params = request.params as { id?: string; purpose?: string };
    await logAction(deps, {
      actor: { kind: 'api_key', id: key.id, name: key.name },
      action: `${request.method} ${pattern}`,
      object: { kind: pattern.split('/')[3] ?? 'api', id: params.id ?? params.purpose ?? null },
      status: reply.statusCode,
    }).catch((err: unknown) => request.log.error({ err }, 'action log write failed'));
  });
  // A body-less POST/PUT/PATCH is validated as `{}`, so the answer names the first missing field.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
  });
  app.setErrorHandler((err: Error & { statusCode?: number; validationContext?: string }, _request, reply) => {
    if (err instanceof DomainError) return sendApiError(reply, err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0]!;
      const path = issue.instancePath.split('/').filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
      // An unknown key is named itself (strict bodies), not its parent object.
      const extra = issue.keyword === 'unrecognized_keys' ? ((issue.params as { keys?: string[] }).keys ?? []).slice(0, 1) : [];
      const field = fieldPath([...path, ...extra]) || err.validationContext || 'body';
      return reply.code(400).send({ error: { code: 'invalid', message: `${field}: ${issue.message}`, field } });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: 'bad-request', message: err.message } });
    throw err;
  });
  await app.register(openApiRoute);
  await app.register(campaignRoutes, { deps });
  await app.register(campaignLifecycleRoutes, { deps });
  await app.register(contactRoutes, { deps });
  await app.register(decisionRoutes, { deps });
  await app.register(factsRoutes, { deps });
  await app.register(organisationRoutes, { deps });
  await app.register(privacyRoutes, { deps });
  await app.register(webhookRoutes, { deps, webhooks: webhooksOut });
  await app.register(userRoutes, { deps });
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key of a JSON API request (after the key check). */
    apiKey: ApiKeyIdentity | null;
  }
}
