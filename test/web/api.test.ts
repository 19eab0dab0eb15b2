import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world, linkIn } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';

async function setup() {
  const store = await sqliteStore();
  const w = await world(store);
  const app = await buildApp(w.deps);
  const key = await createApiKey(w.deps, 'test');
  const auth = { authorization: `Bearer ${key}` };
  const campaigns = async () => Number((await store.db.selectFrom('campaigns').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { store, w, app, auth, campaigns, close: async () => { await app.close(); await store.dispose(); } };
}

describe('JSON API', () => {
  it('refuses calls without a valid API key', async () => {
    const s = await setup();
    try {
      for (const headers of [{}, { authorization: 'Bearer csk_wrong' }, { authorization: 'Basic abc' }]) {
        const res = await s.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers });
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().error.code, 'unauthorized');
      }
    } finally {
      await s.close();
    }
  });

  it('creates, previews and queues a campaign', async () => {
    const s = await setup();
    try {
      const sub = await subscribe(s.w.deps, { formId: 'tips', email: 'eva@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
      await confirm(s.w.deps, { token: linkIn((await s.w.mails())[0]!.text!, '/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
      await subscribe(s.w.deps, { formId: 'tips', email: 'piet@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
      const created = await s.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: s.auth, payload: { name: 'Nov', purposeId: 'tips', subject: 'Hoi {{ first_name }}', body: 'Tekst' } });
      assert.equal(created.statusCode, 201);
      const id = created.json().id as string;
      const preview = await s.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}/preview`, headers: s.auth });
      assert.deepEqual(preview.json().allowedBy, { CONSENT_CONFIRMED: 1 });
      assert.deepEqual(preview.json().blockedBy, { CONSENT_PENDING: 1 });
      const send = await s.app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/send`, headers: s.auth });
      assert.equal(send.statusCode, 202);
      assert.deepEqual({ queued: send.json().queued, blocked: send.json().blocked }, { queued: 1, blocked: 1 });
      const evidence = await s.app.inject({ method: 'GET', url: `/api/v1/contacts/${sub.contactId}/evidence`, headers: s.auth });
      assert.equal(evidence.json().permissions[0].status, 'active');
      assert.deepEqual(evidence.json().permissions[0].history.map((e: { type: string }) => e.type), ['requested', 'confirmed']);
    } finally {
      await s.close();
    }
  });

  it('refuses bad campaigns with the field named and stores nothing', async () => {
    const s = await setup();
    try {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', purposeId: 'tips', subject: 'Hallo\r\nBcc: all@example.com', body: 'x' }, 'subject'],
        [{ name: 'x', purposeId: 'tips', subject: 'Hallo {{ first_name', body: 'x' }, 'subject'],
        [{ name: 'x', purposeId: 'tips', subject: 'Hallo', body: '{{ frist_name }}' }, 'body'],
        [{ name: 'x', purposeId: 'nope', subject: 'Hallo', body: 'x' }, 'purposeId'],
        [{ name: 'x', purposeId: 'tips', subject: 'Hallo', body: 'x', category: 'spam' }, 'category'],
        [{ purposeId: 'tips', subject: 'Hallo', body: 'x' }, 'name'],
      ];
      for (const [payload, field] of cases) {
        const res = await s.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: s.auth, payload });
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.equal(res.json().error.field, field, JSON.stringify(res.json()));
      }
      assert.equal(await s.campaigns(), 0);
      const missing = await s.app.inject({ method: 'GET', url: '/api/v1/campaigns/unknown/preview', headers: s.auth });
      assert.equal(missing.statusCode, 404);
    } finally {
      await s.close();
    }
  });
});
