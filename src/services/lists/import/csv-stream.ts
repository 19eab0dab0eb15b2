/**
 * Streaming CSV/TSV reading for every import: the file is never held in memory. Sniffs the first 64 KiB for a
 * byte-order mark, the encoding (UTF-16 from the pattern of NUL bytes when there is no mark, else UTF-8 unless
 * invalid UTF-8 is seen, then Windows-1252) and the delimiter (`,` `;` or tab, counted outside quotes in the
 * header line — csv-parse's own `delimiter_auto` is broken, see STACK.md), then streams through iconv-lite and
 * csv-parse. An explicit encoding the bytes contradict is refused rather than stored as mojibake. Each record
 * carries the file's physical line number where it starts (csv-parse's `info.lines` miscounts CRLF files, so
 * lines are counted from the raw record).
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import { DomainError, invalid } from '../../errors.js';
import { refuse, type RowRefusal } from './refusals.js';

/** Something that can be read from the start more than once: a file, or an entry of a zip archive. */
export interface ByteSource {
  /** The name shown in reports (a file name). */
  name: string;
  open(): Promise<Readable>;
}

export type Delimiter = ',' | ';' | '\t';

export interface CsvFormat {
  /** iconv-lite encoding name: 'utf8', 'win1252', 'utf16le', 'utf16be'. */
  encoding: string;
  delimiter: Delimiter;
  /** Length in bytes of the byte-order mark skipped. */
  bomLength: number;
  /**
   * The single-byte encoding name the user gave (windows-1252, latin1 …) when the sniffed prefix was plain ASCII:
   * reading then also checks the rest, and refuses a file that turns out to be UTF-8 (see `Utf8Watch`).
   */
  refuseUtf8As?: string;
}

export interface CsvRecord {
  /** Physical line number (1-based) in the file where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record's field count differs from the header's: the row must be refused with this reason. */
  problem?: RowRefusal;
}

const SNIFF_BYTES = 64 * 1024;

/**
 * Encoding names accepted on the command line, mapped to iconv-lite's. Latin-1 / ISO-8859-1 are read as
 * Windows-1252, its superset, as browsers do (WHATWG Encoding): files labelled Latin-1 nearly always hold
 * Windows-1252 characters such as € and curly quotes. `utf-16` without LE/BE follows the byte-order mark or the
 * NUL bytes.
 */
const ENCODINGS: Record<string, string> = {
  'utf-8': 'utf8', utf8: 'utf8', 'windows-1252': 'win1252', cp1252: 'win1252', win1252: 'win1252',
  'latin-1': 'win1252', latin1: 'win1252', 'iso-8859-1': 'win1252', 'utf-16': 'utf16le', 'utf-16le': 'utf16le',
  utf16le: 'utf16le', 'utf-16be': 'utf16be', utf16be: 'utf16be',
};

/** The accepted names for help texts and errors; the names after a canonical one in brackets are its aliases. */
export const ENCODING_NAMES = 'utf-8, windows-1252 (cp1252, latin1, iso-8859-1), utf-16le, utf-16be (utf-16: whichever of the two the file is)';

/** The names iconv-lite reads two bytes a character with. */
const UTF16 = new Set(['utf16le', 'utf16be']);

/**
 * Maps a user-given encoding name to iconv-lite's.
 * @throws DomainError invalid (field 'encoding') for an unknown name
 */
export function encodingName(given: string): string {
  const e = ENCODINGS[given.toLowerCase()];
  if (!e) throw invalid('encoding', `unknown encoding "${given}"; use one of ${ENCODING_NAMES}`);
  return e;
}

async function head(src: ByteSource): Promise<Buffer> {
  const stream = await src.open();
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= SNIFF_BYTES) break;
  }
  stream.destroy();
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES);
}

/** Counts delimiters outside quotes in the first line of `text`; the most frequent wins (`,` on a tie or none). */
export function detectDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ',');
  return best;
}

/**
 * Sniffs a source's format from its first 64 KiB.
 * @param encoding an explicit encoding (encodingName), else detected: BOM, then UTF-16 by its NUL bytes, then
 *   UTF-8, then Windows-1252
 * @throws DomainError invalid (field 'encoding') when an explicit encoding is contradicted by the bytes: UTF-8
 *   that is not, a single-byte encoding on valid UTF-8 with multi-byte characters (it would store "JosÃ©"), or
 *   anything but the UTF-16 the file is in
 */
export async function sniffFormat(src: ByteSource, encoding?: string): Promise<CsvFormat> {
  const buf = await head(src);
  const bom = byteOrderMark(buf);
  const utf16 = bom && UTF16.has(bom.encoding) ? bom.encoding : bom ? null : utf16ByNuls(buf);
  const chosen = encoding ? givenEncoding(src.name, buf, encoding, utf16, !!bom) : bom?.encoding ?? utf16 ?? (validUtf8(buf) ? 'utf8' : 'win1252');
  const bomLength = bom?.encoding === chosen ? bom.length : 0;
  if (chosen === 'utf8' && !validUtf8(buf.subarray(bomLength))) {
    throw invalid('encoding', `${src.name} is not valid UTF-8 in its first 64 KiB; try --encoding windows-1252`);
  }
  // An ASCII prefix decodes the same in every encoding offered: the rest of the file decides (Utf8Watch).
  const refuseUtf8As = chosen === 'win1252' && buf.length >= SNIFF_BYTES && isAscii(buf) ? encoding : undefined;
  const text = iconv.decode(buf.subarray(bomLength), chosen);
  return { encoding: chosen, delimiter: detectDelimiter(text), bomLength, ...(refuseUtf8As ? { refuseUtf8As } : {}) };
}

const LABEL: Record<string, string> = { utf16le: 'UTF-16LE', utf16be: 'UTF-16BE' };

/**
 * Checks an explicit encoding against the sniffed bytes.
 * @param utf16 the UTF-16 the bytes show (byte-order mark or NUL bytes), if any
 * @returns iconv-lite's name; `utf-16` becomes the LE or BE the bytes show
 * @throws DomainError invalid (field 'encoding') for anything but that UTF-16, or a single-byte encoding on bytes
 *   that are valid UTF-8 with multi-byte characters
 */
function givenEncoding(name: string, buf: Buffer, given: string, utf16: string | null, bom: boolean): string {
  const chosen = /^utf-?16$/i.test(given) && utf16 ? utf16 : encodingName(given);
  if (utf16 && chosen !== utf16) {
    const how = bom ? 'starts with its byte-order mark' : 'has a NUL byte beside every other character';
    throw invalid('encoding', `${name} is ${LABEL[utf16]} (it ${how}); leave out --encoding or give ${LABEL[utf16]!.toLowerCase()}`);
  }
  if (chosen === 'win1252' && !isAscii(buf) && validUtf8(buf)) throw invalid('encoding', mojibake(name, given, 'in its first 64 KiB'));
  return chosen;
}

/** The refusal of a single-byte encoding for a file in UTF-8. */
function mojibake(name: string, given: string, where: string): string {
  return `${name} is valid UTF-8 with multi-byte characters ${where}: read as ${given} they would be stored garbled ` +
    `("José" as "JosÃ©"); leave out --encoding or give utf-8`;
}

/** The byte-order mark a buffer starts with. @returns iconv-lite's encoding and the mark's length, or null */
function byteOrderMark(buf: Buffer): { encoding: string; length: number } | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf8', length: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return null;
}

/**
 * UTF-16 without a byte-order mark, told by its NUL bytes: a CSV's header and most of its text are ASCII, which
 * UTF-16LE writes as the character then 0x00 and UTF-16BE as 0x00 then the character. UTF-8 and Windows-1252
 * text has no NUL bytes at all. Looks at the first 1 KiB.
 * @returns 'utf16le', 'utf16be', or null when the pattern is not there
 * @example utf16ByNuls(Buffer.from('E\0m\0a\0i\0l\0', 'latin1')) // → 'utf16le'
 */
export function utf16ByNuls(buf: Buffer): 'utf16le' | 'utf16be' | null {
  const pairs = Math.min(buf.length, 1024) >> 1;
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (buf[i] === 0) evenNuls++;
    if (buf[i + 1] === 0) oddNuls++;
  }
  // Most pairs carry an ASCII character; a pair with NULs on both sides is a U+0000 no CSV holds.
  if (oddNuls >= pairs * 0.7 && evenNuls === 0) return 'utf16le';
  if (evenNuls >= pairs * 0.7 && oddNuls === 0) return 'utf16be';
  return null;
}

function isAscii(buf: Buffer): boolean {
  for (const b of buf) if (b >= 0x80) return false;
  return true;
}

function validUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Drops the first `n` bytes (the BOM) of a byte stream. */
class Skip extends Transform {
  constructor(private n: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.n > 0) {
      const drop = Math.min(this.n, chunk.length);
      this.n -= drop;
      chunk = chunk.subarray(drop);
    }
    done(null, chunk.length ? chunk : undefined);
  }
}

/**
 * Passes bytes through unchanged while checking whether they are UTF-8: fails at the end when the whole file was
 * valid UTF-8 with multi-byte characters, so an explicit single-byte encoding whose sniffed prefix was plain
 * ASCII is still refused (the import's first reading pass meets this before anything is stored). Holds no more
 * than the decoder's few bytes of an unfinished character.
 */
class Utf8Watch extends Transform {
  private decoder: TextDecoder | null = new TextDecoder('utf-8', { fatal: true });
  private multiByte = false;
  constructor(private name: string, private given: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.decoder) {
      try {
        this.decoder.decode(chunk, { stream: true });
        this.multiByte ||= !isAscii(chunk);
      } catch {
        this.decoder = null;
      }
    }
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    try {
      this.decoder?.decode();
    } catch {
      this.decoder = null;
    }
    done(this.decoder && this.multiByte ? invalid('encoding', mojibake(this.name, this.given, 'after its first 64 KiB')) : null);
  }
}

/** Decodes strictly: invalid UTF-8 anywhere in the file fails with the byte offset instead of turning into �. */
class StrictUtf8 extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private offset = 0;
  constructor(private name: string) {
    super({ decodeStrings: true, readableObjectMode: false });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const s = this.decoder.decode(chunk, { stream: true });
      this.offset += chunk.length;
      done(null, s);
    } catch {
      done(invalid('encoding', `${this.name} is not valid UTF-8 near byte ${this.offset}; give the right --encoding`));
    }
  }
}

/**
 * Streams the records of a source, the header included as the first record.
 * @returns an async iterable of { line, fields }; empty lines are skipped
 * @throws DomainError invalid for broken quoting (with the line) or undecodable bytes
 */
export async function* readRecords(src: ByteSource, format: CsvFormat): AsyncGenerator<CsvRecord> {
  let bytes: Readable = (await src.open()).pipe(new Skip(format.bomLength));
  if (format.refuseUtf8As) bytes = bytes.pipe(new Utf8Watch(src.name, format.refuseUtf8As));
  const text = format.encoding === 'utf8' ? bytes.pipe(new StrictUtf8(src.name)) : bytes.pipe(iconv.decodeStream(format.encoding));
  // Any line ending ends a record (files edited on several systems mix CRLF and LF); a field count that differs
  // from the header's is reported per record rather than merging or dropping rows silently. A quote inside an
  // unquoted field (`=HYPERLINK("x")`, `5" display`) is kept as text (relax_quotes) rather than failing the file.
  // Lines are counted as csv-parse makes each record (on_record), not as the loop below takes them: the parser
  // reports an error before the records still buffered for the loop, and its own line numbers in the message
  // miscount CRLF files (a quote left open on the last line of a 3-line file is "at line 4").
  let next = 1;
  const options: Options<CsvRecord, { record: string[]; raw: string }> = {
    delimiter: format.delimiter, record_delimiter: ['\r\n', '\n', '\r'], raw: true, relax_column_count: true, relax_quotes: true, bom: true,
    on_record: (r) => {
      const line = next;
      next += countLines(r.raw);
      return { line, fields: r.record };
    },
  };
  // csv-parse's stream overload types records as string[]; on_record makes them CsvRecord.
  const parser = text.pipe(parse(options as unknown as Options));
  bytes.on('error', (e) => parser.destroy(e));
  text.on('error', (e) => parser.destroy(e));
  let width: number | null = null;
  try {
    for await (const { line, fields } of parser as AsyncIterable<CsvRecord>) {
      if (fields.length === 1 && fields[0]!.trim() === '') continue;
      if (width === null) width = fields.length;
      else if (fields.length !== width) {
        yield { line, fields, problem: refuse('field-count', { count: fields.length, width }, `line ${line} has ${fields.length} fields where the header has ${width}`) };
        continue;
      }
      yield { line, fields };
    }
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code?.startsWith('CSV_') || e.code?.startsWith('INVALID_')) {
      // `next` is the line where the record that failed begins.
      const why =
        e.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `a quote (") in the row that begins on line ${next} is never closed`
          : `the row that begins on line ${next} cannot be read (${e.message.replace(/ at line \d+\b.*$/s, '')})`;
      throw new DomainError('invalid', `${src.name}: the CSV is malformed: ${why}`, 'file', 'import-csv-malformed', { line: next });
    }
    throw err;
  }
}

/**
 * Physical lines a raw record spans, as an editor shows them: CRLF, LF and a lone CR (old Mac files, a cell
 * break inside quotes) each end one line. csv-parse keeps only the CR of a CRLF terminator in `raw`.
 */
function countLines(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10 || (c === 13 && raw.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
