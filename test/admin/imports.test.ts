// The Imports pages: upload a file, see the first rows as they will be read with a column mapping, import with
// the stated provenance and read the report with the refused line; per role and with CSRF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminClient } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { contactByEmail } from '../../src/store/contacts.js';

const CSV = 'Adres;Voornaam;Aangemeld op\njan@example.nl;Jan;2024-03-01 10:00\nkapot adres;Kees;2024-03-02 10:00\npiet@example.nl;Piet;2024-03-03 10:00\n';

/** Posts a multipart form with one file, as a browser does. */
async function upload(h: Awaited<ReturnType<typeof adminHarness>>, c: AdminClient, fields: Record<string, string>, file: { name: string; body: string }, csrf = true) {
  const boundary = '----consentry-test';
  const parts = Object.entries({ ...(csrf ? { _csrf: await c.csrf('/admin/imports') } : {}), ...fields }).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.body}\r\n--${boundary}--\r\n`);
  return h.app.inject({
    method: 'POST', url: '/admin/imports/preview',
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: parts.join(''),
  });
}

test('imports: upload, choose the columns on the preview, import, report with the refused line; viewers and missing tokens refused', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const viewer = await h.as('viewer');
  const provenance = { purpose: 'tips', preset: '', source: 'own_form_export', basis: 'A6-1-a', date: '', evidence: 'Aanmeldformulier website, export 2024', namesUs: 'no', namesPurpose: 'no' };

  assert.equal((await upload(h, viewer, provenance, { name: 'lijst.csv', body: CSV })).statusCode, 403);
  assert.equal((await upload(h, editor, provenance, { name: 'lijst.csv', body: CSV }, false)).statusCode, 403);
  const wrongType = await upload(h, editor, provenance, { name: 'lijst.pdf', body: CSV });
  assert.equal(wrongType.statusCode, 400);
  assert.match(wrongType.body, /id="file-error">Kies een .csv-/);

  // "Adres" is no usual name for an e-mail column: the preview asks which column holds the address, with a
  // select per column, the recognised ones chosen, and each column's first values as a hint.
  const first = await upload(h, editor, provenance, { name: 'lijst.csv', body: CSV });
  assert.equal(first.statusCode, 400, first.body.slice(0, 300));
  assert.match(first.body, /Kies bij één kolom “e-mailadres”/);
  assert.match(first.body, /<label for="col\.0">Adres<\/label>/);
  assert.match(first.body, /Bijvoorbeeld: jan@example\.nl · kapot adres · piet@example\.nl/);
  assert.match(first.body, /<select id="col\.1" name="col\.1"[^>]*>[\s\S]*?<option value="first_name" selected>/);
  assert.match(first.body, /<select id="col\.2" name="col\.2"[^>]*>[\s\S]*?<option value="optin_time" selected>/);
  const id = /name="upload" value="([0-9a-f]{32})"/.exec(first.body)![1]!;
  assert.equal(await contactByEmail(h.deps.db, 'jan@example.nl'), undefined, 'a preview stores nothing');

  const staged = { ...provenance, upload: id, name: 'lijst.csv', columnsFor: '' };
  const twice = await editor.post('/admin/imports/preview', { ...staged, 'col.0': 'email', 'col.1': 'email', 'col.2': 'optin_time' });
  assert.equal(twice.statusCode, 400);
  assert.match(twice.body, /hetzelfde gegeven bij twee kolommen/);
  const chosen = { ...staged, 'col.0': 'email', 'col.1': 'first_name', 'col.2': 'optin_time' };
  const preview = await editor.post('/admin/imports/preview', chosen);
  assert.equal(preview.statusCode, 200, preview.body.slice(0, 300));
  assert.match(preview.body, /e-mailadres ← Adres/);
  assert.match(preview.body, /<td[^>]*>jan@example\.nl<\/td>/);
  // Changing the file type drops the choices: the preset and the usual names decide again.
  const otherPreset = await editor.post('/admin/imports/preview', { ...chosen, preset: 'mailchimp' });
  assert.equal(otherPreset.statusCode, 400);

  await h.assertRefused(['viewer'], '/admin/imports/run', chosen, '/admin');
  const report = await editor.post('/admin/imports/run', chosen);
  assert.equal(report.statusCode, 200, report.body.slice(0, 300));
  assert.match(report.body, /Importverslag/);
  assert.match(report.body, /<div class="import-counts"><div class="table-wrap"><table class="stack">/, "the counts table scrolls in its frame, file names kept whole");
  assert.match(report.body, /data-label="Regel">3</);
  // The reason in Dutch, naming the field and the value, with its code small under it; not the CLI's English.
  assert.match(report.body, /e-mailadres: “kapot adres” is geen geldig e-mailadres\.<br><code class="small">address-invalid<\/code>/);
  assert.doesNotMatch(report.body, /has no @/);
  const jan = await contactByEmail(h.deps.db, 'jan@example.nl');
  assert.equal(jan?.first_name, 'Jan');
  assert.equal(await contactByEmail(h.deps.db, 'kapot adres'), undefined);
  const again = await editor.post('/admin/imports/run', chosen);
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Upload het opnieuw/, 'the staged file is gone after the import');
  assert.match((await viewer.get('/admin/imports')).body, /own_form_export|form/);
});

test('imports report: the uploaded name, duplicates in the file, and who may be mailed for the purpose with the gate’s reason and what to do', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  // A webshop's customers, without a preset: the Dutch headers are recognised; one address twice.
  const csv = 'Klantnummer;Voornaam;E-mailadres;Laatste bestelling;Productgroep;Afmelden aangeboden bij bestelling\n' +
    'K1;Piet;piet@mail.example;23-02-2024;Thee;ja\nK2;Ans;ans@mail.example;12-09-2024;Thee;ja\nK1;Piet;PIET@mail.example;23-02-2024;Thee;ja\n';
  const provenance = { purpose: 'tips', preset: '', source: 'customer_records', basis: 'A6-1-a', date: '', evidence: '', namesUs: 'no', namesPurpose: 'no' };
  const preview = await upload(h, editor, provenance, { name: 'webshop-klanten.csv', body: csv });
  assert.equal(preview.statusCode, 200, preview.body.slice(0, 500));
  for (const f of ['customer_no', 'last_order', 'product_group', 'opt_out_offered']) {
    assert.match(preview.body, new RegExp(`<option value="${f}" selected>`), `${f} recognised without a preset`);
  }
  const id = /name="upload" value="([0-9a-f]{32})"/.exec(preview.body)![1]!;
  const report = await editor.post('/admin/imports/run', { ...provenance, upload: id, name: 'webshop-klanten.csv' });
  assert.equal(report.statusCode, 200, report.body.slice(0, 500));
  assert.match(report.body, /webshop-klanten\.csv \(contacten\)/, 'the uploaded name, not the staged file’s');
  assert.doesNotMatch(report.body, /[0-9a-f]{32}\.csv/);
  assert.match(report.body, /Dubbel in het bestand \(samengevoegd\)/);
  assert.match(report.body, /data-label="Dubbel in het bestand \(samengevoegd\)">1</);
  assert.match(report.body, /Wie mag u nu mailen voor “Koffietips”\?/);
  assert.match(report.body, /Van de 2 geïmporteerde contacten mag u er nu 0 mailen voor dit doel; 2 niet/);
  assert.match(report.body, /data-label="Niet te mailen">2</);
  assert.match(report.body, /importeer ze voor een doel voor klantmarketing/);
});

test('a basis the purpose does not accept is refused next to the field, naming the purposes that accept it; nothing is stored (nl, en)', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const csv = 'Klantnummer;E-mailadres;Laatste bestelling;Productgroep;Afmelden aangeboden bij bestelling\nK1;piet@mail.example;23-02-2024;Thee;ja\n';
  const provenance = { purpose: 'tips', preset: '', source: 'customer_records', basis: 'A6-1-f', date: '', evidence: '', namesUs: 'no', namesPurpose: 'no' };
  const run = async (lang: string) => {
    const preview = await upload(h, editor, provenance, { name: 'klanten.csv', body: csv });
    const id = /name="upload" value="([0-9a-f]{32})"/.exec(preview.body)![1]!;
    return editor.post(`/admin/imports/run?lang=${lang}`, { ...provenance, upload: id, name: 'klanten.csv' });
  };
  const none = await run('nl');
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /id="basis-error"[^>]*>[^<]*Het doel “Koffietips” \(tips\) aanvaardt grondslag A6-1-a, niet A6-1-f; er is niets geïmporteerd\. Geen enkel doel aanvaardt A6-1-f: maak eerst zo’n doel/);
  assert.equal((await h.deps.db.selectFrom('contacts').select('id').execute()).length, 0, 'nothing stored');
  assert.equal((await h.deps.db.selectFrom('imports').select('id').execute()).length, 0, 'no import begun');

  await createPurpose(h.deps, { id: 'klanten', name_nl: 'Klantaanbiedingen', name_en: 'Customer offers', description_nl: 'Aanbiedingen.', description_en: 'Offers.', category: 'customer_marketing' });
  const en = await run('en');
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /id="basis-error"[^>]*>[^<]*The purpose “Coffee tips” \(tips\) accepts lawful basis A6-1-a, not A6-1-f; nothing was imported\. Purposes that accept A6-1-f: “Customer offers” \(klanten\)\./);
  assert.equal((await h.deps.db.selectFrom('contacts').select('id').execute()).length, 0, 'still nothing stored');
});

test('imports report: trade-fair cards into a newsletter are not mailable (TRADE_FAIR_NO_CONSENT), in English too', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const csv = 'Naam,Bedrijf,E-mail,Beurs,Verzameld door,Rechtsvorm\nStijn El Amrani,Amrani,stijn@amrani.example,Vakbeurs 2026,Tom,bv\n';
  const provenance = { purpose: 'tips', preset: 'beurs-visitekaartjes', source: 'trade_fair', basis: 'A6-1-a', date: '', evidence: '', namesUs: 'no', namesPurpose: 'no' };
  const preview = await upload(h, editor, provenance, { name: 'beurs.csv', body: csv });
  assert.equal(preview.statusCode, 200, preview.body.slice(0, 500));
  const id = /name="upload" value="([0-9a-f]{32})"/.exec(preview.body)![1]!;
  const report = await editor.post('/admin/imports/run?lang=en', { ...provenance, upload: id, name: 'beurs.csv' });
  assert.equal(report.statusCode, 200, report.body.slice(0, 500));
  assert.match(report.body, /<code>TRADE_FAIR_NO_CONSENT<\/code>/);
  assert.match(report.body, /persoonlijk|Follow up personally/i);
});

test('imports: a quote inside an unquoted cell is text; a quoted field never closed is refused in Dutch with its line and what to fix', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const editor = await h.as('editor');
  const provenance = { purpose: 'tips', preset: '', source: 'own_form_export', basis: 'A6-1-a', date: '', evidence: 'Formulier 2024', namesUs: 'no', namesPurpose: 'no' };
  const tolerant = await upload(h, editor, provenance, { name: 'links.csv', body: 'E-mail;Voornaam;Link\njan@example.nl;Jan;=HYPERLINK("https://x.example")\n' });
  assert.equal(tolerant.statusCode, 200, tolerant.body.slice(0, 500));
  const id = /name="upload" value="([0-9a-f]{32})"/.exec(tolerant.body)![1]!;
  const report = await editor.post('/admin/imports/run', { ...provenance, upload: id, name: 'links.csv' });
  assert.equal(report.statusCode, 200, report.body.slice(0, 500));
  assert.ok(await contactByEmail(h.deps.db, 'jan@example.nl'));

  const broken = await upload(h, editor, provenance, { name: 'kapot.csv', body: 'E-mail;Voornaam\npiet@example.nl;Piet\n"kees@example.nl;Kees\n' });
  const id2 = /name="upload" value="([0-9a-f]{32})"/.exec(broken.body)?.[1];
  const run = id2 ? await editor.post('/admin/imports/run', { ...provenance, upload: id2, name: 'kapot.csv' }) : broken;
  assert.equal(run.statusCode, 400);
  assert.match(run.body, /Regel 3 van het bestand is niet te lezen/);
  assert.doesNotMatch(run.body, /Quote Not Closed|Invalid Closing Quote|[0-9a-f]{32}\.csv/);
  assert.equal(await contactByEmail(h.deps.db, 'piet@example.nl'), undefined, 'nothing stored');
});

test('screenshots: a basis the purpose does not accept, refused next to the field (nl/en, 1280/390)', { skip: browserSkip }, async (t) => {
  const b = await adminBrowser(t);
  await createPurpose(b.h.deps, { id: 'klanten', name_nl: 'Klantaanbiedingen', name_en: 'Customer offers', description_nl: 'Aanbiedingen.', description_en: 'Offers.', category: 'customer_marketing' });
  const page = await b.signedIn();
  const csv = 'Klantnummer;E-mailadres;Laatste bestelling;Productgroep;Afmelden aangeboden bij bestelling\nK1;piet@mail.example;23-02-2024;Thee;ja\n';
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const lang of ['nl', 'en']) {
      await page.goto('/admin/imports');
      // The language of the answers to the POSTs: the switch (a ?lang on the GET is for that page only).
      await Promise.all([page.waitForLoadState('load'), page.click(`form[action="/admin/language"] button[value=${lang}]`)]);
      await page.setInputFiles('#file', { name: 'klanten.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.selectOption('#purpose', 'tips');
      await page.selectOption('#source', 'customer_records');
      await page.selectOption('#basis', 'A6-1-f');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/imports/preview"] button[type=submit]')]);
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/imports/run"] button[type=submit]:not([formaction])')]);
      assert.match(await page.locator('#basis-error').innerText(), lang === 'nl' ? /Klantaanbiedingen/ : /Customer offers/);
      await b.shot(page, 'import-basis-refused');
    }
  }
  assert.equal((await b.h.deps.db.selectFrom('contacts').select('id').execute()).length, 0);
});
