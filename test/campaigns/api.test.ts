import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { campaignById } from '../../src/store/campaigns.js';
import { confirmedSubscriber } from './helpers.js';

describe('campaign lifecycle API', () => {
  it('edits, duplicates, schedules, unschedules, deletes, and refuses with field and reason', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    const app = await buildApp(w.deps);
    const headers = { authorization: `Bearer ${await createApiKey(w.deps, 'test')}` };
    const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    try {
      await confirmedSubscriber(w.deps, 'anna@example.nl');
      const created = await call('POST', '/campaigns', { name: 'Nov', purposeId: 'tips', subject: 'Hoi', body: 'Tekst', category: 'customer_marketing', productCategory: 'Koffie' });
      const id = created.json().id as string;

      let res = await call('PATCH', `/campaigns/${id}`, { subject: 'Hallo {{ first_name }}' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().subject, 'Hallo {{ first_name }}');
      assert.equal(res.json().category, 'customer_marketing'); // not reset to create's default
      res = await call('PATCH', `/campaigns/${id}`, { subject: 'Hallo {{ voornaam }}' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.field, 'subject');

      res = await call('PUT', `/campaigns/${id}/schedule`, { at: '2027-03-28 02:30' });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.field, 'at');
      assert.equal(res.json().error.code, 'nonexistent-time');
      res = await call('PUT', `/campaigns/${id}/schedule`, { at: '2026-11-30 10:00' });
      assert.equal(res.json().error.code, 'time-passed');
      res = await call('PUT', `/campaigns/${id}/schedule`, { at: '2026-12-01 09:00' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { campaignId: id, scheduledAt: '2026-12-01T08:00:00.000Z', local: '2026-12-01 09:00 +01:00', timeZone: 'Europe/Amsterdam' });
      res = await call('PATCH', `/campaigns/${id}`, { subject: 'x' });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.field, 'status');
      assert.match(res.json().error.message, /scheduled/);
      assert.equal((await call('DELETE', `/campaigns/${id}/schedule`)).statusCode, 200);
      assert.equal((await campaignById(store.db, id))!.status, 'draft');

      res = await call('POST', `/campaigns/${id}/duplicate`, { name: 'December' });
      assert.equal(res.statusCode, 201);
      const copy = res.json().id as string;
      assert.equal((await call('DELETE', `/campaigns/${copy}`)).statusCode, 200);
      assert.equal(await campaignById(store.db, copy), undefined);

      assert.equal((await call('POST', `/campaigns/${id}/send`)).statusCode, 202);
      res = await call('GET', `/campaigns/${id}/stats`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().queued, 1);
      assert.equal((await call('DELETE', `/campaigns/${id}`)).statusCode, 409);
      assert.equal((await call('POST', `/campaigns/${id}/send-new`)).statusCode, 202);
      assert.equal((await call('GET', `/campaigns/nope/stats`)).statusCode, 404);
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
