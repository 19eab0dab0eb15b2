// The Webhooks pages (owners): add with the secret shown once, the service's refusals next to their fields, the
// last message per endpoint and one endpoint's recent messages from a real delivery, removal asked twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { adminHarness } from '../support/admin.js';
import { addWebhookEndpoint, listEndpoints } from '../../src/services/webhooks/endpoints.js';
import { queueWebhookEvent } from '../../src/services/webhooks/emit.js';
import { deliverDueWebhooks } from '../../src/services/webhooks/deliver.js';
import { startReceiver } from '../webhooks/receiver.js';

// An address on the public internet written as an IP, so nothing is looked up and nothing is sent in these tests.
const PUBLIC = 'https://93.184.216.34/hooks/consentry';
const NEW = { url: PUBLIC, events: '', 'events_contact.unsubscribed': 'yes', 'events_contact.erased': 'yes', description: 'CRM <script>alert(1)</script> "onmouseover=x' };
const LOWER = ['viewer', 'editor', 'privacy_officer'] as const;

test('webhooks: owners only; add shows the secret once; bad input is refused next to its field with nothing stored', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  for (const role of LOWER) assert.equal((await (await h.as(role)).get('/admin/webhooks')).statusCode, 403, role);
  assert.doesNotMatch((await (await h.as('editor')).get('/admin/contacts')).body, /href="\/admin\/webhooks"/, 'no menu entry below owner');
  await h.assertRefused(LOWER, '/admin/webhooks', NEW);
  const owner = await h.signIn();
  assert.equal((await owner.post('/admin/webhooks', NEW, { noCsrf: true })).statusCode, 403);
  assert.equal((await listEndpoints(h.deps)).length, 0);

  const cases: Array<[Record<string, string>, string, RegExp]> = [
    [{ ...NEW, url: 'http://crm.deboon.example/hook' }, 'url', /id="url-error">Dit adres kan geen webhooks ontvangen/],
    [{ ...NEW, url: 'https://127.0.0.1:9000/hook' }, 'url', /id="url-error">Dit adres kan geen webhooks ontvangen/],
    [{ ...NEW, url: 'https://gebruiker:geheim@93.184.216.34/hook' }, 'url', /id="url-error">/],
    [{ url: PUBLIC, events: '', description: '' }, 'events', /id="events-error">Kies er minstens één/],
    [{ ...NEW, 'events_contact.everything': 'yes' }, 'events', /id="events-error">/],
    [{ ...NEW, description: 'x'.repeat(201) }, 'description', /id="description-error">Dit is te lang/],
    [{ ...NEW, url: '' }, 'url', /id="url-error">Vul dit veld in/],
  ];
  for (const [fields, name, message] of cases) {
    const res = await owner.post('/admin/webhooks', fields);
    assert.equal(res.statusCode, 400, `${name}: ${fields.url}`);
    assert.match(res.body, message, name);
  }
  assert.equal((await listEndpoints(h.deps)).length, 0, 'nothing stored');

  const added = await owner.post('/admin/webhooks?lang=en', NEW);
  assert.equal(added.statusCode, 201);
  const secret = /<code id="new-secret">(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(added.body)?.[1];
  assert.ok(secret, 'the secret is on the page');
  assert.match(added.body, /shown only now/);
  const [endpoint] = await listEndpoints(h.deps);
  assert.deepEqual(endpoint!.events, ['contact.unsubscribed', 'contact.erased']);
  const list = await owner.get('/admin/webhooks');
  assert.equal(list.statusCode, 200);
  assert.ok(!list.body.includes(secret!), 'the list never shows the secret');
  assert.ok(!(await owner.get(`/admin/webhooks/${endpoint!.id}`)).body.includes(secret!), 'nor does the endpoint page');
  assert.match(list.body, /contact afgemeld, contact gewist/);
  assert.match(list.body, /nog geen/);
  assert.doesNotMatch(list.body, /<script>alert/);
  assert.doesNotMatch(list.body, /"onmouseover=/);
  assert.match(list.body, /CRM &lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;onmouseover=x/);
});

test('webhooks: the last message per endpoint and its recent messages with the receiver\'s answer; remove asked twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const receiver = await startReceiver((n) => (n === 0 ? { status: 500, body: 'kapot <b>' } : { status: 204 }));
  t.after(() => receiver.close());
  const { endpoint } = await addWebhookEndpoint(h.deps, { url: receiver.url, events: ['campaign.finished'] }, { allowPrivate: true });
  await queueWebhookEvent(h.deps.db, 'campaign.finished', { campaignId: 'c1' }, h.deps.clock.now());
  await deliverDueWebhooks(h.deps, { allowPrivate: true });
  assert.equal(receiver.received.length, 1);

  const owner = await h.signIn();
  const list = await owner.get('/admin/webhooks');
  assert.match(list.body, /mislukt<\/span> · HTTP 500|wacht<\/span> · HTTP 500/);
  const page = await owner.get(`/admin/webhooks/${endpoint.id}?lang=en`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /campaign finished/);
  assert.match(page.body, /HTTP 500/);
  assert.match(page.body, /kapot &lt;b&gt;/, 'the answer is shown as text');
  assert.match(page.body, /Next attempt/);
  assert.equal((await owner.get('/admin/webhooks/no-such-id')).statusCode, 404);

  await h.assertRefused(LOWER, `/admin/webhooks/${endpoint.id}/remove`, {});
  const ask = await owner.get(`/admin/webhooks/${endpoint.id}/remove`);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.equal((await listEndpoints(h.deps)).length, 1, 'asking removes nothing');
  assert.equal((await owner.post(`/admin/webhooks/${endpoint.id}/remove`, { confirm: 'yes' }, { noCsrf: true })).statusCode, 403);
  const done = await owner.post(`/admin/webhooks/${endpoint.id}/remove`, { confirm: 'yes' });
  assert.equal(done.statusCode, 303);
  assert.equal((await listEndpoints(h.deps)).length, 0);
  assert.match((await owner.get('/admin/webhooks')).body, /De webhook is verwijderd/);
});

test('webhooks in a browser: nl and en at 1280 and 390 px', { skip: browserSkip }, async (t) => {
  const b = await adminBrowser(t);
  const receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  t.after(() => receiver.close());
  const { endpoint } = await addWebhookEndpoint(b.h.deps, { url: receiver.url, events: ['contact.confirmed', 'contact.unsubscribed'], description: 'CRM' }, { allowPrivate: true });
  await addWebhookEndpoint(b.h.deps, { url: `${PUBLIC}/met/een/heel/lang/pad/dat/niet/past/op/een/telefoon`, events: ['campaign.finished'] }, { allowPrivate: true });
  await queueWebhookEvent(b.h.deps.db, 'contact.confirmed', { contactId: 'c1' }, b.h.deps.clock.now());
  await deliverDueWebhooks(b.h.deps, { allowPrivate: true });
  const page = await b.signedIn();
  await b.shots(page, 'webhooks', '/admin/webhooks');
  await b.shots(page, 'webhook', `/admin/webhooks/${endpoint.id}`);
  for (const path of ['/admin/webhooks', `/admin/webhooks/${endpoint.id}`]) {
    await page.goto(path);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${path}: no sideways scrolling at 390 px`);
  }
  await page.goto('/admin/webhooks');
  await page.fill('#url', PUBLIC);
  await page.check('#events_contact\\.erased');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/webhooks"] button[type=submit]')]);
  assert.match(await page.locator('#new-secret').innerText(), /^whsec_/);
  await b.shot(page, 'webhook-secret');
});
