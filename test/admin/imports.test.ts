// The Imports pages: upload a file, see the first rows as they will be read with a column mapping, import with
// the stated provenance and read the report with the refused line; per role and with CSRF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminClient } from '../support/admin.js';
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
  assert.match(report.body, /data-label="Regel">3</);
  const jan = await contactByEmail(h.deps.db, 'jan@example.nl');
  assert.equal(jan?.first_name, 'Jan');
  assert.equal(await contactByEmail(h.deps.db, 'kapot adres'), undefined);
  const again = await editor.post('/admin/imports/run', chosen);
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Upload het opnieuw/, 'the staged file is gone after the import');
  assert.match((await viewer.get('/admin/imports')).body, /own_form_export|form/);
});
