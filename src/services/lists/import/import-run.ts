/**
 * The import itself as a recorded fact: one `imports` row per distinct input (format, purpose, digest). A run
 * over input seen before reuses that row's id, so an interrupted import resumes under the same id and a
 * finished one is recognised as a re-run.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isLawfulBasis, type LawfulBasis, type SourceKind } from '../../../core/vocab.js';
import { appendEvent } from '../../../store/ledger.js';
import type { DB } from '../../../store/schema.js';
import { invalid } from '../../errors.js';
import { emptyMailability, judgeContacts, type Mailability } from '../audit.js';
import type { Data } from '../../deps.js';
import type { PurposeRow } from '../../../store/schema.js';
import type { LineRefusal } from './refusals.js';

/** Counts of one input file. */
export interface FileCounts {
  file: string;
  /** What the file holds: 'subscribed' | 'unsubscribed' | 'cleaned' | 'contacts'. */
  role: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows whose address appeared earlier in the same input (merged into one contact). */
  merged: number;
  /** New suppression-list entries (or rows kept off the list because the address is suppressed/withdrawn). */
  suppressed: number;
  /** Existing permissions withdrawn because the file says the address unsubscribed or bounced. */
  withdrawn: number;
  refused: number;
}

/** A refused row: its file and line, the code and parameters a page translates, the English reason (refusals.ts). */
export type Refusal = LineRefusal & { file: string };

export interface ImportReport {
  importId: string;
  format: string;
  purposeId: string;
  dryRun: boolean;
  /** True when the same input was imported completely before (nothing should change). */
  rerun: boolean;
  /** True when an earlier run of the same input was interrupted and this one continued it. */
  resumed: boolean;
  files: FileCounts[];
  /**
   * The imported contacts (each once; refused and suppressed rows excluded) judged by the send gate for a
   * purpose-marketing message of the purpose: how many may be mailed now, and the rest per blocking reason with
   * what to do (services/lists/audit.ts `judgeContacts`, the audit's own verdict).
   */
  mailability: Mailability;
  /** Contacts of this import whose permission is `not_provable` (blocked by the gate): count and first 1000. */
  notProvable: { count: number; sample: Array<{ email: string }> };
  refused: Refusal[];
}

export const emptyCounts = (file: string, role: string): FileCounts => ({
  file, role, rows: 0, created: 0, updated: 0, unchanged: 0, merged: 0, suppressed: 0, withdrawn: 0, refused: 0,
});

export interface ImportRun {
  id: string;
  rerun: boolean;
  resumed: boolean;
}

/**
 * Finds or creates the imports row for this input (a dry run only looks).
 * @returns the id to tag events with, and whether this is a re-run or a resumed run
 * @throws DomainError invalid (field 'evidence') when the same input was imported before with another source,
 *   basis or evidence reference: an import's provenance is a recorded fact, and a second run must not appear to
 *   add evidence that it silently drops
 */
export async function beginImport(
  db: Kysely<DB>,
  x: { format: string; sourceKind: SourceKind; purposeId: string; basis: LawfulBasis; evidenceRef: string | null; digest: string },
  now: Date,
  dryRun = false,
): Promise<ImportRun> {
  const prior = await db
    .selectFrom('imports')
    .select(['id', 'finished_at', 'started_at', 'source_kind', 'basis', 'evidence_ref'])
    .where('format', '=', x.format)
    .where('purpose_id', '=', x.purposeId)
    .where('input_digest', '=', x.digest)
    .orderBy('started_at')
    .executeTakeFirst();
  if (prior && (prior.source_kind !== x.sourceKind || prior.basis !== x.basis || prior.evidence_ref !== x.evidenceRef)) {
    const was = `source ${prior.source_kind}, basis ${prior.basis}, evidence ${prior.evidence_ref === null ? '(none)' : `"${prior.evidence_ref}"`}`;
    throw invalid('evidence', `this file was imported on ${prior.started_at.slice(0, 10)} for this purpose with ${was} (import ${prior.id}); an import's provenance cannot be changed by importing the same file again`);
  }
  if (prior) return { id: prior.id, rerun: prior.finished_at !== null, resumed: prior.finished_at === null };
  const id = randomUUID();
  if (dryRun) return { id, rerun: false, resumed: false };
  await db
    .insertInto('imports')
    .values({
      id,
      format: x.format,
      source_kind: x.sourceKind,
      purpose_id: x.purposeId,
      basis: x.basis,
      evidence_ref: x.evidenceRef,
      input_digest: x.digest,
      started_at: now.toISOString(),
      finished_at: null,
      counts: '{}',
    })
    .execute();
  return { id, rerun: false, resumed: false };
}

/**
 * Marks the import finished with its counts (a re-run leaves the first run's record as it was) and records the
 * import itself in the consent ledger, in a chain of its own (subject `import:<id>`): what was imported, for
 * which purpose and basis, from which evidence and input digest, with the counts — tamper-evident like every
 * consent event, and naming no person.
 */
export async function finishImport(db: Kysely<DB>, run: ImportRun, counts: FileCounts[], now: Date): Promise<void> {
  if (run.rerun) return;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('imports').set({ finished_at: now.toISOString(), counts: JSON.stringify(counts) }).where('id', '=', run.id).execute();
    const row = await trx.selectFrom('imports').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    await appendEvent(
      trx,
      {
        subjectId: `import:${run.id}`,
        type: 'imported',
        purposeId: row.purpose_id,
        basis: isLawfulBasis(row.basis) ? row.basis : null,
        occurredAt: now,
        details: {
          importId: row.id,
          format: row.format,
          source: row.source_kind,
          evidenceRef: row.evidence_ref,
          inputDigest: row.input_digest,
          startedAt: row.started_at,
          counts: counts.map((c) => ({ ...c })),
        },
      },
      now,
    );
  });
}

/** The contacts whose permission for the purpose rests on this import and is not provable. */
export async function notProvableOf(db: Kysely<DB>, importId: string, purposeId: string): Promise<ImportReport['notProvable']> {
  const base = db
    .selectFrom('permissions')
    .innerJoin('contacts', 'contacts.id', 'permissions.contact_id')
    .where('permissions.import_id', '=', importId)
    .where('permissions.purpose_id', '=', purposeId)
    .where('permissions.method', '=', 'not_provable');
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const sample = await base.select('contacts.email as email').orderBy('contacts.email').limit(1000).execute();
  return { count: Number(n.n), sample };
}

/**
 * The mailability of the contacts whose permission for the purpose this import recorded (Mailchimp's subscribed
 * file: every contact it imported gets one), judged 1000 at a time in contact-id order.
 */
export async function mailabilityOfImport(deps: Data, importId: string, purpose: PurposeRow, now: Date): Promise<Mailability> {
  const m = emptyMailability(purpose.id);
  for (let after = ''; ;) {
    const ids = (await deps.db.selectFrom('permissions').select('contact_id').where('import_id', '=', importId).where('purpose_id', '=', purpose.id)
      .where('contact_id', '>', after).orderBy('contact_id').limit(1000).execute()).map((r) => r.contact_id);
    await judgeContacts(deps, purpose, ids, now, m);
    if (ids.length < 1000) return m;
    after = ids[ids.length - 1]!;
  }
}

/** One import as the Imports page lists it. */
export interface ImportSummary {
  id: string;
  format: string;
  sourceKind: string;
  purposeId: string;
  evidenceRef: string | null;
  startedAt: string;
  /** Null while running or when interrupted (a re-run of the same file resumes it). */
  finishedAt: string | null;
  counts: Record<string, unknown>;
}

/** The latest imports, newest first (at most `limit`). */
export async function recentImports(db: Kysely<DB>, limit = 20): Promise<ImportSummary[]> {
  const rows = await db.selectFrom('imports').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, format: r.format, sourceKind: r.source_kind, purposeId: r.purpose_id, evidenceRef: r.evidence_ref,
    startedAt: r.started_at, finishedAt: r.finished_at, counts: JSON.parse(r.counts) as Record<string, unknown>,
  }));
}
