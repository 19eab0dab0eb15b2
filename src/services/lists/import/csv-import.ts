/**
 * The one streaming CSV/TSV importer (issue 4): any delimiter (`,` `;` tab), BOMs, UTF-8/Windows-1252/UTF-16,
 * quoted line breaks, multilingual headers, presets or an explicit column mapping, and the provenance every
 * import must state. Rows are written in transactions of BATCH_SIZE; refused rows are reported with their line
 * and the rest is imported. The same input again changes nothing.
 */
import { isLawfulBasis, type LawfulBasis } from '../../../core/vocab.js';
import { takeCheckpoint } from '../../../store/ledger.js';
import { purposeById } from '../../../store/purposes.js';
import { invalid } from '../../errors.js';
import { columnMapping, FIELDS, isSourceArg, PRESETS, resolveColumns, SOURCE_ARGS, type ColumnMapping, type MappingInput, type SourceArg } from './columns.js';
import { parseDate } from '../../../core/dates.js';
import { csvRow, type CsvScope, type MappedRow } from './csv-rows.js';
import { EARLIEST_CONSENT, seenSet } from './mailchimp-rows.js';
import { readRecords, sniffFormat } from './csv-stream.js';
import { readXlsxRecords } from './xlsx-stream.js';
import { judgeContacts, emptyMailability } from '../audit.js';
import { beginImport, emptyCounts, finishImport, notProvableOf, type ImportReport, type Refusal } from './import-run.js';
import { BATCH_SIZE, type ImportDeps } from './mailchimp.js';
import { fileSource, inputDigest } from './sources.js';
import { assertPurposeAcceptsBasis } from './purpose-basis.js';

/** `preset` (PRESETS) and/or `map` (`email=E-mail,first_name=Voornaam`, wins over the preset), or `columns`. */
export interface CsvInput extends MappingInput {
  path: string;
  /** The file's name in the report (the name uploaded; default: the path's base name). */
  name?: string;
  /** Where the addresses come from (required unless the preset implies it). */
  source?: string;
  /** When consent was collected, for rows without their own opt-in time (ISO or dd-mm-yyyy). */
  date?: string;
  purposeId: string;
  /** Lawful basis claimed (default A6-1-a). */
  basis?: string;
  evidenceRef?: string;
  /**
   * For a third party's list: what its evidence states, as checked by the person importing. Only evidence that
   * names this organisation as recipient and this purpose makes the consent count (SCENARIOS B2).
   */
  evidenceNames?: { organisation: boolean; purpose: boolean };
  /** Explicit encoding (utf-8, windows-1252 with its aliases latin1 and iso-8859-1, utf-16le, utf-16be); detected otherwise. */
  encoding?: string;
  dryRun?: boolean;
  /** Called after each batch with the rows read so far. */
  onProgress?: (rows: number) => void;
}

/** Thrown inside a dry run's batch transaction to roll it back. */
class Rollback extends Error {}

function provenance(input: CsvInput, now: Date): { source: SourceArg; basis: LawfulBasis; date: Date | null } {
  const preset = input.preset ? PRESETS[input.preset] : undefined;
  if (input.preset && !preset) throw invalid('preset', `unknown preset "${input.preset}"; known: ${Object.keys(PRESETS).join(', ')}`);
  const source = input.source ?? preset?.source;
  if (!source) throw invalid('source', `say where the addresses come from: --source ${Object.keys(SOURCE_ARGS).join('|')}`);
  if (!isSourceArg(source)) throw invalid('source', `unknown source "${source}"; use one of ${Object.keys(SOURCE_ARGS).join(', ')}`);
  const basis = input.basis ?? 'A6-1-a';
  if (!isLawfulBasis(basis)) throw invalid('basis', `unknown lawful basis "${basis}"; use A6-1-a … A6-1-f`);
  const date = input.date ? parseDate(input.date) : null;
  if (date === 'invalid') throw invalid('date', `--date "${input.date}" is not a date like 2024-05-31`);
  if (date && date > now) throw invalid('date', `--date "${input.date}" is in the future; consent cannot have been collected then`);
  if (date && date < EARLIEST_CONSENT) throw invalid('date', `--date "${input.date}" is before ${EARLIEST_CONSENT.getUTCFullYear()}: not a plausible date of consent`);
  return { source, basis, date };
}

/** Reads records until the end; the reader throws on the first one it cannot parse. */
async function readToEnd(records: AsyncGenerator<unknown>): Promise<void> {
  while (!(await records.next()).done);
}

/** Whether a one-column header is the e-mail column (resolving throws when it is not). */
function isEmailColumn(header: string[], mapping: ColumnMapping): boolean {
  try {
    return resolveColumns(header, mapping).index.email !== undefined;
  } catch {
    return false;
  }
}

/**
 * Imports one CSV/TSV file.
 * @returns the report: counts (rows, created, updated, unchanged, merged, suppressed, refused), refused rows with
 *   line and reason, contacts whose consent is not provable
 * @throws DomainError invalid for an unknown purpose/preset/source/basis/encoding or a basis the purpose does not
 *   accept (`assertPurposeAcceptsBasis`; nothing stored), a file that
 *   parses to one column or no rows, a header without an e-mail column, or malformed quoting or bytes anywhere
 *   in a CSV (found by a first reading pass, so nothing is stored; an interrupted import resumes on a re-run)
 * @example await importCsv(deps, { path: 'klanten.csv', preset: 'webshop-klanten', purposeId: 'tips' })
 */
export async function importCsv(deps: ImportDeps, input: CsvInput): Promise<ImportReport> {
  const { db } = deps;
  const prov = provenance(input, deps.clock.now());
  const purpose = await purposeById(db, input.purposeId);
  if (!purpose) throw invalid('purpose', `purpose "${input.purposeId}" does not exist; \`consentry init\` creates the first one`);
  await assertPurposeAcceptsBasis(db, purpose, prov.basis);
  const mapping = columnMapping(input);
  // The uploaded name, not the staged file's random one, in the report, the errors and the input's digest (so
  // the same file uploaded twice is recognised as a re-run).
  const src = { ...fileSource(input.path), ...(input.name && { name: input.name }) };
  const excel = /\.xlsx$/i.test(input.path);
  const format = excel ? null : await sniffFormat(src, input.encoding);
  // A CSV that breaks off half-way (a stray quote, bytes that are not its encoding) is refused before anything is
  // stored: reading it twice costs little next to the writes, and a half-imported list is worse than none.
  if (format) await readToEnd(readRecords(src, format));
  const digest = await inputDigest([src]);
  const dryRun = input.dryRun ?? false;
  const formatName = input.preset ?? 'csv';
  const evidenceRef = input.evidenceRef ?? null;
  // The imports row is written with the first batch, so a file refused as a whole leaves nothing behind.
  let run: Awaited<ReturnType<typeof beginImport>> | null = null;
  const begin = async () =>
    (run ??= await beginImport(db, { format: formatName, sourceKind: SOURCE_ARGS[prov.source], purposeId: input.purposeId, basis: prov.basis, evidenceRef, digest }, deps.clock.now(), dryRun));
  const counts = emptyCounts(src.name, 'contacts');
  const mailability = emptyMailability(purpose.id);
  const refused: Refusal[] = [];
  const seen = seenSet();
  const suppressedNow = new Set<string>();
  let header: string[] | null = null;
  let cols: ReturnType<typeof resolveColumns> | null = null;
  let batch: Array<{ line: number; fields: string[] }> = [];

  const flush = async () => {
    if (batch.length === 0 || !header || !cols) return;
    const rows = batch;
    batch = [];
    const { index, rest } = cols;
    const names = header;
    const { id: importId } = await begin();
    try {
      await db.transaction().execute(async (trx) => {
        const scope: CsvScope = {
          imported: [], trx, secret: deps.secret, recordIp: deps.recordIp ?? true, now: deps.clock.now(), importId, purposeId: input.purposeId,
          evidenceRef, file: src.name, counts, seen, suppressedNow, source: prov.source, basis: prov.basis, date: prov.date, format: formatName,
          optOutFile: names.includes('CLEAN_TIME') ? 'imported_cleaned' : names.includes('UNSUB_TIME') ? 'imported_unsubscribed' : null,
          consentColumn: index.consent !== undefined,
          thirdPartyDocumented: prov.source === 'third_party' && evidenceRef !== null && !!input.evidenceNames?.organisation && !!input.evidenceNames.purpose,
        };
        for (const { line, fields } of rows) {
          const mapped: MappedRow = {
            get: (f) => (index[f] === undefined ? '' : fields[index[f]!] ?? ''),
            attributes: Object.fromEntries(rest.map((i) => [names[i]!, (fields[i] ?? '').trim()]).filter(([, v]) => v)),
          };
          const why = await csvRow(scope, mapped, line);
          if (why) {
            counts.refused++;
            refused.push({ file: src.name, line, ...why });
          }
        }
        // Judged in the batch's own transaction, so a dry run shows what the import would make mailable.
        await judgeContacts({ db: trx, dialect: deps.dialect }, purpose, scope.imported, scope.now, mailability);
        if (dryRun) throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
    input.onProgress?.(counts.rows);
  };

  for await (const rec of format ? readRecords(src, format) : readXlsxRecords(input.path, src.name)) {
    if (!header) {
      header = rec.fields.map((h) => h.trim());
      // One column is fine when it is the e-mail column (a plain list of addresses); otherwise it usually means
      // the delimiter was not what the file uses.
      if (header.length < 2 && !isEmailColumn(header, mapping)) {
        if (!format) throw invalid('file', `${src.name}: only one column found in the header (row ${rec.line}); a contact list needs at least an e-mail column and one more`);
        const other = format.delimiter === ';' ? '`,`' : '`;`';
        throw invalid('file', `${src.name}: only one column found in the header (line ${rec.line}): is the delimiter ${other}? A contact list needs at least an e-mail column and one more, or a different delimiter`);
      }
      cols = resolveColumns(header, mapping);
      continue;
    }
    counts.rows++;
    if (rec.problem) {
      counts.refused++;
      refused.push({ file: src.name, line: rec.line, ...rec.problem });
      continue;
    }
    batch.push({ line: rec.line, fields: rec.fields });
    if (batch.length >= BATCH_SIZE) await flush();
  }
  if (!header) throw invalid('file', `${src.name} is empty: no header line and no rows`);
  if (counts.rows === 0) throw invalid('file', `${src.name} has a header but no rows (0 contacts)`);
  await flush();
  refused.sort((a, b) => a.line - b.line);

  const now = deps.clock.now();
  const done = await begin();
  if (!dryRun) {
    await finishImport(db, done, [counts], now);
    await takeCheckpoint(db, deps.dialect, now);
  }
  return {
    importId: done.id, format: formatName, purposeId: input.purposeId, dryRun, rerun: done.rerun, resumed: done.resumed,
    files: [counts], mailability, notProvable: dryRun ? { count: 0, sample: [] } : await notProvableOf(db, done.id, input.purposeId), refused,
  };
}

export { FIELDS, PRESETS };
