// The Contacts pages: search and filter, add per role with CSRF and validation, one contact's evidence, the proof
// and the download for the privacy roles only, rectification, and erasure asked twice; markup in names as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { addPurchase } from '../../src/services/consent/relationships.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { confirmedSubscriber } from '../campaigns/helpers.js';

test('contacts: find, add, open the evidence, proof and download, rectify, erase twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const { contactId } = await subscribe(h.deps, { formId: 'tips', email: 'anna@example.nl', firstName: '<script>x</script>', purposes: ['tips'], language: 'nl', ip: '192.0.2.1', userAgent: 'test' });
  const viewer = await h.as('viewer');
  const owner = await h.signIn();

  const found = await viewer.get('/admin/contacts?q=anna%40&purpose=tips&status=pending');
  assert.equal(found.statusCode, 200);
  assert.match(found.body, new RegExp(`href="/admin/contacts/${contactId}">anna@example.nl`));
  assert.doesNotMatch(found.body, /<script>x/);
  assert.match(found.body, /&lt;script&gt;x&lt;\/script&gt;/);
  const none = await viewer.get('/admin/contacts?purpose=tips&status=active');
  assert.match(none.body, /Geen contacten gevonden/);
  const badFilter = await viewer.get('/admin/contacts?status=active');
  assert.equal(badFilter.statusCode, 200);
  assert.match(badFilter.body, /choose a purpose/);

  const fields = { email: 'piet@example.nl', firstName: 'Piet', lastName: '', kind: 'person', source: 'trade_fair', sourceRef: 'Horecava 2026' };
  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/contacts', fields);
  assert.equal((await owner.post('/admin/contacts', fields, { noCsrf: true })).statusCode, 403);
  assert.equal(await contactByEmail(h.deps.db, 'piet@example.nl'), undefined, 'nothing added');
  const bad = await owner.post('/admin/contacts', { ...fields, email: 'geen adres' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="email-error">/);
  const added = await owner.post('/admin/contacts', fields);
  assert.equal(added.statusCode, 303);

  const page = await viewer.get(`/admin/contacts/${contactId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /requested/);
  assert.doesNotMatch(page.body, /<script>x/);
  assert.doesNotMatch(page.body, /\/proof"/, 'a viewer gets no link to the proof');
  assert.equal((await viewer.get(`/admin/contacts/${contactId}/proof`)).statusCode, 403);
  const privacy = await h.as('privacy_officer');
  const proof = await privacy.get(`/admin/contacts/${contactId}/proof`);
  assert.equal(proof.statusCode, 200);
  assert.match(proof.body, /Bewijs van toestemming/);
  const csv = await privacy.get(`/admin/contacts/${contactId}/export.csv`);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="my-data.csv"/);
  assert.match(csv.body, /^section,id,purpose/);

  await h.assertRefused(['viewer', 'editor'], `/admin/contacts/${contactId}/rectify`, { firstName: 'Anna', lastName: 'Jansen' });
  const rect = await privacy.post(`/admin/contacts/${contactId}/rectify`, { firstName: 'Anna', lastName: 'Jansen' });
  assert.equal(rect.statusCode, 303);
  assert.equal(rect.headers.location, `/admin/contacts/${contactId}`);
  assert.equal((await contactByEmail(h.deps.db, 'anna@example.nl'))?.last_name, 'Jansen');

  await h.assertRefused(['viewer', 'editor'], `/admin/contacts/${contactId}/erase`, { confirm: 'yes' });
  // The contact's page asks with a GET form; the question is a page of its own, so Back or refresh change nothing.
  assert.match((await privacy.get(`/admin/contacts/${contactId}`)).body, new RegExp(`<form method="get" action="/admin/contacts/${contactId}/erase"><button type="submit" class="danger">`));
  const ask = await privacy.get(`/admin/contacts/${contactId}/erase`);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Alle gegevens van anna@example.nl wissen\?/);
  assert.match(ask.body, new RegExp(`<form method="post" action="/admin/contacts/${contactId}/erase"[\\s\\S]*?name="confirm" value="yes"`));
  assert.equal((await privacy.get(`/admin/contacts/${contactId}/erase`)).statusCode, 200, 'asked again on refresh');
  assert.ok(await contactByEmail(h.deps.db, 'anna@example.nl'), 'asking erases nothing');
  assert.equal((await h.as('editor').then((e) => e.get(`/admin/contacts/${contactId}/erase`))).statusCode, 403, 'only who may erase is asked');
  const unconfirmed = await privacy.post(`/admin/contacts/${contactId}/erase`);
  assert.equal(unconfirmed.statusCode, 400, 'a POST without the confirmation only asks');
  assert.ok(await contactByEmail(h.deps.db, 'anna@example.nl'), 'and erases nothing');
  const logged = await h.deps.db.selectFrom('admin_actions').select('action').where('action', '=', 'POST /admin/contacts/:id/erase').execute();
  assert.equal(logged.length, 0, 'asking is not in the action log');
  const erased = await privacy.post(`/admin/contacts/${contactId}/erase`, { confirm: 'yes' });
  assert.equal(erased.statusCode, 303);
  assert.equal(erased.headers.location, '/admin/contacts', 'POST, then redirect to the result');
  assert.equal(await contactByEmail(h.deps.db, 'anna@example.nl'), undefined);
  assert.equal((await privacy.get(`/admin/contacts/${contactId}`)).statusCode, 404);
});

test("a contact's page says in words what the codes mean: purpose names, how, events, opt-out, deliveries and campaign names", async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const contactId = await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  await addPurchase(h.deps, contactId, { productCategory: 'koffie', date: '2026-11-01', optOut: 'terms_only' });
  const c = await createCampaign(h.deps, { name: 'Decembertips', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
  await startCampaign(h.deps, c.id);
  await drainQueue(h.deps, { campaignId: c.id });
  const viewer = await h.as('viewer');

  const nl = (await viewer.get(`/admin/contacts/${contactId}`)).body;
  assert.match(nl, /data-label="Doel"><span>Koffietips<br><code class="small">tips<\/code>/, 'the purpose by name, its id small under it');
  assert.match(nl, /Geschiedenis in het grootboek: Koffietips/);
  assert.match(nl, /dubbele opt-in \(bevestigd\) · aanmeldformulier<br><code class="small">double_opt_in<\/code>/);
  assert.match(nl, /aangemeld, wacht op bevestiging · toestemming \(AVG 6\(1\)\(a\)\)<br><code class="small">requested<\/code>/);
  assert.match(nl, /data-label="Afmelden aangeboden">alleen in de voorwaarden</);
  assert.match(nl, new RegExp(`<a href="/admin/campaigns/${c.id}">Decembertips</a>`));
  assert.match(nl, /data-label="Status">verzonden</);
  assert.doesNotMatch(nl, />terms_only<|>sent<|>double_opt_in ·/);
  const en = (await viewer.get(`/admin/contacts/${contactId}?lang=en`)).body;
  assert.match(en, /History in the ledger: Coffee tips/);
  assert.match(en, /data-label="Opt-out offered">only in the terms and conditions</);
  assert.match(en, /data-label="State">sent</);
});
