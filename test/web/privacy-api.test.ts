// The privacy routes of the JSON API on both databases: roles per route, the notice texts as a draft and
// publish, requests (add by address, extend, complete), the record of processing and retention preview and run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { buildApp } from '../../src/web/app.js';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  test(`privacy API: notice, requests, record, retention per role (${dialect.name})`, async (t) => {
    const store = await dialect.open();
    t.after(() => store.dispose());
    const w = await world(store);
    const app = await buildApp(w.deps);
    t.after(() => app.close());
    const keys = { viewer: await createApiKey(w.deps, 'v', 'viewer'), editor: await createApiKey(w.deps, 'e', 'editor'), privacy: await createApiKey(w.deps, 'p', 'privacy_officer') };
    const call = (who: keyof typeof keys, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${keys[who]}` }, ...(payload ? { payload } : {}) });

    // The notice.
    const notice = (await call('viewer', 'GET', '/notice')).json();
    assert.equal(notice.published.version, 1);
    assert.deepEqual(notice.versions.map((v: { state: string }) => v.state), ['current']);
    const texts = { provision_nl: 'Alleen uw e-mailadres is nodig.', provision_en: 'Only your address is needed.' };
    assert.equal((await call('editor', 'PATCH', '/notice/texts', texts)).statusCode, 403);
    const bad = await call('privacy', 'PATCH', '/notice/texts', { automated: 'described', automated_nl: '' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'automated_nl');
    const draft = await call('privacy', 'PATCH', '/notice/texts', texts);
    assert.equal(draft.statusCode, 200, draft.body);
    assert.deepEqual(draft.json(), { version: 2, missing: [] });
    assert.equal((await call('viewer', 'POST', '/notice/2/publish')).statusCode, 403);
    assert.equal((await call('privacy', 'POST', '/notice/2/publish')).statusCode, 200);
    assert.equal((await call('privacy', 'POST', '/notice/2/publish')).json().error.code, 'notice-published');
    assert.equal((await call('privacy', 'POST', '/notice/9/publish')).statusCode, 404);

    // Requests.
    await addContact(w.deps, { email: 'anna@example.nl', source: 'form' });
    const anna = (await contactByEmail(w.deps.db, 'anna@example.nl'))!;
    const body = { kind: 'access', channel: 'email', receivedAt: '2026-11-20T09:00:00Z', contact: 'anna@example.nl' };
    assert.equal((await call('editor', 'POST', '/requests', body)).statusCode, 403);
    assert.equal((await call('privacy', 'POST', '/requests', { ...body, contact: 'niemand@example.nl' })).json().error.code, 'unknown-contact');
    const added = await call('privacy', 'POST', '/requests', body);
    assert.equal(added.statusCode, 201, added.body);
    const r = added.json();
    assert.equal(r.contactId, anna.id);
    assert.equal(r.dueAt, '2026-12-20T09:00:00.000Z');
    assert.equal((await call('privacy', 'POST', `/requests/${r.id}/extend`, { months: 2, reason: ' ' })).json().error.field, 'reason');
    assert.equal((await call('privacy', 'POST', `/requests/${r.id}/extend`, { months: 1, reason: 'veel verzoeken' })).json().dueAt, '2027-01-20T09:00:00.000Z');
    assert.equal((await call('viewer', 'GET', `/requests/${r.id}`)).json().extensionMonths, 1);
    assert.equal((await call('privacy', 'POST', `/requests/${r.id}/complete`, { outcome: 'gestuurd' })).json().state, 'done');
    assert.equal((await call('viewer', 'GET', '/requests')).json().length, 0);
    assert.equal((await call('viewer', 'GET', '/requests?all=true')).json().length, 1);
    const log = await store.db.selectFrom('admin_actions').selectAll().execute();
    assert.ok(log.some((l) => l.action.includes('/requests')), 'the API calls are logged');
    assert.doesNotMatch(JSON.stringify(log), /anna@example\.nl/, 'without the address');

    // Record and retention.
    const record = (await call('viewer', 'GET', '/processing-record?lang=nl')).json();
    assert.equal(record[0].activity, 'Koffietips');
    w.clock.set(new Date(w.clock.now().getTime() - 40 * DAY));
    await subscribe(w.deps, { formId: 'tips', email: 'oud@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
    w.clock.set(new Date(w.clock.now().getTime() + 40 * DAY));
    const preview = (await call('viewer', 'GET', '/retention/preview')).json();
    assert.ok(preview.dryRun);
    assert.equal(preview.erase.length, 2, 'the unconfirmed sign-up and anna, who has no purpose');
    assert.equal((await store.db.selectFrom('retention_runs').selectAll().execute()).length, 0, 'the preview is not logged');
    assert.equal((await call('editor', 'POST', '/retention/run')).statusCode, 403);
    assert.ok(await contactByEmail(w.deps.db, 'oud@example.nl'));
    const run = await call('privacy', 'POST', '/retention/run');
    assert.equal(run.statusCode, 200, run.body);
    assert.equal(run.json().erase.length, 2);
    assert.equal(await contactByEmail(w.deps.db, 'oud@example.nl'), undefined);
  });
}
