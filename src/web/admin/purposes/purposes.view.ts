/**
 * The Purposes pages: the list with the form to add one, and one purpose's page (edit, archive or restore).
 * Views of plain data (services/organisation/purposes.ts); every text from purposes.texts.ts.
 */
import { ACCEPTED_BASES, PURPOSE_CATEGORIES } from '../../../core/policy/purpose-guard.js';
import { LAWFUL_BASES } from '../../../core/vocab.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import { html, type SafeHtml } from '../../html.js';
import { checkboxField, checkboxGroup, errorSummary, field, postForm, selectField, table, when, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

const editable = (a: AdminCtx) => a.session?.role === 'owner' || a.session?.role === 'editor';

/** The fields of a purpose's form (add and edit). */
function purposeFields(a: AdminCtx, state: FormState, opts: { withId: boolean }): SafeHtml {
  return html`${opts.withId ? field(a, state, { name: 'id', label: a.t('purposes.id'), hint: a.t('purposes.idHint'), required: true }) : ''}
<div class="two">
${field(a, state, { name: 'name_nl', label: a.t('purposes.nameNl'), required: true })}
${field(a, state, { name: 'name_en', label: a.t('purposes.nameEn'), required: true })}
${field(a, state, { name: 'description_nl', label: a.t('purposes.descriptionNl'), type: 'textarea', required: true })}
${field(a, state, { name: 'description_en', label: a.t('purposes.descriptionEn'), type: 'textarea', required: true })}
</div>
${selectField(a, state, {
  name: 'category',
  label: a.t('purposes.category'),
  hint: a.t('purposes.categoryHint'),
  options: PURPOSE_CATEGORIES.map((c) => ({ value: c, label: a.t(`category.${c}`) })),
})}
${checkboxGroup(a, state, {
  name: 'bases',
  legend: a.t('purposes.bases'),
  hint: a.t('purposes.basesHint'),
  options: LAWFUL_BASES.map((b) => ({ value: b, label: a.t(`basis.${b}`) })),
})}
${checkboxField(a, state, { name: 'doubleOptIn', label: a.t('purposes.doubleOptInLabel') })}
${checkboxField(a, state, { name: 'singleOptInAcknowledged', label: a.t('purposes.singleOptInAck') })}
<div class="two">
${field(a, state, { name: 'frequency_nl', label: a.t('purposes.frequencyNl'), hint: a.t('purposes.frequencyHint') })}
${field(a, state, { name: 'frequency_en', label: a.t('purposes.frequencyEn') })}
${field(a, state, { name: 'retention_nl', label: a.t('purposes.retentionNl'), type: 'textarea', hint: a.t('purposes.retentionHint') })}
${field(a, state, { name: 'retention_en', label: a.t('purposes.retentionEn'), type: 'textarea' })}
</div>`;
}

/** The form values of a stored purpose. */
export function purposeFormValues(p: PurposeView): Record<string, string> {
  const values: Record<string, string> = {
    name_nl: p.name.nl, name_en: p.name.en, description_nl: p.description.nl, description_en: p.description.en,
    category: p.category, doubleOptIn: p.doubleOptIn ? 'yes' : 'no', singleOptInAcknowledged: p.doubleOptIn ? 'no' : 'yes',
    frequency_nl: p.frequency.nl ?? '', frequency_en: p.frequency.en ?? '',
  };
  for (const b of p.bases) values[`bases_${b}`] = 'yes';
  return values;
}

/** A new purpose's form values: a newsletter on consent with double opt-in. */
export const newPurposeValues = (): Record<string, string> => ({
  category: 'purpose_marketing', [`bases_${ACCEPTED_BASES.purpose_marketing[0]}`]: 'yes', doubleOptIn: 'yes',
});

/** GET /admin/purposes: every purpose, and (for editors) the form to add one. */
export function purposesPage(a: AdminCtx, purposes: PurposeView[], state: FormState): string {
  const rows = purposes.map((p) => [
    html`<a href="/admin/purposes/${p.id}">${a.lang === 'nl' ? p.name.nl : p.name.en}</a> <span class="muted">(${p.id})</span>`,
    a.t(`category.${p.category}`),
    p.bases.join(', '),
    p.doubleOptIn ? a.t('common.yes') : a.t('common.no'),
    p.archivedAt ? a.t('purposes.archivedAt', { when: when(a, p.archivedAt) }) : a.t('purposes.inUse'),
  ]);
  const list = table(a, [{ label: a.t('purposes.name') }, { label: a.t('purposes.category') }, { label: a.t('purposes.bases') }, { label: a.t('purposes.doubleOptIn') }, { label: a.t('purposes.state') }], rows);
  const add = editable(a)
    ? html`<section class="card" aria-labelledby="add-purpose">
<h2 id="add-purpose">${a.t('purposes.add')}</h2>
${errorSummary(a, state)}
${postForm(a, '/admin/purposes', html`${purposeFields(a, state, { withId: true })}<div class="actions"><button type="submit">${a.t('purposes.addSubmit')}</button></div>`)}
</section>`
    : '';
  return adminPage(a, a.t('purposes.title'), html`<p class="lead">${a.t('purposes.intro')}</p>${list}${add}`);
}

/** GET /admin/purposes/:id: the purpose's form, and archive or restore. */
export function purposePage(a: AdminCtx, p: PurposeView, state: FormState): string {
  const name = a.lang === 'nl' ? p.name.nl : p.name.en;
  const form = editable(a)
    ? html`<section class="card">
${errorSummary(a, state)}
${postForm(a, `/admin/purposes/${p.id}`, html`${purposeFields(a, state, { withId: false })}<div class="actions"><button type="submit">${a.t('common.save')}</button> <a href="/admin/purposes">${a.t('common.back')}</a></div>`)}
</section>
<section class="card">
${p.archivedAt
  ? postForm(a, `/admin/purposes/${p.id}/restore`, html`<button type="submit" class="secondary">${a.t('purposes.restore')}</button>`)
  : postForm(a, `/admin/purposes/${p.id}/archive`, html`<button type="submit" class="danger">${a.t('purposes.archive')}</button>`)}
</section>`
    : html`<dl class="facts">
<dt>${a.t('purposes.category')}</dt><dd>${a.t(`category.${p.category}`)}</dd>
<dt>${a.t('purposes.bases')}</dt><dd>${p.bases.map((b) => a.t(`basis.${b}` as const)).join(', ')}</dd>
<dt>${a.t('purposes.doubleOptIn')}</dt><dd>${p.doubleOptIn ? a.t('common.yes') : a.t('common.no')}</dd>
</dl>`;
  return adminPage(a, a.t('purposes.editTitle', { name }), form);
}
