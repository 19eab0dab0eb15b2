/**
 * The first rows of a CSV, TSV or Excel file as the importer will read them (delimiter and encoding detected, the
 * preset's or the given column mapping applied), so a person can check the mapping before anything is stored.
 * It reads the same way `importCsv` does (csv-stream.ts, xlsx-stream.ts, columns.ts) and stores nothing.
 */
import { DomainError, invalid } from '../../errors.js';
import { columnMapping, FIELDS, guessColumns, resolveColumns, type Field, type MappingInput } from './columns.js';
import { readRecords, sniffFormat } from './csv-stream.js';
import { fileSource } from './sources.js';
import { readXlsxRecords } from './xlsx-stream.js';
import type { RowRefusal } from './refusals.js';

export interface CsvPreviewInput extends MappingInput {
  path: string;
  encoding?: string;
  /** How many data rows (1–50, default 5). */
  rows?: number;
}

export interface CsvPreview {
  /** 'xlsx', or the detected delimiter and encoding, e.g. { delimiter: ';', encoding: 'utf8' }. */
  format: 'xlsx' | { delimiter: string; encoding: string };
  header: string[];
  /** Which header each field is read from; fields the file lacks are absent. */
  columns: Partial<Record<Field, string>>;
  /** Headers kept as free attributes of the contact. */
  attributes: string[];
  /** The field read from each column, in the file's order (null: kept as an attribute, or an empty header). */
  byColumn: Array<Field | null>;
  /**
   * Why the columns could not be resolved (no e-mail column found, a chosen field twice, a mapped header
   * missing): the header and rows are still read, so the person can choose the columns.
   */
  mappingError?: DomainError;
  /** `cells`: the row's values per column as read (trimmed), for choosing columns by their contents. */
  rows: Array<{ line: number; values: Partial<Record<Field, string>>; cells: string[]; problem?: RowRefusal }>;
}

/**
 * Reads the header and the first rows.
 * A mapping that does not fit the file (no e-mail column, a mapped header missing, a chosen field twice) is
 * returned as `mappingError` with the header and rows, not thrown.
 * @throws DomainError invalid naming `preset` (unknown), `map` (a spec that is not field=Header),
 *   `encoding`, or `file` (empty, unreadable)
 * @example await previewCsv({ path: 'klanten.csv', preset: 'webshop-klanten' }) // { header, columns: { email: 'E-mail', … }, rows }
 */
export async function previewCsv(input: CsvPreviewInput): Promise<CsvPreview> {
  const mapping = columnMapping(input);
  const want = Math.min(Math.max(input.rows ?? 5, 1), 50);
  const src = fileSource(input.path);
  const excel = /\.xlsx$/i.test(input.path);
  const format = excel ? null : await sniffFormat(src, input.encoding);
  const records = format ? readRecords(src, format) : readXlsxRecords(input.path, src.name);
  let header: string[] | null = null;
  let cols: ReturnType<typeof resolveColumns> | null = null;
  let mappingError: DomainError | undefined;
  const rows: CsvPreview['rows'] = [];
  for await (const rec of records) {
    if (!header) {
      header = rec.fields.map((h) => h.trim());
      try {
        cols = resolveColumns(header, mapping);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        mappingError = err;
        cols = guessColumns(header, mapping.preset);
      }
      continue;
    }
    const values: Partial<Record<Field, string>> = {};
    for (const f of FIELDS) if (cols!.index[f] !== undefined) values[f] = (rec.fields[cols!.index[f]!] ?? '').trim();
    rows.push({ line: rec.line, values, cells: rec.fields.map((c) => c.trim()), ...(rec.problem ? { problem: rec.problem } : {}) });
    if (rows.length >= want) break;
  }
  if (!header || !cols) throw invalid('file', `${src.name} is empty: no header line and no rows`);
  const names = header;
  return {
    format: format ? { delimiter: format.delimiter, encoding: format.encoding } : 'xlsx',
    header: names,
    columns: Object.fromEntries(Object.entries(cols.index).map(([f, i]) => [f, names[i!]!])) as Partial<Record<Field, string>>,
    attributes: cols.rest.map((i) => names[i]!),
    ...(mappingError && { mappingError }),
    byColumn: names.map((_, i) => (Object.entries(cols!.index).find(([, c]) => c === i)?.[0] as Field | undefined) ?? null),
    rows,
  };
}
