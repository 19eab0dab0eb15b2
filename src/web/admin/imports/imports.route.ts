/**
 * Handlers of the Imports pages (access in routes.ts): upload → preview of the first rows (nothing stored) →
 * import with the stated provenance → report. The import runs through the same services as `consentry import`
 * (services/lists/import/); the uploaded file waits in a private temporary folder and is removed once imported.
 */
import { z } from 'zod';
import { importCsv } from '../../../services/lists/import/csv-import.js';
import { previewCsv } from '../../../services/lists/import/csv-preview.js';
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
  map: z.string().trim().default(''),
  date: z.string().trim().default(''),
  evidence: z.string().trim().default(''),
  namesUs: z.enum(['yes', 'no']).default('no'),
  namesPurpose: z.string().default('no'),
});

const isZip = (u: StagedUpload) => u.path.toLowerCase().endsWith('.zip');
/** A preview with nothing to show (the form came back with an error). */
const NO_ROWS = { format: 'xlsx' as const, header: [], columns: {}, attributes: [], rows: [] };

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
    const preview = isZip(upload) ? ('mailchimp-zip' as const) : await previewCsv({ path: upload.path, ...(values.preset && { preset: values.preset }), ...(values.map && { map: values.map }) });
    return previewPage(a, shown, preview, purposes, { values, errors: {} });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // The file is staged: the form comes back with the message next to the column mapping (or the preset).
    reply.code(400);
    return previewPage(a, shown, NO_ROWS, purposes, { values, errors: { [err.field === 'preset' ? 'preset' : 'map']: domainMessage(a, err) } });
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
  const fail = (message: string, field?: string) => {
    reply.code(400);
    return previewPage(a, { id: upload.id, name: values.name ?? '' }, NO_ROWS, purposes, {
      values, errors: field ? { [field]: message } : {}, ...(field ? {} : { formError: message }),
    });
  };
  if (!p.success) return fail(a.t('error.code.required'), String(p.error.issues[0]!.path[0]));
  const i = p.data;
  try {
    const report = isZip(upload)
      ? await importMailchimp(a.deps, { ...mailchimpPaths([upload.path]), purposeId: i.purpose, ...(i.evidence && { evidenceRef: i.evidence }) })
      : await importCsv(a.deps, {
          path: upload.path, purposeId: i.purpose, source: i.source, basis: i.basis,
          ...(i.preset && { preset: i.preset }), ...(i.map && { map: i.map }), ...(i.date && { date: i.date }), ...(i.evidence && { evidenceRef: i.evidence }),
          evidenceNames: { organisation: i.namesUs === 'yes', purpose: i.namesPurpose === 'yes' },
        });
    discardUpload(upload);
    return reportPage(a, report);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const field = err.field === 'purpose' ? 'purpose' : err.field === 'source' || err.field === 'basis' || err.field === 'date' || err.field === 'preset' ? err.field : err.field === 'evidence' ? 'evidence' : err.field === 'map' ? 'map' : undefined;
    return fail(domainMessage(a, err), field);
  }
};
