// The Contacts pages: search and filter, add per role with CSRF and validation, one contact's evidence, the proof
// and the download for the privacy roles only, rectification, and erasure asked twice; markup in names as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { contactByEmail } from '../../src/store/contacts.js';

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
  const ask = await privacy.post(`/admin/contacts/${contactId}/erase`);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Alle gegevens van anna@example.nl wissen\?/);
  assert.ok(await contactByEmail(h.deps.db, 'anna@example.nl'), 'asking erases nothing');
  const erased = await privacy.post(`/admin/contacts/${contactId}/erase`, { confirm: 'yes' });
  assert.equal(erased.statusCode, 303);
  assert.equal(await contactByEmail(h.deps.db, 'anna@example.nl'), undefined);
  assert.equal((await privacy.get(`/admin/contacts/${contactId}`)).statusCode, 404);
});
