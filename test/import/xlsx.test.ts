import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { DomainError } from '../../src/services/errors.js';

/** A webshop's customer file as Excel saves it: Dutch headers, real date cells, rich text, an empty row. */
async function workbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Klanten');
  ws.addRow(['Klantnummer', 'Voornaam', 'Achternaam', 'E-mailadres', 'Laatste bestelling', 'Productgroep', 'Afmelden aangeboden bij bestelling']);
  ws.addRow(['K1', 'José', 'Müller', 'Jose.Muller@Example.NL', new Date(Date.UTC(2025, 4, 10)), 'Thee', 'ja']);
  ws.addRow(['K2', { richText: [{ text: 'Ann' }, { text: 'ie' }] }, 'de Vries', 'annie@example.nl', new Date(Date.UTC(2024, 0, 31)), 'Servies', 'alleen in voorwaarden']);
  ws.addRow([]);
  ws.addRow(['K3', 'Fout', '', 'geen-adres', new Date(Date.UTC(2024, 0, 31)), 'Thee', 'nee']);
  ws.addRow(['K4', 'Te', 'Veel', 'teveel@example.nl', new Date(Date.UTC(2024, 0, 31)), 'Thee', 'ja', 'extra']);
  await wb.xlsx.writeFile(path);
}

describe('Excel (.xlsx) import', () => {
  it('imports the first sheet with the same rules and report as CSV', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const path = join(mkdtempSync(join(tmpdir(), 'consentry-xlsx-')), 'klanten.xlsx');
      await workbook(path);
      const r = await importCsv(w.deps, { path, preset: 'webshop-klanten', purposeId: 'tips' });
      assert.equal(r.files[0]!.created, 2);
      assert.deepEqual(r.refused.map((x) => x.line), [5, 6]);
      assert.match(r.refused[0]!.reason, /e-mail/);
      assert.match(r.refused[1]!.reason, /row 6 has 8 filled cells where the header has 7/);
      const jose = (await contactByEmail(store.db, 'jose.muller@example.nl'))!;
      assert.deepEqual([jose.first_name, jose.last_name], ['José', 'Müller']);
      const annie = (await contactByEmail(store.db, 'annie@example.nl'))!;
      assert.equal(annie.first_name, 'Annie');
      const purchase = await store.db.selectFrom('purchases').selectAll().where('contact_id', '=', jose.id).executeTakeFirstOrThrow();
      assert.deepEqual([purchase.product_category, purchase.purchased_at.slice(0, 10), purchase.opt_out_offered], ['Thee', '2025-05-10', 'clear']);
    } finally {
      await store.dispose();
    }
  });

  it('refuses a file that is not a workbook, storing nothing', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const path = join(mkdtempSync(join(tmpdir(), 'consentry-xlsx-')), 'kapot.xlsx');
      writeFileSync(path, 'dit is geen Excel-bestand');
      await assert.rejects(importCsv(w.deps, { path, preset: 'webshop-klanten', purposeId: 'tips' }), (e: DomainError) => e.field === 'file' && /not a readable Excel workbook/.test(e.message));
      const n = await store.db.selectFrom('imports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    } finally {
      await store.dispose();
    }
  });
});
