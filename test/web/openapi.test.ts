import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';

interface Operation {
  summary?: string;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
}

async function setup() {
  const store = await sqliteStore();
  const w = await world(store);
  const routes: Array<{ method: string; url: string; hasBody: boolean }> = [];
  const app = await buildApp(w.deps, {
    onRoute: (r: RouteOptions) => {
      if (!r.url.startsWith('/api/v1')) return;
      // Fastify adds a HEAD route for each GET by itself; it is the GET's operation.
      for (const method of ([] as string[]).concat(r.method).filter((m) => m !== 'HEAD')) routes.push({ method, url: r.url, hasBody: Boolean(r.schema?.body) });
    },
  });
  const key = await createApiKey(w.deps, 'test');
  return { app, routes, auth: { authorization: `Bearer ${key}` }, close: async () => { await app.close(); await store.dispose(); } };
}

describe('OpenAPI document', () => {
  it('describes every route under /api/v1: summary, request body, success and error responses, bearer security', async () => {
    const s = await setup();
    try {
      const res = await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(res.statusCode, 200, 'the document needs no API key');
      const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; scheme: string }>; schemas: Record<string, unknown> }; security: unknown[] };
      assert.equal(doc.openapi, '3.1.0');
      assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', description: 'an API key (csk_…)' });
      assert.deepEqual(doc.security, [{ bearer: [] }]);
      assert.ok(doc.components.schemas.Error, 'the error shape is a named component');
      assert.ok(s.routes.length >= 15, `only ${s.routes.length} API routes seen`);
      for (const r of s.routes) {
        const path = r.url.replace(/:(\w+)/g, '{$1}');
        const op = doc.paths[path]?.[r.method.toLowerCase()];
        const name = `${r.method} ${r.url}`;
        assert.ok(op, `${name} is not in the OpenAPI document: give it a zod schema (docs/api.md)`);
        assert.ok(op.summary, `${name} has no summary`);
        const success = Object.entries(op.responses).filter(([code]) => /^2\d\d$/.test(code));
        // 204 No Content has no body to describe.
        assert.ok(success.length > 0 && success.every(([code, v]) => code === '204' || v.content?.['application/json']?.schema), `${name} has no described success response`);
        if (r.hasBody) assert.ok(op.requestBody, `${name} has no request body in the document`);
        if (r.url === '/api/v1/openapi.json') continue;
        assert.match(JSON.stringify(op.responses['401']), /#\/components\/schemas\/Error/, `${name} does not describe the 401 error`);
        assert.equal(op.security, undefined, `${name} must not opt out of bearer security`);
      }
      assert.ok(!Object.keys(doc.paths).some((p) => !p.startsWith('/api/v1/')), 'only API routes are in the document');
    } finally {
      await s.close();
    }
  });

  it('validates requests with the documented schemas and names the field in the error', async () => {
    const s = await setup();
    try {
      const cases: Array<[string, string, unknown, string]> = [
        ['POST', '/api/v1/contacts', { email: 'a@example.nl', source: 'nowhere' }, 'source'],
        ['POST', '/api/v1/contacts', { email: 'a@example.nl', source: 'form', colour: 'red' }, 'colour'],
        ['POST', '/api/v1/contacts', undefined, 'email'],
        ['GET', '/api/v1/contacts/a@example.nl/facts', undefined, 'purpose'],
        ['GET', '/api/v1/contacts/a@example.nl/facts?purpose=tips&category=spam', undefined, 'category'],
        ['POST', '/api/v1/decisions', { facts: { message: { category: 'nope', purposeId: 'tips' } } }, 'facts.message.category'],
        ['POST', '/api/v1/purposes/tips/grants', { contacts: ['a@example.nl', 7] }, 'contacts[1]'],
      ];
      for (const [method, url, payload, field] of cases) {
        const res = await s.app.inject({ method: method as 'GET', url, headers: s.auth, ...(payload !== undefined && { payload: payload as object }) });
        assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
        const error = res.json().error;
        assert.equal(error.code, 'invalid');
        assert.equal(error.field, field, res.body);
        assert.ok(error.message.startsWith(`${field}: `), error.message);
      }
    } finally {
      await s.close();
    }
  });
});
