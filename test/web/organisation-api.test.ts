import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';

describe('JSON API: purposes, forms, organisation', () => {
  it('creates and changes purposes and forms, changes the identity, and refuses bad input naming the field', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    const app = await buildApp(w.deps);
    const headers = { authorization: `Bearer ${await createApiKey(w.deps, 'test')}` };
    const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    try {
      const ebook = { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service', bases: ['A6-1-b'] };
      const created = await call('POST', '/purposes', ebook);
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().notice.published, true);
      const wrong = await call('POST', '/purposes', { ...ebook, id: 'acties', category: 'purpose_marketing', bases: ['A6-1-f'] });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().error.field, 'bases');
      assert.equal(wrong.json().error.code, 'PURPOSE_BASIS_NOT_ACCEPTED');
      assert.equal((await call('GET', '/purposes')).json().length, 2);

      const form = await call('POST', '/forms', { id: 'ebook', name: 'E-book', purposeIds: ['tips'], leadMagnetPurposeId: 'ebook' });
      assert.equal(form.statusCode, 201, form.body);
      assert.equal(form.json().form.url, 'http://localhost:3000/f/ebook');
      const badForm = await call('PUT', '/forms/ebook', { name: 'E-book', purposeIds: ['tips'], appearance: { thankYouUrl: 'http://x.example/' } });
      assert.equal(badForm.statusCode, 400);
      assert.equal(badForm.json().error.field, 'appearance.thankYouUrl');
      assert.equal((await call('PUT', '/forms/nope', { name: 'x', purposeIds: ['tips'] })).statusCode, 404);

      const org = (await call('GET', '/organisation')).json().organisation;
      const moved = await call('PUT', '/organisation', { ...org, postalAddress: 'Dam 1, 1012 JS Amsterdam' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal((await call('GET', '/organisation')).json().organisation.postalAddress, 'Dam 1, 1012 JS Amsterdam');
      const badOrg = await call('PUT', '/organisation', { ...org, replyTo: 'nope' });
      assert.equal(badOrg.statusCode, 400);
      assert.equal(badOrg.json().error.field, 'replyTo');
      const retention = await call('PATCH', '/settings/retention', { withdrawn_after_days: 7 });
      assert.equal(retention.json().withdrawn_after_days, 7);
      assert.equal((await call('PATCH', '/settings/retention', { forever: 1 })).statusCode, 400);
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});

describe('JSON API: contacts list', () => {
  it('lists contacts with filters and refuses a bad filter naming it', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    const app = await buildApp(w.deps);
    const headers = { authorization: `Bearer ${await createApiKey(w.deps, 'test')}` };
    try {
      const { subscribe } = await import('../../src/services/consent/subscribe.js');
      await subscribe(w.deps, { formId: 'tips', email: 'eva@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
      const ok = await app.inject({ method: 'GET', url: '/api/v1/contacts?purpose=tips&status=pending&q=', headers });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json().items.map((c: { email: string }) => c.email), ['eva@example.nl']);
      const bad = await app.inject({ method: 'GET', url: '/api/v1/contacts?status=active', headers });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.field, 'status');
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
