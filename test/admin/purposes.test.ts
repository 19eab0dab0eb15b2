// The Purposes pages: add and edit per role with CSRF, the guard's reason next to its field, archive twice,
// and a name with markup shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { getPurpose, listPurposeViews } from '../../src/services/organisation/purposes.js';
import { subscribe } from '../../src/services/consent/subscribe.js';

const NEW = {
  id: 'ebook', name_nl: 'E-book <script>alert(1)</script>', name_en: '"onmouseover="alert(1)', description_nl: 'Ons e-book.', description_en: 'Our e-book.',
  category: 'service', bases: '', 'bases_A6-1-b': 'yes', doubleOptIn: 'yes',
};

test('purposes: add and edit with the guard on the form, per role and with CSRF; archive asks twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();

  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/purposes', NEW);
  assert.equal((await owner.post('/admin/purposes', NEW, { noCsrf: true })).statusCode, 403);
  assert.equal((await listPurposeViews(h.deps)).length, 1, 'nothing added');

  const wrongBasis = await owner.post('/admin/purposes', { ...NEW, category: 'purpose_marketing', 'bases_A6-1-b': 'no', 'bases_A6-1-f': 'yes' });
  assert.equal(wrongBasis.statusCode, 400);
  assert.match(wrongBasis.body, /id="bases-error">Deze grondslag past niet bij deze soort mail/);
  assert.match(wrongBasis.body, /id="bases_A6-1-f" name="bases_A6-1-f" value="yes" checked/, 'the ticked box is kept');
  const missing = await owner.post('/admin/purposes', { ...NEW, name_en: '' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /id="name_en-error">/);
  const badId = await owner.post('/admin/purposes?lang=en', { ...NEW, id: 'E Book' });
  assert.match(badId.body, /id="id-error">/);
  // Every field's error at once, next to its field, with the values kept: the id, a name, and the guard's basis.
  const many = await owner.post('/admin/purposes', { ...NEW, id: 'E Book', name_nl: '', 'bases_A6-1-b': 'no', 'bases_A6-1-f': 'yes', category: 'purpose_marketing' });
  assert.equal(many.statusCode, 400);
  for (const f of ['id', 'name_nl']) assert.match(many.body, new RegExp(`id="${f}-error">`), f);
  assert.match(many.body, /id="id"[^>]*value="E Book"/);
  assert.equal((await listPurposeViews(h.deps)).length, 1, 'nothing added');

  const editor = await h.as('editor');
  const added = await editor.post('/admin/purposes', NEW);
  assert.equal(added.statusCode, 303, added.body);
  assert.equal(added.headers.location, '/admin/purposes/ebook');
  const page = await editor.get('/admin/purposes/ebook');
  assert.match(page.body, /Opgeslagen. De privacyverklaring is bijgewerkt/);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /E-book &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(page.body, /&quot;onmouseover=&quot;alert\(1\)/);
  const list = await (await h.as('viewer')).get('/admin/purposes');
  assert.doesNotMatch(list.body, /<script>alert/);
  assert.doesNotMatch(list.body, /action="\/admin\/purposes"/, 'a viewer sees no form');

  // Once someone gave permission, the kind is fixed: the reason shows next to the field.
  await subscribe(h.deps, { formId: 'tips', email: 'anna@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const tips = await getPurpose(h.deps, 'tips');
  const tipsFields = { bases: '', name_nl: tips.name.nl, name_en: tips.name.en, description_nl: tips.description.nl, description_en: tips.description.en, doubleOptIn: 'yes' };
  const change = await owner.post('/admin/purposes/tips?lang=en', { ...tipsFields, category: 'customer_marketing', 'bases_A6-1-f': 'yes' });
  assert.equal(change.statusCode, 400);
  assert.match(change.body, /id="category-error">People already gave permission/);
  assert.equal((await getPurpose(h.deps, 'tips')).category, 'purpose_marketing');
  const renamed = await owner.post('/admin/purposes/tips', { ...tipsFields, name_nl: 'Koffietips en nieuws', category: 'purpose_marketing', 'bases_A6-1-a': 'yes' });
  assert.equal(renamed.statusCode, 303, renamed.body);
  assert.equal((await getPurpose(h.deps, 'tips')).name.nl, 'Koffietips en nieuws');
  await h.assertRefused(['viewer'], '/admin/purposes/tips', { ...tipsFields, category: 'purpose_marketing', 'bases_A6-1-a': 'yes' });

  // Archiving: refused while a form offers it; asked twice otherwise.
  const offered = await owner.post('/admin/purposes/tips/archive', { confirm: 'yes' });
  assert.equal(offered.statusCode, 400);
  assert.match(offered.body, /Een formulier biedt dit doel nog aan/);
  const ask = await owner.get('/admin/purposes/ebook/archive');
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.equal((await getPurpose(h.deps, 'ebook')).archivedAt, null, 'asking archives nothing');
  await h.assertRefused(['viewer'], '/admin/purposes/ebook/archive', { confirm: 'yes' });
  assert.equal((await owner.post('/admin/purposes/ebook/archive', { confirm: 'yes' })).statusCode, 303);
  assert.ok((await getPurpose(h.deps, 'ebook')).archivedAt);
  assert.equal((await owner.post('/admin/purposes/ebook/restore')).statusCode, 303);
  assert.equal((await getPurpose(h.deps, 'ebook')).archivedAt, null);
});
