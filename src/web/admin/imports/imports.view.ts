/**
 * The Imports pages: the upload form with the provenance every import must state, the preview of the first rows
 * as the importer reads them, and the report with every refused line. Views of plain data; texts from
 * imports.texts.ts.
 */
import { REASONS } from '../../../core/policy/reasons.js';
import { LAWFUL_BASES } from '../../../core/vocab.js';
import { FIELDS, PRESETS, SOURCE_ARGS } from '../../../services/lists/import/columns.js';
import type { CsvPreview } from '../../../services/lists/import/csv-preview.js';
import type { ImportReport, ImportSummary } from '../../../services/lists/import/import-run.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import type { RowRefusal } from '../../../services/lists/import/refusals.js';
import { html, type SafeHtml } from '../../html.js';
import { checkboxField, csrfField, errorSummary, field, selectField, table, vocabLabel, vocabOptions, when, withCode, type FormState } from '../components.js';
import type { AdminTextKey } from '../texts.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/** The provenance fields, shared by the upload form and the preview. */
function provenanceFields(a: AdminCtx, state: FormState, purposes: PurposeView[]): SafeHtml {
  return html`<div class="two">
${selectField(a, state, { name: 'purpose', label: a.t('imports.purpose'), options: purposes.filter((p) => !p.archivedAt).map((p) => ({ value: p.id, label: a.lang === 'nl' ? p.name.nl : p.name.en })) })}
${selectField(a, state, { name: 'preset', label: a.t('imports.preset'), options: [{ value: '', label: a.t('imports.presetNone') }, ...Object.keys(PRESETS).map((p) => ({ value: p, label: p }))] })}
${selectField(a, state, { name: 'source', label: a.t('imports.source'), options: vocabOptions(a, 'sourceArg', Object.keys(SOURCE_ARGS)) })}
${selectField(a, state, { name: 'basis', label: a.t('imports.basis'), options: vocabOptions(a, 'basis', LAWFUL_BASES) })}
</div>
<div class="two">
${field(a, state, { name: 'date', label: a.t('imports.date'), hint: a.t('imports.dateHint') })}
${field(a, state, { name: 'evidence', label: a.t('imports.evidence'), hint: a.t('imports.evidenceHint') })}
</div>
${checkboxField(a, state, { name: 'namesUs', label: a.t('imports.namesUs') })}
${checkboxField(a, state, { name: 'namesPurpose', label: a.t('imports.namesPurpose') })}`;
}

/** GET /admin/imports: the upload form and the latest imports. */
export function importsPage(a: AdminCtx, purposes: PurposeView[], history: ImportSummary[], state: FormState): string {
  const err = state.errors.file;
  const upload = html`<section class="card">${errorSummary(a, state)}
<form method="post" action="/admin/imports/preview" enctype="multipart/form-data" novalidate>${csrfField(a)}
<div class="field"><label for="file">${a.t('imports.file')}</label>
<input type="file" id="file" name="file" accept=".csv,.tsv,.txt,.xlsx,.zip" required${err ? html` aria-invalid="true" aria-describedby="file-error"` : ''}>
${err ? html`<p class="error-text" id="file-error">${err}</p>` : ''}</div>
${provenanceFields(a, state, purposes)}
<div class="actions"><button type="submit">${a.t('imports.previewSubmit')}</button></div>
</form></section>`;
  const list = table(
    a,
    [{ label: a.t('imports.started') }, { label: a.t('imports.preset') }, { label: a.t('imports.source') }, { label: a.t('imports.purpose') }, { label: a.t('imports.finished') }],
    history.map((i) => [when(a, i.startedAt), i.format, i.sourceKind, i.purposeId, i.finishedAt ? when(a, i.finishedAt) : a.t('imports.interrupted')]),
  );
  return adminPage(a, a.t('imports.title'), html`<p class="lead">${a.t('imports.intro')}</p>${upload}<h2>${a.t('imports.history')}</h2>${list}`);
}

/**
 * One select per column of the file: what Consentry reads from it, the detected choice preselected unless the
 * person chose otherwise (`col.<n>` in the form state), with the first values of the column as a hint.
 */
function columnChooser(a: AdminCtx, preview: CsvPreview, state: FormState): SafeHtml {
  const options = vocabOptions(a, 'field', FIELDS, a.t('field.keep'));
  return html`<fieldset class="columns"><legend>${a.t('imports.columns')}</legend>
<p class="hint">${a.t('imports.columnsHint')}</p>
<input type="hidden" name="columnsFor" value="${state.values.preset ?? ''}">
${preview.header.map((h, i) => {
  const name = `col.${i}`;
  const values = { ...state, values: { ...state.values, [name]: state.values[name] ?? preview.byColumn[i] ?? '' } };
  const examples = preview.rows.map((r) => r.cells[i] ?? '').filter(Boolean).slice(0, 3).join(' · ');
  return selectField(a, values, { name, label: h || a.t('imports.columnUnnamed', { n: i + 1 }), options, ...(examples && { hint: a.t('imports.examples', { examples }) }) });
})}
</fieldset>`;
}

/** POST /admin/imports/preview: the column chooser, the first rows as read, and the provenance again. */
export function previewPage(a: AdminCtx, upload: { id: string; name: string }, preview: CsvPreview | 'mailchimp-zip' | null, purposes: PurposeView[], state: FormState): string {
  const rows =
    preview === null
      ? ''
      : preview === 'mailchimp-zip'
      ? html`<p>${a.t('imports.mailchimpZip')}</p>`
      : html`<p>${a.t('imports.format')}: ${preview.format === 'xlsx' ? 'Excel (.xlsx)' : `${a.t('imports.delimiter')} “${preview.format.delimiter === '\t' ? 'tab' : preview.format.delimiter}”, ${a.t('imports.encoding')} ${preview.format.encoding}`}</p>
${table(
  a,
  [{ label: a.t('imports.line'), num: true }, ...Object.entries(preview.columns).map(([f, h]) => ({ label: `${a.t(`field.${f}` as AdminTextKey)} ← ${h}` }))],
  preview.rows.map((r) => [r.line, ...Object.keys(preview.columns).map((f) => (r.problem ? refusalText(a, r.problem) : (r.values as Record<string, string>)[f] ?? ''))]),
)}
${preview.attributes.length ? html`<p class="hint">${a.t('imports.attributes')}: ${preview.attributes.join(', ')}</p>` : ''}`;
  return adminPage(
    a,
    a.t('imports.previewTitle'),
    html`<p class="lead">${a.t(preview === 'mailchimp-zip' ? 'imports.previewIntroZip' : 'imports.previewIntro', { name: upload.name })}</p>
${rows ? html`<section class="card">${rows}</section>` : ''}
<section class="card">${errorSummary(a, state)}
<form method="post" action="/admin/imports/run" novalidate>${csrfField(a)}
<input type="hidden" name="upload" value="${upload.id}"><input type="hidden" name="name" value="${upload.name}">
${preview && preview !== 'mailchimp-zip' ? columnChooser(a, preview, state) : ''}
${provenanceFields(a, state, purposes)}
<div class="actions"><button type="submit">${a.t('imports.run')}</button> <button type="submit" class="secondary" formaction="/admin/imports/preview">${a.t('imports.again')}</button> <a href="/admin/imports">${a.t('common.cancel')}</a></div>
</form></section>`,
  );
}

/**
 * A refused row's reason in the page's language (texts `imports.refusal.<code>`), the field named as the column
 * chooser names it (a Mailchimp header stays as it is), with the code in small type under it.
 */
function refusalText(a: AdminCtx, r: RowRefusal): SafeHtml {
  const params = { ...r.params, ...(typeof r.params.field === 'string' && { field: vocabLabel(a, 'field', r.params.field) }), ...(typeof r.params.optinField === 'string' && { optinField: vocabLabel(a, 'field', r.params.optinField) }) };
  return withCode(a.t(`imports.refusal.${r.code}`, params), r.code);
}

/** The report after an import: counts per file, the refused lines with their reasons, what is not provable. */
export function reportPage(a: AdminCtx, report: ImportReport, purposes: PurposeView[]): string {
  const counts = table(
    a,
    [{ label: a.t('imports.file') }, { label: a.t('imports.rows'), num: true }, { label: a.t('imports.created'), num: true }, { label: a.t('imports.updated'), num: true }, { label: a.t('imports.unchanged'), num: true }, { label: a.t('imports.merged'), num: true }, { label: a.t('imports.suppressedCount'), num: true }, { label: a.t('imports.withdrawn'), num: true }, { label: a.t('imports.refusedCount'), num: true }],
    report.files.map((f) => [`${f.file} (${a.t(`imports.role.${f.role}` as AdminTextKey)})`, f.rows, f.created, f.updated, f.unchanged, f.merged, f.suppressed, f.withdrawn, f.refused]),
  );
  // Nine columns: a long file name breaks in lines of readable width (admin.css.ts), not letter by letter.
  const countsTable = html`<div class="import-counts">${counts}</div>`;
  const m = report.mailability;
  const purpose = purposes.find((p) => p.id === m.purposeId);
  const purposeName = purpose ? (a.lang === 'nl' ? purpose.name.nl : purpose.name.en) : m.purposeId;
  const mailability = m.judged === 0
    ? ''
    : html`<section class="card"><h2>${a.t('imports.mailabilityTitle', { purpose: purposeName })}</h2>
<p class="${m.mailable < m.judged ? 'warning' : ''}">${a.t('imports.mailability', { mailable: m.mailable, judged: m.judged, blocked: m.judged - m.mailable })}</p>
${m.blocked.length ? table(
  a,
  [{ label: a.t('imports.blockedCount'), num: true }, { label: a.t('imports.reason') }, { label: a.t('imports.todo') }],
  m.blocked.map((b) => [b.count, html`<code>${b.code}</code> ${a.lang === 'nl' ? REASONS[b.code].nl : REASONS[b.code].en}`,
    b.action === 'repermission' ? html`${a.t('imports.action.repermission')} <a href="/admin/audit">${a.t('imports.toAudit')}</a>` : a.t(`imports.action.${b.action}`)]),
) : ''}</section>`;
  const refused = table(
    a,
    [{ label: a.t('imports.file') }, { label: a.t('imports.line'), num: true }, { label: a.t('imports.reason') }],
    report.refused.map((r) => [r.file, r.line, refusalText(a, r)]),
  );
  return adminPage(
    a,
    a.t('imports.reportTitle'),
    html`${report.rerun ? html`<p class="flash" role="status">${a.t('imports.rerun')}</p>` : ''}
${countsTable}
${mailability}
${report.notProvable.count ? html`<p class="warning">${a.t('imports.notProvable', { count: report.notProvable.count })}</p>` : ''}
<h2>${a.t('imports.refused')}</h2>${refused}
<p><a href="/admin/imports">${a.t('common.back')}</a></p>`,
  );
}
