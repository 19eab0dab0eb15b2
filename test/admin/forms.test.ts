// The Forms pages: add and edit per role with CSRF, the guards' reasons next to their fields, the embed snippet,
// and a name with markup shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { getForm, listFormViews } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';

const NEW = { id: 'ebook', name: 'E-book <img src=x onerror=alert(1)>', purposes: '', purposes_tips: 'yes', leadMagnetPurposeId: 'ebook', doubleOptIn: 'yes' };

test('forms: add and edit with the guards on the form, per role and with CSRF; the embed snippet posts to the hosted form', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await createPurpose(h.deps, { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service', bases: ['A6-1-b'] });
  const owner = await h.signIn();

  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/forms', NEW);
  assert.equal((await owner.post('/admin/forms', NEW, { noCsrf: true })).statusCode, 403);
  const none = await owner.post('/admin/forms', { ...NEW, purposes_tips: 'no' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /id="purposes-error">/);
  const single = await owner.post('/admin/forms?lang=en', { ...NEW, doubleOptIn: 'no' });
  assert.equal(single.statusCode, 400);
  assert.match(single.body, /id="doubleOptIn-error">Double opt-in is off/);
  const http = await owner.post('/admin/forms', { ...NEW, thankYouUrl: 'http://deboon.example/bedankt' });
  assert.equal(http.statusCode, 400);
  assert.match(http.body, /id="thankYouUrl-error">/);
  // Every field's error at once, next to its field, with the values kept.
  const many = await owner.post('/admin/forms?lang=en', { ...NEW, id: 'Mijn Formulier', name: '', doubleOptIn: 'no', thankYouUrl: 'http://deboon.example/bedankt' });
  assert.equal(many.statusCode, 400);
  for (const f of ['id', 'name', 'doubleOptIn', 'thankYouUrl']) assert.match(many.body, new RegExp(`id="${f}-error">`), f);
  assert.match(many.body, /id="thankYouUrl"[^>]*value="http:\/\/deboon.example\/bedankt"/);
  assert.equal((await listFormViews(h.deps)).length, 1, 'nothing added');

  const editor = await h.as('editor');
  const added = await editor.post('/admin/forms', { ...NEW, thankYouUrl: 'https://deboon.example/bedankt' });
  assert.equal(added.statusCode, 303, added.body.slice(0, 500));
  const page = await editor.get('/admin/forms/ebook');
  assert.match(page.body, /Het formulier is toegevoegd/);
  assert.doesNotMatch(page.body, /<img src=x/);
  assert.match(page.body, /&lt;form method=&quot;post&quot; action=&quot;http:\/\/localhost:3000\/f\/ebook\?lang=nl&quot;&gt;/);
  const f = await getForm(h.deps, 'ebook');
  assert.equal(f.leadMagnetPurposeId, 'ebook');
  assert.equal(f.appearance.thankYouUrl, 'https://deboon.example/bedankt');

  await h.assertRefused(['viewer'], '/admin/forms/ebook', { ...NEW, name: 'Ander' });
  const saved = await owner.post('/admin/forms/ebook', { ...NEW, name: 'E-book form', leadMagnetPurposeId: '', thankYouUrl: '' });
  assert.equal(saved.statusCode, 303);
  const after = await getForm(h.deps, 'ebook');
  assert.equal(after.name, 'E-book form');
  assert.equal(after.leadMagnetPurposeId, null);
  assert.equal(after.appearance.thankYouUrl, undefined);
  const list = await (await h.as('viewer')).get('/admin/forms');
  assert.match(list.body, /http:\/\/localhost:3000\/f\/ebook/);
  assert.doesNotMatch(list.body, /action="\/admin\/forms"/);
});
