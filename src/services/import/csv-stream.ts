/**
 * Streaming CSV/TSV reading for every import: the file is never held in memory. Sniffs the first 64 KiB for a
 * byte-order mark, the encoding (UTF-8 unless invalid UTF-8 is seen, then Windows-1252) and the delimiter
 * (`,` `;` or tab, counted outside quotes in the header line — csv-parse's own `delimiter_auto` is broken, see
 * STACK.md), then streams through iconv-lite and csv-parse. Each record carries the file's physical line number
 * where it starts (csv-parse's `info.lines` miscounts CRLF files, so lines are counted from the raw record).
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { invalid } from '../errors.js';

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
}

export interface CsvRecord {
  /** Physical line number (1-based) in the file where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record's field count differs from the header's: the row must be refused with this reason. */
  problem?: string;
}

const SNIFF_BYTES = 64 * 1024;

/** Encoding names accepted on the command line, mapped to iconv-lite's names. */
const ENCODINGS: Record<string, string> = {
  'utf-8': 'utf8', utf8: 'utf8', 'windows-1252': 'win1252', cp1252: 'win1252', win1252: 'win1252',
  'latin-1': 'win1252', latin1: 'win1252', 'iso-8859-1': 'win1252', 'utf-16': 'utf16le', 'utf-16le': 'utf16le',
  utf16le: 'utf16le', 'utf-16be': 'utf16be', utf16be: 'utf16be',
};

/**
 * Maps a user-given encoding name to iconv-lite's.
 * @throws DomainError invalid (field 'encoding') for an unknown name
 */
export function encodingName(given: string): string {
  const e = ENCODINGS[given.toLowerCase()];
  if (!e) throw invalid('encoding', `unknown encoding "${given}"; use one of utf-8, windows-1252, utf-16le, utf-16be`);
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
 * @param encoding an explicit encoding (encodingName), else detected: BOM, then UTF-8, then Windows-1252
 * @throws DomainError invalid (field 'encoding') when an explicit UTF-8 is contradicted by the bytes
 */
export async function sniffFormat(src: ByteSource, encoding?: string): Promise<CsvFormat> {
  const buf = await head(src);
  let bomLength = 0;
  let detected: string | null = null;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) [detected, bomLength] = ['utf8', 3];
  else if (buf[0] === 0xff && buf[1] === 0xfe) [detected, bomLength] = ['utf16le', 2];
  else if (buf[0] === 0xfe && buf[1] === 0xff) [detected, bomLength] = ['utf16be', 2];
  const chosen = encoding ? encodingName(encoding) : detected ?? (validUtf8(buf) ? 'utf8' : 'win1252');
  if (encoding && detected && chosen !== detected) bomLength = 0;
  if (chosen === 'utf8' && !validUtf8(buf.subarray(bomLength))) {
    throw invalid('encoding', `${src.name} is not valid UTF-8 in its first 64 KiB; try --encoding windows-1252`);
  }
  const text = iconv.decode(buf.subarray(bomLength), chosen);
  return { encoding: chosen, delimiter: detectDelimiter(text), bomLength };
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
  const bytes = (await src.open()).pipe(new Skip(format.bomLength));
  const text = format.encoding === 'utf8' ? bytes.pipe(new StrictUtf8(src.name)) : bytes.pipe(iconv.decodeStream(format.encoding));
  // Any line ending ends a record (files edited on several systems mix CRLF and LF); a field count that differs
  // from the header's is reported per record rather than merging or dropping rows silently.
  const parser = text.pipe(
    parse({ delimiter: format.delimiter, record_delimiter: ['\r\n', '\n', '\r'], raw: true, relax_column_count: true, bom: true }),
  );
  bytes.on('error', (e) => parser.destroy(e));
  text.on('error', (e) => parser.destroy(e));
  let next = 1;
  let width: number | null = null;
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = next;
      next += countLines(r.raw);
      if (r.record.length === 1 && r.record[0]!.trim() === '') continue;
      if (width === null) width = r.record.length;
      else if (r.record.length !== width) {
        yield { line, fields: r.record, problem: `line ${line} has ${r.record.length} fields where the header has ${width}` };
        continue;
      }
      yield { line, fields: r.record };
    }
  } catch (err) {
    const e = err as { code?: string; message: string; lines?: number };
    if (e.code?.startsWith('CSV_') || e.code?.startsWith('INVALID_')) {
      throw invalid('file', `${src.name}: the CSV is malformed after line ${next - 1}: ${e.message}`);
    }
    throw err;
  }
}

/** Physical lines a raw record spans (csv-parse keeps only the '\r' of a CRLF terminator in `raw`). */
function countLines(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) === 10) n++;
  return n + (raw.endsWith('\r') ? 1 : 0);
}
