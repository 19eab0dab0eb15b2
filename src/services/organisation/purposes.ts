/**
 * Purposes — the units of consent — created, changed and archived through one set of use cases for the admin
 * app, the CLI and the JSON API, behind the guard in core/policy/purpose-guard.ts (categories and their lawful
 * bases, no change of meaning once people gave permission, single opt-in only on purpose, no archiving while a
 * form offers it). Every change that the privacy notice states (purpose names, bases, retention text; GDPR
 * 13(1)(c), 13(2)(a)) makes a new notice version (notice-admin.ts `reviseNotice`).
 */
import { z } from 'zod';
import type { NoticeContent } from '../../core/notice.js';
import { hasErrors, type Problem } from '../../core/policy/guards.js';
import { ACCEPTED_BASES, checkPurpose, isPurposeCategory, PURPOSE_CATEGORIES, type PurposeCategory } from '../../core/policy/purpose-guard.js';
import type { LawfulBasis } from '../../core/vocab.js';
import { formsOffering, insertPurpose, listPurposes, purposeById, purposeHasPermissions, updatePurposeRow } from '../../store/purposes.js';
import type { PurposeRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { collecting, invalid, invalidFields, notFound, zodIssues, type FieldIssue } from '../errors.js';
import { reviseNotice, type NoticeRevision } from './notice-admin.js';

type PurposeDeps = Data & Pick<Deps, 'clock'>;

const text = (min: number, what: string) => z.string().trim().min(min, `${what} (at least ${min} characters)`).max(500, `${what}: at most 500 characters`);
const optionalText = z.string().trim().max(200, 'at most 200 characters').optional();

/** The fields of a purpose as the admin form, the CLI and the API send them. */
export const purposeFieldsSchema = z.object({
  name_nl: text(2, 'the Dutch name is required'),
  name_en: text(2, 'the English name is required'),
  description_nl: text(2, 'the Dutch description is required'),
  description_en: text(2, 'the English description is required'),
  category: z.enum(PURPOSE_CATEGORIES).default('purpose_marketing'),
  /** Accepted lawful bases; default: the category's first. */
  bases: z.array(z.string()).optional(),
  doubleOptIn: z.boolean().default(true),
  singleOptInAcknowledged: z.boolean().optional(),
  frequency_nl: optionalText,
  frequency_en: optionalText,
  /** How long data for this purpose is kept, as the notice states it (GDPR 13(2)(a)). */
  retention_nl: z.string().trim().max(1000).optional(),
  retention_en: z.string().trim().max(1000).optional(),
});
export type PurposeFields = z.input<typeof purposeFieldsSchema>;

export const purposeIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'use lower-case letters, digits and dashes (at most 41 characters)');

/** A purpose as pages, the CLI and the API show it. */
export interface PurposeView {
  id: string;
  name: { nl: string; en: string };
  description: { nl: string; en: string };
  category: PurposeCategory;
  bases: LawfulBasis[];
  doubleOptIn: boolean;
  frequency: { nl: string | null; en: string | null };
  archivedAt: string | null;
  createdAt: string;
}

/** The bases a stored purpose accepts (null column: its category's default, the first of ACCEPTED_BASES). */
export function basesOf(row: Pick<PurposeRow, 'bases' | 'category'>): LawfulBasis[] {
  if (row.bases) return JSON.parse(row.bases) as LawfulBasis[];
  return isPurposeCategory(row.category) ? [ACCEPTED_BASES[row.category][0]!] : [];
}

export const toPurposeView = (row: PurposeRow): PurposeView => ({
  id: row.id,
  name: { nl: row.name_nl, en: row.name_en },
  description: { nl: row.description_nl, en: row.description_en },
  category: row.category as PurposeCategory,
  bases: basesOf(row),
  doubleOptIn: row.double_opt_in === 1,
  frequency: { nl: row.frequency_nl, en: row.frequency_en },
  archivedAt: row.archived_at,
  createdAt: row.created_at,
});

/** Every purpose, archived ones last. */
export async function listPurposeViews(deps: Data): Promise<PurposeView[]> {
  const rows = (await listPurposes(deps.db)).map(toPurposeView);
  return [...rows.filter((p) => !p.archivedAt), ...rows.filter((p) => p.archivedAt)];
}

/** One purpose. @throws DomainError not_found */
export async function getPurpose(deps: Data, id: string): Promise<PurposeView> {
  const row = await purposeById(deps.db, id);
  if (!row) throw notFound(`there is no purpose "${id}"`, 'unknown-purpose');
  return toPurposeView(row);
}

/** The guard's refusals as field issues (its warnings are not refusals). */
const guardIssues = (problems: Problem[]): FieldIssue[] =>
  problems.filter((x) => x.severity === 'error').map((p) => ({ field: p.field, message: `${p.field}: ${p.message_en} [${p.source}]`, code: p.code }));
const refuse = (problems: Problem[]) => invalidFields(guardIssues(problems));

/** Validates the fields and fills in the default basis. @throws DomainError invalid naming every field at fault */
export function parseFields(input: PurposeFields) {
  const parsed = purposeFieldsSchema.safeParse(input);
  if (!parsed.success) throw invalidFields(zodIssues(parsed.error, '', 'purpose'));
  const p = parsed.data;
  return { ...p, bases: p.bases && p.bases.length > 0 ? p.bases : [ACCEPTED_BASES[p.category][0]!] };
}

const DEFAULT_RETENTION = {
  nl: 'Tot u zich afmeldt; daarna wissen we uw gegevens en bewaren we alleen een onleesbaar gemaakte code van uw adres zodat u nooit meer mail krijgt.',
  en: 'Until you unsubscribe; then we erase your data and keep only a keyed code of your address so that you are never mailed again.',
};

/** The purpose's entry in the notice (13(1)(c) with its basis; 13(2)(a) retention), keeping a stated retention. */
function withPurpose(content: NoticeContent, id: string, f: ReturnType<typeof parseFields>): NoticeContent {
  const old = content.purposes.find((p) => p.id === id);
  const entry = {
    id,
    name: { nl: f.name_nl, en: f.name_en },
    basis: f.bases[0] as LawfulBasis,
    retention: {
      nl: f.retention_nl || old?.retention.nl || DEFAULT_RETENTION.nl,
      en: f.retention_en || old?.retention.en || DEFAULT_RETENTION.en,
    },
  };
  const purposes = old ? content.purposes.map((p) => (p.id === id ? entry : p)) : [...content.purposes, entry];
  // 13(1)(d): one legitimate interest per purpose on 6(1)(f); an entry for a purpose no longer on it goes.
  const onInterest = new Set(purposes.filter((p) => p.basis === 'A6-1-f').map((p) => p.id));
  const kept = content.legitimateInterests.filter((l) => onInterest.has(l.purposeId) || !purposes.some((p) => p.id === l.purposeId));
  const added = entry.basis === 'A6-1-f' && !kept.some((l) => l.purposeId === id) ? [{ purposeId: id, interest: { nl: '', en: '' } }] : [];
  return { ...content, purposes, legitimateInterests: [...kept, ...added] };
}

/**
 * Creates a purpose and adds it to the privacy notice (a new version).
 * @param input the fields; `id` a slug such as `ebook`
 * @returns the purpose and the notice revision (its version and any items still missing)
 * @throws DomainError invalid naming the field: `id` (format, taken), `name_nl`…, `bases`
 *   (PURPOSE_BASIS_NOT_ACCEPTED), `doubleOptIn` (PURPOSE_SINGLE_OPT_IN_UNACKNOWLEDGED); nothing is stored then
 * @example await createPurpose(deps, { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: '…',
 *   description_en: '…', category: 'service', bases: ['A6-1-b'] })
 */
export async function createPurpose(deps: PurposeDeps, input: PurposeFields & { id: string }): Promise<{ purpose: PurposeView; notice: NoticeRevision }> {
  // Every field is checked before refusing, so a form shows all its errors at once.
  const issues: FieldIssue[] = [];
  const id = purposeIdSchema.safeParse(input.id);
  if (!id.success) issues.push({ field: 'id', message: `id: ${id.error.issues[0]!.message}`, code: 'invalid-id' });
  const f = collecting(issues, () => parseFields(input));
  if (f) issues.push(...guardIssues(checkPurpose(f, { hasPermissions: false, offeredByForms: [] })));
  if (issues.length > 0 || !f || !id.success) throw invalidFields(issues);
  return deps.db.transaction().execute(async (trx) => {
    const tx = { db: trx, dialect: deps.dialect, clock: deps.clock };
    await insertNewPurpose(tx, id.data, f);
    const notice = await reviseNotice(tx, (c) => withPurpose(c, id.data, f));
    return { purpose: toPurposeView((await purposeById(trx, id.data))!), notice };
  });
}

/** The purpose's stored columns from its checked fields. */
const columnsOf = (f: ReturnType<typeof parseFields>) => ({
  name_nl: f.name_nl,
  name_en: f.name_en,
  description_nl: f.description_nl,
  description_en: f.description_en,
  category: f.category,
  bases: JSON.stringify(f.bases),
  double_opt_in: f.doubleOptIn ? 1 : 0,
  frequency_nl: f.frequency_nl || null,
  frequency_en: f.frequency_en || null,
});

/**
 * Stores a new, checked purpose in the caller's transaction (also for `consentry init`, which drafts the first
 * notice afterwards). @throws DomainError invalid `id` when it is taken
 */
export async function insertNewPurpose(deps: PurposeDeps, id: string, f: ReturnType<typeof parseFields>): Promise<void> {
  if (await purposeById(deps.db, id)) throw invalid('id', `id: a purpose "${id}" exists already`, 'purpose-exists');
  await insertPurpose(deps.db, {
    id,
    ...columnsOf(f),
    retention: '{}',
    created_at: deps.clock.now().toISOString(),
    archived_at: null,
  });
}

/**
 * Changes a purpose's fields. Category and bases are fixed once anyone has a permission for it.
 * @throws DomainError not_found; invalid naming the field (PURPOSE_CHANGED_AFTER_CONSENT on `category`/`bases`)
 */
export async function updatePurpose(deps: PurposeDeps, id: string, input: PurposeFields): Promise<{ purpose: PurposeView; notice: NoticeRevision }> {
  const f = parseFields(input);
  return deps.db.transaction().execute(async (trx) => {
    const tx = { db: trx, dialect: deps.dialect, clock: deps.clock };
    const row = await purposeById(trx, id);
    if (!row) throw notFound(`there is no purpose "${id}"`, 'unknown-purpose');
    const problems = checkPurpose(f, {
      before: { category: row.category, bases: basesOf(row) },
      hasPermissions: await purposeHasPermissions(trx, id),
      offeredByForms: [],
    });
    if (hasErrors(problems)) throw refuse(problems);
    await updatePurposeRow(trx, id, columnsOf(f));
    const notice = await reviseNotice(tx, (c) => withPurpose(c, id, f));
    return { purpose: toPurposeView((await purposeById(trx, id))!), notice };
  });
}

/**
 * Archives a purpose (or brings it back with `archived: false`): no new forms or campaigns for it; permissions,
 * evidence and the notice entry stay (people who consented keep their rights and their proof).
 * @throws DomainError not_found; invalid `archived` (PURPOSE_OFFERED_BY_FORM) while a form offers it
 */
export async function archivePurpose(deps: PurposeDeps, id: string, archived = true): Promise<PurposeView> {
  const row = await purposeById(deps.db, id);
  if (!row) throw notFound(`there is no purpose "${id}"`, 'unknown-purpose');
  const problems = checkPurpose(
    { category: row.category, bases: basesOf(row), doubleOptIn: row.double_opt_in === 1, singleOptInAcknowledged: true, archived },
    { hasPermissions: false, offeredByForms: archived ? await formsOffering(deps.db, id) : [] },
  );
  if (hasErrors(problems)) throw refuse(problems);
  await updatePurposeRow(deps.db, id, { archived_at: archived ? (row.archived_at ?? deps.clock.now().toISOString()) : null });
  return toPurposeView((await purposeById(deps.db, id))!);
}
