import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { DomainError } from '../../src/services/errors.js';
import { importCsv, type CsvInput } from '../../src/services/lists/import/csv-import.js';
import { encodingName, sniffFormat, utf16ByNuls, type ByteSource } from '../../src/services/lists/import/csv-stream.js';
import { sqliteStore, type TestStore } from '../support/stores.js';
import { permissionByEmail, setUp, tableCounts } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'consentry-enc-'));
/** Writes a hand-made input file (string as UTF-8, or bytes as given). */
const file = (name: string, content: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const rejectsWith = (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: unknown) => e instanceof DomainError && re.test(e.message));
const TEXT = 'E-mail;Voornaam;Achternaam\r\njose@example.es;José;Müller\r\nine@example.nl;Ïne;Açar\r\n';
/** ASCII rows enough to fill the 64 KiB the format is sniffed from. */
const FILLER = Array.from({ length: 3000 }, (_, i) => `vul${i}@example.nl;Vul;Ler${i}\r\n`).join('');

type Run = (i: Omit<CsvInput, 'purposeId' | 'source' | 'date'>) => ReturnType<typeof importCsv>;
async function withStore(fn: (run: Run, store: TestStore) => Promise<void>): Promise<void> {
  const store = await sqliteStore();
  try {
    const deps = await setUp(store);
    await fn((i) => importCsv(deps, { purposeId: 'tips', source: 'own_form_export', date: '2024-01-01', ...i }), store);
  } finally {
    await store.dispose();
  }
}
const EMPTY = { contacts: 0, suppressions: 0, permissions: 0, events: 0, imports: 0, purchases: 0 };

describe('encodings', () => {
  it('refuses a single-byte --encoding on a file in UTF-8, which would be stored as "JosÃ©", storing nothing', () =>
    withStore(async (run, store) => {
      const utf8 = file('utf8.csv', TEXT);
      for (const encoding of ['windows-1252', 'latin1', 'ISO-8859-1']) {
        await rejectsWith(run({ path: utf8, encoding }), new RegExp(`valid UTF-8 .*first 64 KiB.*as ${encoding}.*leave out --encoding or give utf-8`));
      }
      // Accents only after the sniffed prefix: the first reading pass still finds them.
      await rejectsWith(run({ path: file('late.csv', `E-mail;Voornaam;Achternaam\r\n${FILLER}jose@example.es;José;Müller\r\n`), encoding: 'windows-1252' }), /valid UTF-8 .*after its first 64 KiB.*give utf-8/);
      // A UTF-8 byte-order mark contradicts windows-1252 as well.
      await rejectsWith(run({ path: file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Email\nx@example.com\n')])), encoding: 'latin1' }), /valid UTF-8/);
      assert.deepEqual(await tableCounts(store), EMPTY);
      // Left out or given as utf-8, the same file reads right.
      const r = await run({ path: utf8, encoding: 'utf-8' });
      assert.equal(r.files[0]!.created, 2);
      assert.equal((await permissionByEmail(store, 'jose@example.es'))!.first_name, 'José');
    }));

  it('a real Windows-1252 file, and a plain-ASCII one, still read with --encoding windows-1252 or latin1', () =>
    withStore(async (run, store) => {
      const r = await run({ path: file('cp1252.csv', iconv.encode(`${TEXT}euro@example.nl;€uro;“Quote”\r\n`, 'win1252')), encoding: 'latin1' });
      assert.equal(r.files[0]!.created, 3);
      assert.deepEqual([(await permissionByEmail(store, 'ine@example.nl'))!.last_name, (await permissionByEmail(store, 'euro@example.nl'))!.first_name], ['Açar', '€uro']);
      const ascii = await run({ path: file('ascii.csv', `E-mail;Voornaam;Achternaam\r\n${FILLER}`), encoding: 'windows-1252' });
      assert.equal(ascii.files[0]!.created, 3000);
    }));

  it('reads UTF-16LE and UTF-16BE without a byte-order mark, told by their NUL bytes', () =>
    withStore(async (run, store) => {
      const le = await run({ path: file('le.csv', iconv.encode(TEXT, 'utf16le')) });
      assert.equal(le.files[0]!.created, 2);
      assert.equal((await permissionByEmail(store, 'ine@example.nl'))!.first_name, 'Ïne');
      const be = await run({ path: file('be.tsv', iconv.encode('E-mail\tVoornaam\nbe@example.nl\tBjörn\n', 'utf16be')) });
      assert.equal(be.files[0]!.created, 1);
      assert.equal((await permissionByEmail(store, 'be@example.nl'))!.first_name, 'Björn');
      // `utf-16` without LE/BE follows the bytes.
      const given = await run({ path: file('be2.csv', iconv.encode('Email,Naam\nbe2@example.nl,Zoë\n', 'utf16be')), encoding: 'utf-16' });
      assert.equal(given.files[0]!.created, 1);
    }));

  it('refuses an --encoding that contradicts UTF-16, naming the encoding the file is in', () =>
    withStore(async (run, store) => {
      await rejectsWith(run({ path: file('le2.csv', iconv.encode(TEXT, 'utf16le')), encoding: 'utf-8' }), /le2\.csv is UTF-16LE \(it has a NUL byte beside every other character\); leave out --encoding or give utf-16le/);
      await rejectsWith(run({ path: file('be3.csv', iconv.encode(TEXT, 'utf16be')), encoding: 'windows-1252' }), /is UTF-16BE .*give utf-16be/);
      const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf16le')]);
      await rejectsWith(run({ path: file('bom16.csv', bom), encoding: 'utf-8' }), /is UTF-16LE \(it starts with its byte-order mark\)/);
      assert.deepEqual(await tableCounts(store), EMPTY);
    }));

  it('tells UTF-16 by its NUL bytes only where they follow the pattern', () => {
    assert.equal(utf16ByNuls(iconv.encode('E-mail,Naam\n', 'utf16le')), 'utf16le');
    assert.equal(utf16ByNuls(iconv.encode('E-mail,Naam\n', 'utf16be')), 'utf16be');
    // Mostly non-Latin text still has enough ASCII pairs in a CSV header and its addresses.
    assert.equal(utf16ByNuls(iconv.encode('E-mail;名前\nyuki@example.jp;ゆき\n', 'utf16le')), 'utf16le');
    for (const not of [Buffer.from('E-mail,Naam\n'), iconv.encode('José;Müller\n', 'win1252'), Buffer.from('E\0'), Buffer.alloc(16)]) {
      assert.equal(utf16ByNuls(not), null, JSON.stringify(not.toString('latin1')));
    }
  });

  it('decides from a bounded prefix: an endless stream is sniffed, not read to its end', async () => {
    let sent = 0;
    const endless = (line: string): ByteSource => ({
      name: 'endless.csv',
      open: async () =>
        Readable.from(
          (function* () {
            for (;;) {
              sent += line.length;
              yield Buffer.from(line);
            }
          })(),
        ),
    });
    await assert.rejects(sniffFormat(endless('jose@example.es;José Müller\n'), 'windows-1252'), /valid UTF-8.*give utf-8/);
    assert.ok(sent < 1024 * 1024, `${sent} bytes read`);
    const f = await sniffFormat(endless('jan@example.nl;Jan\n'), 'latin1');
    assert.deepEqual([f.encoding, f.delimiter, f.refuseUtf8As], ['win1252', ';', 'latin1']);
  });

  it('latin1 and ISO-8859-1 are aliases of Windows-1252, and an unknown name lists every accepted one', () => {
    for (const n of ['latin1', 'Latin-1', 'iso-8859-1', 'cp1252', 'windows-1252']) assert.equal(encodingName(n), 'win1252');
    assert.throws(() => encodingName('ebcdic'), (e: unknown) => e instanceof DomainError && /utf-8, windows-1252 \(cp1252, latin1, iso-8859-1\), utf-16le, utf-16be/.test(e.message));
  });
});
