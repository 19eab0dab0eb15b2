/**
 * Import of a Mailchimp audience export (SCENARIOS F3): the subscribed, unsubscribed and cleaned CSVs, as
 * files or inside the export's zip. Suppressions go first so that an address in both "subscribed" and
 * "unsubscribed"/"cleaned" is never subscribed (E5). Rows are streamed and written in transactions of
 * BATCH_SIZE rows; every step is idempotent, so an interrupted import resumes without duplicates and a re-run
 * changes nothing. The ledger is checkpointed at the end.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { takeCheckpoint } from '../../../store/ledger.js';
import { purposeById } from '../../../store/purposes.js';
import { assertPurposeAcceptsBasis } from './purpose-basis.js';
import type { Deps } from '../../deps.js';
import { invalid } from '../../errors.js';
import { readRecords, sniffFormat, type ByteSource } from './csv-stream.js';
import { emptyMailability } from '../audit.js';
import { beginImport, emptyCounts, finishImport, mailabilityOfImport, notProvableOf, type FileCounts, type ImportReport, type Refusal } from './import-run.js';
import { subscribedBatch } from './mailchimp-batch.js';
import { seenSet, suppressedRow, suppressionHasher, type RowScope } from './mailchimp-rows.js';
import { seenTable, subscribedBatchSqlite } from './sqlite-batch.js';
import { sqliteOf } from '../../../store/db.js';
import { fileSource, inputDigest, zipSources } from './sources.js';
import { headerKey } from './columns.js';
import type { LineRefusal } from './refusals.js';

/**
 * Rows per transaction (the subscribed file reads and writes each batch with a few multi-row queries; 2,000
 * rather than 5,000: ~15% less peak memory at 1,000,000 rows for ~9% more CPU, see bench/README.md). */
export const BATCH_SIZE = 2000;

/** The dependencies an import needs (a full `Deps` fits). */
export type ImportDeps = Pick<Deps, 'db' | 'dialect' | 'clock' | 'secret'> & {
  recordIp?: boolean;
  /** False: the subscribed file goes through Kysely on SQLite too (the PostgreSQL path; tests compare both). */
  sqliteBulk?: boolean;
};

export type MailchimpRole = 'subscribed' | 'unsubscribed' | 'cleaned';

export interface MailchimpInput {
  /** The three CSVs (any may be missing) … */
  files?: Partial<Record<MailchimpRole, string>>;
  /** … or the export's zip. */
  zipPath?: string;
  purposeId: string;
  /** Where the proof of the original consent is kept (a contract, a ticket), recorded with every event. */
  evidenceRef?: string;
  /** Compute the report without storing anything. */
  dryRun?: boolean;
}

/** Which export file a name is: `unsubscribed_members_export_….csv` → 'unsubscribed'. */
export function mailchimpRole(name: string): MailchimpRole | null {
  const n = name.toLowerCase();
  if (!n.endsWith('.csv')) return null;
  if (n.includes('unsubscribed')) return 'unsubscribed';
  if (n.includes('cleaned')) return 'cleaned';
  if (n.includes('subscribed')) return 'subscribed';
  return null;
}

/**
 * Mailchimp's own column names as an export writes them in an account set to another language; its system columns
 * (OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, LEID, EUID, UNSUB_TIME, CLEAN_TIME…) stay in English. Compared
 * by headerKey (case, accents, spaces and hyphens ignored).
 */
const TRANSLATED_HEADERS: Record<'Email Address' | 'First Name' | 'Last Name', string[]> = {
  'Email Address': ['E-Mail-Adresse', 'Adresse e-mail', 'E-mailadres', 'Dirección de correo electrónico'],
  'First Name': ['Vorname', 'Prénom', 'Voornaam', 'Nombre'],
  'Last Name': ['Nachname', 'Nom', 'Achternaam', 'Apellido', 'Apellidos'],
};
const ENGLISH_HEADER = new Map(Object.entries(TRANSLATED_HEADERS).flatMap(([en, names]) => [en, ...names].map((n) => [headerKey(n), en] as const)));

/**
 * A Mailchimp export's header cell in English, so a German, French, Dutch or Spanish export is read exactly as
 * an English one (its opt-in times and IPs stay evidence).
 * @example mailchimpHeader('E-Mail-Adresse') // → 'Email Address'; mailchimpHeader('OPTIN_TIME') // → 'OPTIN_TIME'
 */
export function mailchimpHeader(cell: string): string {
  const h = cell.trim();
  return ENGLISH_HEADER.get(headerKey(h)) ?? h;
}

/**
 * Which export a file is from its header line, for files that were renamed: Mailchimp's unsubscribed export
 * has UNSUB_TIME, the cleaned one CLEAN_TIME, the subscribed one neither.
 */
function roleFromHeader(path: string): MailchimpRole | null {
  let head: string;
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    head = buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
  } catch {
    return null;
  }
  const names = head.split(/[,;\t]/).map((h) => mailchimpHeader(h.replace(/^\ufeff/, '').replace(/^"|"$/g, '')));
  if (!names.includes('Email Address')) return null;
  return names.includes('UNSUB_TIME') ? 'unsubscribed' : names.includes('CLEAN_TIME') ? 'cleaned' : 'subscribed';
}

/**
 * Turns command-line paths (a folder, a zip, or CSV files) into a MailchimpInput's `files` or `zipPath`. Files
 * are recognised by Mailchimp's names, or else by their header line.
 * @throws DomainError invalid (field 'files') for a path that does not exist, when no export file is recognised
 *   or a role is given twice
 */
export function mailchimpPaths(paths: string[]): Pick<MailchimpInput, 'files' | 'zipPath'> {
  const missing = paths.find((p) => !statSync(p, { throwIfNoEntry: false }));
  if (missing) throw invalid('files', `${missing}: no such file or folder`);
  if (paths.length === 1 && paths[0]!.toLowerCase().endsWith('.zip')) return { zipPath: paths[0]! };
  // A folder copied on a Mac holds "._" companions (resource forks) next to each file; they are not exports.
  const listed = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('._')).map((f) => join(dir, f));
  const expanded = paths.flatMap((p) => (statSync(p)?.isDirectory() ? listed(p) : [p]));
  const files: Partial<Record<MailchimpRole, string>> = {};
  for (const p of expanded) {
    const role = mailchimpRole(p.split(/[\\/]/).pop()!) ?? (p.toLowerCase().endsWith('.csv') ? roleFromHeader(p) : null);
    if (!role) continue;
    if (files[role]) throw invalid('files', `two ${role} files given: ${files[role]} and ${p}`);
    files[role] = p;
  }
  if (Object.keys(files).length === 0) {
    throw invalid('files', `no Mailchimp export file found in ${paths.join(', ')} (expected Mailchimp's subscribed_/unsubscribed_/cleaned_members_export*.csv, or CSV files with its "Email Address" header)`);
  }
  return { files };
}

async function sourcesOf(input: MailchimpInput): Promise<Array<{ role: MailchimpRole; src: ByteSource }>> {
  let found: Array<{ role: MailchimpRole; src: ByteSource }>;
  if (input.zipPath) {
    found = (await zipSources(input.zipPath)).flatMap((src) => {
      const role = mailchimpRole(src.name);
      return role ? [{ role, src }] : [];
    });
    if (found.length === 0) throw invalid('file', `${input.zipPath} holds no Mailchimp export CSV`);
  } else {
    found = Object.entries(input.files ?? {}).map(([role, path]) => ({ role: role as MailchimpRole, src: fileSource(path) }));
    if (found.length === 0) throw invalid('files', 'give the export files or the zip');
  }
  const order: MailchimpRole[] = ['unsubscribed', 'cleaned', 'subscribed'];
  return found.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

/** Thrown inside a dry run's batch transaction to roll it back. */
class Rollback extends Error {}

/**
 * Imports a Mailchimp audience export for one purpose.
 * @param input files or zipPath, purposeId, optional evidenceRef and dryRun
 * @returns the report: counts per file, not-provable contacts, refused rows (file, line, reason)
 * @throws DomainError invalid for an unknown purpose or one that does not accept consent (nothing stored), a missing file, a file without the
 *   `Email Address` column (or its German, French, Dutch or Spanish name), or a malformed CSV (batches before the fault stay stored; a re-run resumes)
 * @example await importMailchimp(deps, { zipPath: 'export.zip', purposeId: 'tips', evidenceRef: 'TICKET-12' })
 */
export async function importMailchimp(deps: ImportDeps, input: MailchimpInput): Promise<ImportReport> {
  const { db } = deps;
  const purpose = await purposeById(db, input.purposeId);
  if (!purpose) {
    throw invalid('purpose', `purpose "${input.purposeId}" does not exist; \`consentry init\` creates the first one`);
  }
  // A Mailchimp audience is consent (A6-1-a): not for a purpose that does not accept consent (e.g. a service purpose).
  await assertPurposeAcceptsBasis(db, purpose, 'A6-1-a');
  const sources = await sourcesOf(input);
  const formats = await Promise.all(sources.map(({ src }) => sniffFormat(src)));
  const digest = await inputDigest(sources.map((s) => s.src));
  const dryRun = input.dryRun ?? false;
  const started = deps.clock.now();
  const run = await beginImport(
    db,
    { format: 'mailchimp', sourceKind: 'import', purposeId: input.purposeId, basis: 'A6-1-a', evidenceRef: input.evidenceRef ?? null, digest },
    started,
    dryRun,
  );
  const refused: Refusal[] = [];
  const files: FileCounts[] = [];
  const suppressedNow = new Set<string>();
  const hasher = suppressionHasher(deps.secret);
  // SQLite: the subscribed file's batches run as prepared statements on the raw handle (sqlite-batch.ts).
  const sqlite = deps.sqliteBulk === false ? undefined : sqliteOf(db);

  for (const [i, { role, src }] of sources.entries()) {
    const counts = emptyCounts(src.name, role);
    files.push(counts);
    const bulk = role === 'subscribed' && sqlite;
    const table = bulk && !dryRun ? await db.connection().execute(async () => seenTable(sqlite)) : null;
    const seen = table ?? seenSet();
    let header: string[] | null = null;
    let batch: Array<{ line: number; row: Record<string, string> }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const before = { ...counts };
      const scopeOf = (trx: RowScope['trx']): RowScope => ({
        trx, secret: deps.secret, recordIp: deps.recordIp ?? true, now: deps.clock.now(), importId: run.id,
        purposeId: input.purposeId, evidenceRef: input.evidenceRef ?? null, file: src.name, counts, seen, suppressedNow,
        suppressionHash: hasher,
      });
      const done = (why: LineRefusal[]) => {
        counts.refused += why.length;
        for (const r of why) refused.push({ file: src.name, ...r });
      };
      try {
        if (bulk) {
          // Holding Kysely's connection keeps any Kysely transaction off the handle while the batch runs.
          await db.connection().execute(async (conn) => {
            sqlite.transaction(() => {
              done(subscribedBatchSqlite(sqlite, scopeOf(conn), rows));
              if (dryRun) throw new Rollback();
            })();
          });
          return;
        }
        await db.transaction().execute(async (trx) => {
          const scope = scopeOf(trx);
          const why: LineRefusal[] = [];
          if (role === 'subscribed') why.push(...(await subscribedBatch(scope, rows)));
          else {
            for (const { line, row } of rows) {
              const refusal = await suppressedRow(scope, row, line, role === 'cleaned' ? 'imported_cleaned' : 'imported_unsubscribed');
              if (refusal) why.push({ line, ...refusal });
            }
          }
          done(why);
          if (dryRun) throw new Rollback();
        });
      } catch (err) {
        if (!(err instanceof Rollback)) {
          Object.assign(counts, before);
          throw err;
        }
      }
    };
    const firstRefusal = refused.length;
    try {
    for await (const rec of readRecords(src, formats[i]!)) {
      if (!header) {
        header = rec.fields.map(mailchimpHeader);
        if (!header.includes('Email Address')) {
          throw invalid('file', `${src.name}: no "Email Address" column in line ${rec.line} (found: ${header.slice(0, 5).join(', ')}…); is this a Mailchimp export?`);
        }
        continue;
      }
      counts.rows++;
      // A subscriber row of the wrong shape is refused. An opt-out row is used whatever its shape: suppressing
      // an address needs only the address, and losing an opt-out would mail someone who said no (E5).
      if (rec.problem && role === 'subscribed') {
        counts.refused++;
        refused.push({ file: src.name, line: rec.line, ...rec.problem });
        continue;
      }
      const row: Record<string, string> = {};
      header.forEach((h, j) => (row[h] = rec.fields[j] ?? ''));
      batch.push({ line: rec.line, row });
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
    } finally {
      if (table) await db.connection().execute(async () => table.drop());
    }
    // Rows refused for their shape are found before the batch's own refusals: report the file in line order.
    refused.splice(firstRefusal, Infinity, ...refused.slice(firstRefusal).sort((a, b) => a.line - b.line));
  }

  const now = deps.clock.now();
  if (!dryRun) {
    await finishImport(db, run, files, now);
    await takeCheckpoint(db, deps.dialect, now);
  }
  return {
    importId: run.id,
    format: 'mailchimp',
    purposeId: input.purposeId,
    dryRun,
    rerun: run.rerun,
    resumed: run.resumed,
    files,
    mailability: dryRun ? emptyMailability(purpose.id) : await mailabilityOfImport(deps, run.id, purpose, now),
    notProvable: dryRun ? { count: 0, sample: [] } : await notProvableOf(db, run.id, input.purposeId),
    refused,
  };
}
