import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';

describe('webhooks API', () => {
  it('registers (secret shown once), lists without secrets, shows deliveries, removes; refuses bad URLs naming the field', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    const app = await buildApp(w.deps, { webhooksOut: { allowPrivate: false } });
    const headers = { authorization: `Bearer ${await createApiKey(w.deps, 'test')}` };
    try {
      const bad = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: { url: 'http://127.0.0.1:9/h', events: ['contact.erased'] } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.field, 'url');
      const unknown = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: { url: 'https://93.184.216.34/h', events: ['contact.opened'] } });
      assert.equal(unknown.json().error.field, 'events[0]');

      const created = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: { url: 'https://93.184.216.34/hook', events: ['contact.erased'], description: 'CRM' } });
      assert.equal(created.statusCode, 201, created.body);
      const { id, secret } = created.json();
      assert.match(secret, /^whsec_/);
      const list = await app.inject({ method: 'GET', url: '/api/v1/webhooks', headers });
      assert.deepEqual(list.json(), [{ id, url: 'https://93.184.216.34/hook', events: ['contact.erased'], description: 'CRM', createdAt: '2026-11-30T10:00:00.000Z' }]);
      assert.ok(!list.body.includes(secret));
      const deliveries = await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries?limit=5`, headers });
      assert.deepEqual(deliveries.json(), []);
      const removed = await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers });
      assert.equal(removed.statusCode, 204);
      assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers })).statusCode, 404);
      assert.equal((await app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers })).statusCode, 404);
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
