import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previewCsv } from '../../src/services/lists/import/csv-preview.js';
import { DomainError } from '../../src/services/errors.js';

it('previews the first rows as the importer reads them: delimiter, preset or explicit mapping, refused mapping named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-preview-'));
  const file = join(dir, 'lijst.csv');
  writeFileSync(file, '\ufeffE-mailadres;Naam;Plaats\njan@example.nl;Jan;Utrecht\n"piet@example.nl";Piet;"Den Haag"\nkees@example.nl;Kees\n');
  const p = await previewCsv({ path: file, map: 'email=E-mailadres,first_name=Naam', rows: 2 });
  assert.deepEqual(p.format, { delimiter: ';', encoding: 'utf8' });
  assert.deepEqual(p.header, ['E-mailadres', 'Naam', 'Plaats']);
  assert.deepEqual(p.columns, { email: 'E-mailadres', first_name: 'Naam' });
  assert.deepEqual(p.attributes, ['Plaats']);
  assert.deepEqual(p.rows.map((r) => [r.line, r.values.email, r.values.first_name]), [[2, 'jan@example.nl', 'Jan'], [3, 'piet@example.nl', 'Piet']]);
  const all = await previewCsv({ path: file, map: 'email=E-mailadres' });
  assert.match(all.rows[2]!.problem?.reason ?? '', /field/i);
  assert.equal(all.rows[2]!.problem?.code, 'field-count');
  // A mapping that does not fit still shows the file, with the reason and the columns it could recognise.
  const missing = await previewCsv({ path: file, map: 'email=Mail' });
  assert.equal(missing.mappingError?.field, 'map');
  assert.deepEqual(missing.byColumn, ['email', 'name', null]);
  assert.deepEqual(missing.rows[0]!.cells, ['jan@example.nl', 'Jan', 'Utrecht']);
  // One choice per column is the whole mapping: "Naam" is kept as an attribute when so chosen.
  const chosen = await previewCsv({ path: file, columns: ['email', null, 'company'] });
  assert.deepEqual(chosen.columns, { email: 'E-mailadres', company: 'Plaats' });
  assert.deepEqual(chosen.attributes, ['Naam']);
  assert.deepEqual(chosen.byColumn, ['email', null, 'company']);
  assert.equal((await previewCsv({ path: file, columns: ['email', 'company', 'company'] })).mappingError?.code, 'import-column-twice');
  assert.equal((await previewCsv({ path: file, columns: [null, 'name', null] })).mappingError?.code, 'import-no-email-column');
  assert.equal((await previewCsv({ path: file, columns: ['email', null] })).mappingError?.code, 'import-columns-changed');
  await assert.rejects(previewCsv({ path: file, preset: 'nope' }), (e: unknown) => e instanceof DomainError && e.field === 'preset');
  const shop = await previewCsv({ path: 'test/fixtures/webshop-klanten.csv', preset: 'webshop-klanten', rows: 1 });
  assert.ok(shop.columns.email);
  assert.equal(shop.rows.length, 1);
});
