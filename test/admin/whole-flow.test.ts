// The admin app's whole flow in Chromium with JavaScript off, as a new owner does it: sign in, create a purpose
// and a form that offers it, import a semicolon CSV whose e-mail column has an unusual name (chosen on the
// preview), read the report with its refused line, find an imported contact, open its proof of consent and erase
// it in two steps. Screenshots of each step in test-artifacts/admin/flow-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contactByEmail } from '../../src/store/contacts.js';
import { purposeById } from '../../src/store/purposes.js';
import { adminBrowser, browserSkip } from '../support/browser.js';

const CSV = 'Adres;Voornaam;Aangemeld op;Plaats\nanna@example.nl;Anna;2024-03-01 10:00;Utrecht\ngeen-adres;Kees;2024-03-02 10:00;Zeist\nbram@example.nl;Bram;2024-03-03 10:00;Houten\n';

test('admin flow in Chromium: purpose → form → import with chosen columns → contact → proof → erasure', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const b = await adminBrowser(t);
  const page = await b.signedIn();
  const submit = (action: string) => Promise.all([page.waitForLoadState('load'), page.click(`form[action="${action}"] button[type=submit]`)]);

  // A purpose: the e-book's newsletter, on consent.
  await page.goto('/admin/purposes');
  await page.fill('#id', 'ebook-tips');
  await page.fill('#name_nl', 'E-booktips');
  await page.fill('#name_en', 'E-book tips');
  await page.fill('#description_nl', 'Maandelijkse tips bij ons e-book over koffie zetten.');
  await page.fill('#description_en', 'Monthly tips with our e-book on making coffee.');
  await page.selectOption('#category', 'purpose_marketing');
  await page.check('#bases_A6-1-a');
  await page.check('#doubleOptIn');
  await submit('/admin/purposes');
  assert.equal(new URL(page.url()).pathname, '/admin/purposes/ebook-tips', await page.locator('.alert, .error-text').allInnerTexts().then((x) => x.join(' | ')));
  assert.ok(await purposeById(b.h.deps.db, 'ebook-tips'));
  await b.shot(page, 'flow-1-purpose');

  // A form that offers it.
  await page.goto('/admin/forms');
  await page.fill('#id', 'ebook');
  await page.fill('#name', 'E-book aanmelding');
  await page.check('#purposes_ebook-tips');
  await page.check('#doubleOptIn');
  await submit('/admin/forms');
  assert.equal(new URL(page.url()).pathname, '/admin/forms/ebook', await page.locator('.alert, .error-text').allInnerTexts().then((x) => x.join(' | ')));
  assert.match(await page.content(), /\/f\/ebook/, 'the hosted URL is shown');
  await b.shot(page, 'flow-2-form');

  // Import: upload, choose the e-mail column on the preview, state the evidence, import, read the report.
  const file = join(mkdtempSync(join(tmpdir(), 'consentry-flow-')), 'aanmeldingen.csv');
  writeFileSync(file, CSV);
  await page.goto('/admin/imports');
  await page.setInputFiles('#file', file);
  await page.selectOption('#purpose', 'ebook-tips');
  await page.selectOption('#source', 'own_form_export');
  await page.fill('#evidence', 'Aanmeldformulier website, export maart 2024');
  await submit('/admin/imports/preview');
  assert.match(await page.locator('.alert').innerText(), /e-mailadres/);
  await b.shot(page, 'flow-3-columns');
  await page.selectOption('select[name="col.0"]', 'email');
  await Promise.all([page.waitForLoadState('load'), page.click('button[formaction="/admin/imports/preview"]')]);
  assert.equal(await page.locator('.alert').count(), 0);
  assert.match(await page.locator('table').first().innerText(), /anna@example\.nl/);
  await b.shot(page, 'flow-4-preview');
  await submit('/admin/imports/run');
  assert.match(await page.locator('h1').innerText(), /Importverslag/);
  assert.match(await page.locator('table').last().innerText(), /3/, 'the refused line is named');
  await b.shot(page, 'flow-5-report');

  // Find the contact, open it and its proof.
  await page.goto('/admin/contacts');
  await page.fill('#q', 'anna@');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/contacts"][method="get"] button[type=submit]')]);
  const rows = await page.locator('table tbody tr').allInnerTexts();
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0]!, /anna@example\.nl/);
  await Promise.all([page.waitForLoadState('load'), page.click('a:has-text("anna@example.nl")')]);
  assert.match(await page.content(), /E-booktips|ebook-tips/);
  await b.shot(page, 'flow-6-contact');
  const contactPath = new URL(page.url()).pathname;
  await Promise.all([page.waitForLoadState('load'), page.click(`a[href="${contactPath}/proof"]`)]);
  const proof = await page.locator('body').innerText();
  assert.match(proof, /Bewijs van toestemming — anna@example\.nl/, 'the proof speaks the language of the admin app');
  assert.match(proof, /Aanmeldformulier website, export maart 2024/);
  await b.shot(page, 'flow-7-proof');

  // Erase: the first click asks, the second erases.
  await page.goto(contactPath);
  await submit(`${contactPath}/erase`);
  assert.ok(await contactByEmail(b.h.deps.db, 'anna@example.nl'), 'asking changes nothing');
  await b.shot(page, 'flow-8-erase-confirm');
  await Promise.all([page.waitForLoadState('load'), page.click('button.danger')]);
  assert.equal(await contactByEmail(b.h.deps.db, 'anna@example.nl'), undefined);
  assert.ok(await contactByEmail(b.h.deps.db, 'bram@example.nl'), 'the other contact stays');
  await b.shot(page, 'flow-9-erased');
});
