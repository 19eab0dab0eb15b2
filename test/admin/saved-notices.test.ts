// After saving the item a purpose delivers, and the mail branding, the page opens at the top where the "Saved"
// notice is (the forms' own fragments would scroll past it); the item's text says it goes out after confirmation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness } from '../support/admin.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { purposeMail } from '../../src/services/consent/welcome.js';

test('saved notices: the delivered item and the branding land on the "Saved" notice; the item text says when it goes out', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  await createPurpose(h.deps, {
    id: 'ebook', name_nl: 'Koffiegids', name_en: 'Coffee guide', description_nl: 'Onze gids.', description_en: 'Our guide.',
    category: 'service', bases: ['A6-1-b'], doubleOptIn: true,
  });

  const page = await owner.get('/admin/purposes/ebook');
  assert.match(page.body, /krijgt eerst een bevestigingsmail\. Zodra die persoon het e-mailadres bevestigt, gaat er één dienstbericht/);
  assert.doesNotMatch(page.body, /direct een dienstbericht/);
  assert.match((await owner.get('/admin/purposes/ebook?lang=en')).body, /first gets a confirmation mail\. As soon as that person confirms the e-mail address, one service message goes out/);

  const saved = await owner.post('/admin/purposes/ebook/item', { item: 'url', itemUrl: 'https://deboon.example/gids.pdf' });
  assert.equal(saved.statusCode, 303);
  assert.equal(saved.headers.location, '/admin/purposes/ebook#main');
  assert.equal((await purposeMail(h.deps, 'ebook')).itemUrl, 'https://deboon.example/gids.pdf');
  assert.match((await owner.get('/admin/purposes/ebook')).body, /<main id="main">\n<h1>[^<]*<\/h1>\n<p class="flash" role="status">Opgeslagen\./);

  const boundary = '----consentry-saved-test';
  const fields = { _csrf: await owner.csrf('/admin/organisation'), logo: '', logoUrl: '', accentColour: '#7a4b2a' };
  const body = Buffer.from([
    ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    `--${boundary}\r\nContent-Disposition: form-data; name="logoFile"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`,
    `--${boundary}--\r\n`,
  ].join(''));
  const branding = await h.app.inject({
    method: 'POST', url: '/admin/organisation/branding',
    headers: { cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  assert.equal(branding.statusCode, 303, branding.body.slice(0, 300));
  assert.equal(branding.headers.location, '/admin/organisation#main');
  const flash = [branding.headers['set-cookie']].flat().find((c) => c?.startsWith('consentry_flash='))!.split(';')[0]!;
  const after = await h.app.inject({ method: 'GET', url: '/admin/organisation', headers: { cookie: [...[...owner.cookies].map(([k, v]) => `${k}=${v}`), flash].join('; ') } });
  assert.match(after.body, /<p class="flash" role="status">Opgeslagen\.<\/p>/);
});
