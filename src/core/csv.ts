/**
 * The one CSV writer for every file Consentry writes (the person's own download, the record of processing, any
 * export): RFC 4180 fields and CRLF line ends, with cells neutralised against CSV (formula) injection as OWASP
 * recommends. A spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` as a formula (a tab or a
 * carriage return in front does not stop it), so such a cell gets a single quote in front, which makes it text,
 * and is quoted. Readers of the file that are not spreadsheets see the quote; JSON exports keep exact values.
 * Pure.
 */

/** Characters that make a spreadsheet treat a cell as a formula when they begin it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: null and undefined are empty, strings as they are, anything else as JSON; a field beginning with
 * a formula character gets a leading `'` and quotes; a field holding a comma, quote, CR or LF is quoted (RFC 4180).
 * @example csvField('=HYPERLINK("http://x")') // `"'=HYPERLINK(""http://x"")"`
 * @example csvField('a,b') // '"a,b"'
 */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as a CSV document: fields joined by commas, every row (the last too) ended by CRLF (RFC 4180).
 * @param rows the rows, the header row first if there is one; cells as for `csvField`
 * @example toCsvText([['name', 'email'], ['Anna', 'anna@example.nl']]) // 'name,email\r\nAnna,anna@example.nl\r\n'
 */
export function toCsvText(rows: Iterable<readonly unknown[]>): string {
  let out = '';
  for (const row of rows) out += `${row.map(csvField).join(',')}\r\n`;
  return out;
}
