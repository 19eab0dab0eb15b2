/**
 * Rows of an Excel workbook (.xlsx) as import records, streamed with exceljs's WorkbookReader (the sheet is never
 * held in memory). Only the first worksheet is read. Cells become the text a person sees: rich text and
 * hyperlinks their text, formulas their result, dates ISO 8601 (`2024-01-31`, or with the time when it has one).
 */
import { invalid } from '../../errors.js';
import type { CsvRecord } from './csv-stream.js';
import { refuse } from './refusals.js';

/** The text of one cell value as exceljs gives it. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.error) return '';
  }
  return String(v);
}

/**
 * Streams the first worksheet's rows. Empty rows are skipped; a row with more filled cells than the header is
 * reported with `problem`, like a CSV row with too many fields.
 * @param path the .xlsx file
 * @throws DomainError invalid (field 'file') when the file is not a readable workbook
 */
export async function* readXlsxRecords(path: string, name: string): AsyncGenerator<CsvRecord> {
  // Loaded when first needed: every server and command process would otherwise hold it (issue 11, memory).
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' });
  let width: number | null = null;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        // exceljs rows are 1-based: values[0] is unused.
        const values = (row.values as unknown[]).slice(1).map(cellText);
        while (values.length > 0 && values[values.length - 1]!.trim() === '') values.pop();
        if (values.length === 0) continue;
        if (width === null) width = values.length;
        else if (values.length > width) {
          yield { line: row.number, fields: values, problem: refuse('cell-count', { count: values.length, width }, `row ${row.number} has ${values.length} filled cells where the header has ${width}`) };
          continue;
        }
        while (values.length < width) values.push('');
        yield { line: row.number, fields: values };
      }
      return; // the first worksheet only
    }
  } catch (err) {
    throw invalid('file', `${name} is not a readable Excel workbook (.xlsx): ${(err as Error).message}`);
  }
}
