/**
 * Handlers of the Imports pages (access in routes.ts): upload → preview of the first rows (nothing stored) →
 * import with the stated provenance → report. The import runs through the same services as `consentry import`
 * (services/lists/import/); the uploaded file waits in a private temporary folder and is removed once imported.
 */
import { z } from 'zod';
import { importCsv } from '../../../services/lists/import/csv-import.js';
import { previewCsv, type CsvPreview } from '../../../services/lists/import/csv-preview.js';
import { parseColumnChoices, type Field } from '../../../services/lists/import/columns.js';
import { recentImports } from '../../../services/lists/import/import-run.js';
import { importMailchimp, mailchimpPaths } from '../../../services/lists/import/mailchimp.js';
import { discardUpload, stagedUpload, stageUpload, type StagedUpload } from '../../../services/lists/import/staged-upload.js';
import { listPurposeViews } from '../../../services/organisation/purposes.js';
import { DomainError } from '../../../services/errors.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { domainMessage, formValues, type AdminHandler } from '../handler.js';
import { importsPage, previewPage, reportPage } from './imports.view.js';
import type { UploadedFile } from '../plugin.js';

const provenanceSchema = z.object({
  purpose: z.string().min(1),
  preset: z.string().default(''),
  source: z.string().default('own_form_export'),
  basis: z.string().default('A6-1-a'),
  date: z.string().trim().default(''),
  evidence: z.string().trim().default(''),
  namesUs: z.enum(['yes', 'no']).default('no'),
  namesPurpose: z.string().default('no'),
});

const isZip = (u: StagedUpload) => u.path.toLowerCase().endsWith('.zip');

/**
 * The column chooser's choices (`col.0`, `col.1`, …), or undefined when none were posted or the file type was
 * changed since they were shown (`columnsFor`): then the preset and the usual names decide again.
 * @throws DomainError invalid (field 'columns') for an unknown field
 */
function chosenColumns(values: Record<string, string>): Array<Field | null> | undefined {
  const posted = Object.keys(values).filter((k) => /^col\.\d+$/.test(k));
  if (posted.length === 0 || (values.columnsFor ?? '') !== (values.preset ?? '')) return undefined;
  return parseColumnChoices(Array.from({ length: posted.length }, (_, i) => values[`col.${i}`] ?? ''));
}

/** The preview for the page: the staged file read with the chosen columns (or the preset and usual names). */
async function readPreview(upload: StagedUpload, values: Record<string, string>): Promise<CsvPreview | 'mailchimp-zip'> {
  if (isZip(upload)) return 'mailchimp-zip';
  const columns = chosenColumns(values);
  return previewCsv({ path: upload.path, ...(values.preset && { preset: values.preset }), ...(columns && { columns }) });
}

/** The upload page again with an error next to its field (or above the form). */
async function uploadAgain(a: AdminCtx, values: Record<string, string>, err: DomainError): Promise<string> {
  const message = domainMessage(a, err);
  const state: FormState = err.field === 'file' || err.field === 'upload' ? { values, errors: { file: message } } : { values, errors: {}, formError: message };
  return importsPage(a, await listPurposeViews(a.deps), await recentImports(a.deps.db), state);
}

/** GET /admin/imports */
export const importsList: AdminHandler = async (a) =>
  importsPage(a, await listPurposeViews(a.deps), await recentImports(a.deps.db), freshForm({ source: 'own_form_export', basis: 'A6-1-a' }));

/** POST /admin/imports/preview: a new upload (multipart) or the staged one again with other columns. */
export const importPreview: AdminHandler = async (a, req, reply) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values = formValues(body);
  const purposes = await listPurposeViews(a.deps);
  let upload: StagedUpload;
  try {
    const file = body.file as UploadedFile | undefined;
    upload = file && typeof file === 'object' && 'data' in file ? stageUpload(file.filename, file.data) : stagedUpload(values.upload ?? '', values.name ?? '');
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    reply.code(400);
    return uploadAgain(a, values, err);
  }
  const shown = { id: upload.id, name: values.name || upload.name };
  try {
    const preview = await readPreview(upload, values);
    if (preview !== 'mailchimp-zip' && preview.mappingError) {
      // The columns do not fit yet: the chooser is shown with the message, for the person to choose.
      reply.code(400);
      return previewPage(a, shown, preview, purposes, { values, errors: {}, formError: domainMessage(a, preview.mappingError) });
    }
    return previewPage(a, shown, preview, purposes, { values, errors: {} });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    reply.code(400);
    return previewPage(a, shown, null, purposes, { values, errors: err.field === 'preset' ? { preset: domainMessage(a, err) } : {}, ...(err.field === 'preset' ? {} : { formError: domainMessage(a, err) }) });
  }
};

/** POST /admin/imports/run: imports the staged file with the stated provenance and shows the report. */
export const importRun: AdminHandler = async (a, req, reply) => {
  const values = formValues(req.body);
  const purposes = await listPurposeViews(a.deps);
  const p = provenanceSchema.safeParse(values);
  let upload: StagedUpload;
  try {
    upload = stagedUpload(values.upload ?? '', values.name ?? '');
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    reply.code(400);
    return uploadAgain(a, values, err);
  }
  const fail = async (message: string, field?: string) => {
    reply.code(400);
    const preview = await readPreview(upload, values).catch(() => null);
    return previewPage(a, { id: upload.id, name: values.name ?? '' }, preview, purposes, {
      values, errors: field ? { [field]: message } : {}, ...(field ? {} : { formError: message }),
    });
  };
  if (!p.success) return fail(a.t('error.code.required'), String(p.error.issues[0]!.path[0]));
  const i = p.data;
  try {
    const columns = chosenColumns(values);
    const report = isZip(upload)
      ? await importMailchimp(a.deps, { ...mailchimpPaths([upload.path]), purposeId: i.purpose, ...(i.evidence && { evidenceRef: i.evidence }) })
      : await importCsv(a.deps, {
          path: upload.path, name: upload.name || 'upload', purposeId: i.purpose, source: i.source, basis: i.basis,
          ...(i.preset && { preset: i.preset }), ...(columns && { columns }), ...(i.date && { date: i.date }), ...(i.evidence && { evidenceRef: i.evidence }),
          evidenceNames: { organisation: i.namesUs === 'yes', purpose: i.namesPurpose === 'yes' },
        });
    discardUpload(upload);
    return reportPage(a, report, purposes);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const field = ['purpose', 'source', 'basis', 'date', 'preset', 'evidence'].includes(err.field ?? '') ? err.field! : undefined;
    return fail(domainMessage(a, err), field);
  }
};
