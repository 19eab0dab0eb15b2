// Adding a purpose: the bases follow the chosen kind. Boxes left as shown (consent, the newsletter's default) give
// the kind's usual basis; a basis the person chose that does not fit names the kind and the bases it accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { getPurpose, listPurposeViews } from '../../src/services/organisation/purposes.js';

const NEW = { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service', bases: '', doubleOptIn: 'yes' };

test('purposes: a new purpose of another kind with the default ticks gets that kind\'s usual basis; a wrong choice names the kind', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();

  const page = await owner.get('/admin/purposes');
  assert.match(page.body, /id="bases_A6-1-a" name="bases_A6-1-a" value="yes" checked/, 'consent is ticked by default');
  assert.match(page.body, /<input type="hidden" name="basesShown" value="A6-1-a">/);
  assert.match(page.body, /dienst of levering \(bijvoorbeeld een e-book\): overeenkomst \(AVG 6\(1\)\(b\)\) of wettelijke plicht \(AVG 6\(1\)\(c\)\)/, 'the hint names the bases per kind');

  // The person chose "service" and left the boxes as shown.
  const added = await owner.post('/admin/purposes', { ...NEW, 'bases_A6-1-a': 'yes', basesShown: 'A6-1-a' });
  assert.equal(added.statusCode, 303, added.body.slice(0, 500));
  assert.deepEqual((await getPurpose(h.deps, 'ebook')).bases, ['A6-1-b']);

  // A basis the person ticked is theirs: refused, naming the kind and what it accepts (nl and en).
  const before = (await listPurposeViews(h.deps)).length;
  const nl = await owner.post('/admin/purposes', { ...NEW, id: 'gids', 'bases_A6-1-a': 'yes', 'bases_A6-1-f': 'yes', basesShown: 'A6-1-a' });
  assert.equal(nl.statusCode, 400);
  assert.match(nl.body, /id="bases-error">Deze grondslag past niet bij deze soort mail\. De soort „dienst of levering \(bijvoorbeeld een e-book\)” rust op: overeenkomst \(AVG 6\(1\)\(b\)\) of wettelijke plicht \(AVG 6\(1\)\(c\)\)\.</);
  assert.doesNotMatch(nl.body, /nieuwsbrief of andere marketing vraagt toestemming/);
  const en = await owner.post('/admin/purposes?lang=en', { ...NEW, id: 'gids', category: 'internal', 'bases_A6-1-a': 'yes', basesShown: '' });
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /id="bases-error">This lawful basis does not fit this kind of mail\. The kind “internal communication \(staff\)” rests on: legitimate interest \(GDPR 6\(1\)\(f\)\) or contract \(GDPR 6\(1\)\(b\)\)\.</);
  assert.equal((await listPurposeViews(h.deps)).length, before, 'nothing added');

  // A newsletter with the default ticks still rests on consent.
  assert.equal((await owner.post('/admin/purposes', { ...NEW, id: 'nieuws', category: 'purpose_marketing', 'bases_A6-1-a': 'yes', basesShown: 'A6-1-a' })).statusCode, 303);
  assert.deepEqual((await getPurpose(h.deps, 'nieuws')).bases, ['A6-1-a']);
});
