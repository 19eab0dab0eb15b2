/**
 * Admin users and API keys over the JSON API (owners; access.ts), through the same services as the "Users & API
 * keys" page and `consentry user …` / `consentry apikey …`: list, add, change role, set a password, remove the
 * second factor, remove; list keys, create one (the key is in that answer only), revoke. Users are named by id in
 * paths, never by address.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../core/admin/roles.js';
import { resetTotp } from '../../services/admin/totp.js';
import { addUser, changeRole, listUsers, removeUser, setPassword } from '../../services/admin/users.js';
import type { Deps } from '../../services/deps.js';
import { issueApiKey, listKeys, revokeKey } from '../../services/organisation/api-keys.js';
import { responses } from './schemas.js';

const role = z.enum(ROLES).describe('owner: everything; editor: campaigns, contacts, imports, forms; privacy_officer: requests, proof, erasure, notice, retention; viewer: reads only');

const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role,
    secondFactor: z.boolean().describe('whether TOTP two-step sign-in is on'),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminUser' });

const apiKeySchema = z
  .object({ id: z.string(), name: z.string(), role, createdAt: z.string(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiKey' });

const userParams = z.object({ id: z.string().regex(/^[^@]+$/, 'the user id (from GET /users), not an address').describe('user id') });
const keyParams = z.object({ id: z.string().min(1).describe('API key id') });
const password = z.string().min(1).max(1024).describe('at least 12 characters, not a common password, not the address');

export const userRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['users'];
  app.get('/users', { schema: { summary: 'Every admin user with role and second factor', tags, response: responses({ 200: z.array(userSchema) }) } }, async () => listUsers(deps));
  app.post('/users', {
    schema: {
      summary: 'Add an admin user with a first password',
      tags,
      body: z.strictObject({ email: z.string().min(1).max(320), role, password }),
      response: responses({ 201: userSchema }, 400, 409),
    },
  }, async (request, reply) => reply.code(201).send(await addUser(deps, request.body)));
  app.put('/users/:id/role', {
    schema: {
      summary: 'Change a user’s role (their sessions end; the last owner stays owner)',
      tags,
      params: userParams,
      body: z.strictObject({ role }),
      response: responses({ 200: userSchema }, 400, 404, 409),
    },
  }, async (request) => changeRole(deps, request.params.id, request.body.role));
  app.put('/users/:id/password', {
    schema: {
      summary: 'Set a new password; the user is signed out everywhere',
      tags,
      params: userParams,
      body: z.strictObject({ password }),
      response: responses({ 200: userSchema }, 400, 404),
    },
  }, async (request) => setPassword(deps, request.params.id, request.body.password));
  app.delete('/users/:id/second-factor', {
    schema: {
      summary: 'Remove a user’s second factor (TOTP and recovery codes), e.g. after a lost phone; their sessions end',
      tags,
      params: userParams,
      response: responses({ 200: userSchema }, 400, 404),
    },
  }, async (request) => resetTotp(deps, request.params.id));
  app.delete('/users/:id', {
    schema: { summary: 'Remove a user and their sessions (not the last owner)', tags, params: userParams, response: responses({ 204: z.null() }, 400, 404, 409) },
  }, async (request, reply) => {
    await removeUser(deps, request.params.id);
    return reply.code(204).send(null);
  });

  const keyTags = ['api-keys'];
  app.get('/api-keys', { schema: { summary: 'Every API key, newest first, revoked ones included (never the keys themselves)', tags: keyTags, response: responses({ 200: z.array(apiKeySchema) }) } }, async () => listKeys(deps));
  app.post('/api-keys', {
    schema: {
      summary: 'Create an API key; the answer holds the key, shown only this once',
      tags: keyTags,
      body: z.strictObject({ name: z.string().describe('what the key is for, 1 to 100 characters'), role }),
      response: responses({ 201: apiKeySchema.extend({ key: z.string().describe('csk_…: send as Authorization: Bearer <key>') }) }, 400),
    },
  }, async (request, reply) => {
    const { key, info } = await issueApiKey(deps, request.body.name, request.body.role);
    return reply.code(201).send({ ...info, key });
  });
  app.post('/api-keys/:id/revoke', {
    schema: { summary: 'Revoke an API key at once (it stays in the list as revoked)', tags: keyTags, params: keyParams, response: responses({ 200: apiKeySchema }, 404, 409) },
  }, async (request) => revokeKey(deps, request.params.id));
};
