/**
 * Every line an import names is the line a person finds in an editor (issue 13 item 11: an error named a line
 * beyond the file's end): CRLF, LF and lone CR line ends, quoted cells with line breaks, empty lines, a quote left
 * open at the end, Excel's semicolon export.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DomainError } from '../../src/services/errors.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { readRecords, sniffFormat, type ByteSource } from '../../src/services/lists/import/csv-stream.js';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';

const tmp = mkdtempSync(join(tmpdir(), 'consentry-lines-'));
/** The file's lines as an editor shows them (CRLF, LF and a lone CR each end one). */
const editorLines = (text: string) => text.split(/\r\n|\n|\r/);

/** A source that hands out `text` in chunks of `size` bytes, so line ends fall across chunk boundaries. */
const chunked = (text: string, size: number): ByteSource => ({
  name: 'lijst.csv',
  open: async () => {
    const b = Buffer.from(text);
    const parts: Buffer[] = [];
    for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
    return Readable.from(parts);
  },
});

/** The malformed-file error of reading `text`, or null when it reads. */
async function readError(text: string, size: number): Promise<DomainError | null> {
  const src = chunked(text, size);
  try {
    for await (const _ of readRecords(src, await sniffFormat(src)));
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

describe('CSV lines named in errors and refusals', () => {
  const unclosed: Record<string, string> = {
    'CRLF, quote opened on the last line': 'E-mail,Naam\r\nanna@example.nl,Anna\r\n"bram@example.nl,Bram\r\n',
    'LF, quote opened on the last line': 'E-mail,Naam\nanna@example.nl,Anna\n"bram@example.nl,Bram\n',
    'no line end after the open quote': 'E-mail,Naam\nanna@example.nl,Anna\n"bram@example.nl,Bram',
    'semicolons and CRLF, after a quoted cell with a line break': 'E-mail;Naam\r\nanna@example.nl;"Anna\r\nde Vries"\r\n"bram@example.nl;Bram\r\ncees@example.nl;Cees\r\n',
  };
  for (const [name, text] of Object.entries(unclosed))
    it(`a quote never closed names the line its row begins on, within the file (${name})`, async () => {
      const want = editorLines(text).findIndex((l) => l.startsWith('"bram')) + 1;
      for (const size of [1, 2, 7, 64 * 1024]) {
        const e = await readError(text, size);
        assert.ok(e, `refused (chunks of ${size})`);
        assert.equal(e.code, 'import-csv-malformed');
        assert.deepEqual(e.params, { line: want }, `chunks of ${size}`);
        assert.equal(e.message, `lijst.csv: the CSV is malformed: a quote (") in the row that begins on line ${want} is never closed`);
      }
    });

  it('a large file with a stray quote deep inside names its line, whatever the parser still buffers', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `p${i}@example.com;Naam ${i}`);
    rows[2500] = 'p2500@example.com;"Naam 2500';
    const e = await readError(`Email;Name\r\n${rows.join('\r\n')}\r\n`, 4096);
    assert.deepEqual(e?.params, { line: 2502 });
  });

  it('refused rows name the line where their row begins: CRLF, LF, lone CR, quoted line breaks, empty lines, Excel semicolons', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const files: Record<string, string> = {
        // Excel (nl): semicolons, CRLF, a cell with Alt+Enter line breaks (LF inside quotes), empty lines at the end.
        'excel.csv': 'E-mailadres;Voornaam;Opmerking\r\nanna@example.nl;Anna;"regel een\nregel twee\nregel drie"\r\ngeen-adres;Bram;\r\ncees@example.nl;Cees;"a;b"\r\nook fout;Dirk;x\r\n\r\n\r\n',
        // LF with empty lines between rows and a quoted CRLF break.
        'lf.csv': 'Email,Name\n\nanna@example.nl,"Anna\r\nA"\n\nfout,Bram\n',
        // Classic Mac line ends (lone CR), also inside quotes.
        'cr.csv': 'Email,Name\r"anna@example.nl","An\rna"\rfout,Bram\r',
        // A wrong field count after a multi-line cell.
        'count.csv': 'Email,Name\r\n"anna@example.nl","A\r\nB\r\nC"\r\nbram@example.nl,Bram,extra\r\n',
      };
      for (const [name, text] of Object.entries(files)) {
        const path = join(tmp, name);
        writeFileSync(path, text);
        const report = await importCsv(w.deps, { path, source: 'trade_fair', purposeId: 'tips', evidenceRef: 'Horecava 2026' });
        const lines = editorLines(text);
        assert.ok(report.refused.length > 0, name);
        for (const r of report.refused) {
          assert.ok(r.line >= 2 && r.line <= lines.length, `${name}: line ${r.line} lies within the file's ${lines.length} lines`);
          assert.match(lines[r.line - 1]!, /^(geen-adres|ook fout|fout|bram@)/, `${name}: line ${r.line} is "${lines[r.line - 1]}"`);
        }
        assert.deepEqual(
          report.refused.map((r) => r.line),
          { 'excel.csv': [5, 7], 'lf.csv': [6], 'cr.csv': [4], 'count.csv': [5] }[name],
          name,
        );
      }
    } finally {
      await store.dispose();
    }
  });
});
