/**
 * The Forms pages: the list with the form to add one, and one form's page (edit, hosted address, embed snippet).
 * Views of plain data (services/organisation/forms.ts); texts from forms.texts.ts.
 */
import type { FormView } from '../../../services/organisation/forms.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import { html, type SafeHtml } from '../../html.js';
import { checkboxField, checkboxGroup, errorSummary, field, postForm, selectField, table, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

const editable = (a: AdminCtx) => a.session?.role === 'owner' || a.session?.role === 'editor';
const nameOf = (a: AdminCtx, p: PurposeView) => (a.lang === 'nl' ? p.name.nl : p.name.en);

/** The fields of a form's form (add and edit). */
function formFields(a: AdminCtx, state: FormState, purposes: PurposeView[], opts: { withId: boolean }): SafeHtml {
  const live = purposes.filter((p) => !p.archivedAt);
  return html`${opts.withId ? field(a, state, { name: 'id', label: a.t('forms.id'), hint: a.t('forms.idHint'), required: true }) : ''}
${field(a, state, { name: 'name', label: a.t('forms.name'), required: true })}
${checkboxGroup(a, state, {
  name: 'purposes',
  legend: a.t('forms.purposesLegend'),
  options: live.filter((p) => p.category !== 'service').map((p) => ({ value: p.id, label: nameOf(a, p) })),
})}
${selectField(a, state, {
  name: 'leadMagnetPurposeId',
  label: a.t('forms.leadMagnet'),
  hint: a.t('forms.leadMagnetHint'),
  options: [{ value: '', label: a.t('forms.leadMagnetNone') }, ...live.filter((p) => p.category === 'service').map((p) => ({ value: p.id, label: nameOf(a, p) }))],
})}
${checkboxField(a, state, { name: 'doubleOptIn', label: a.t('forms.doubleOptIn') })}
${checkboxField(a, state, { name: 'singleOptInAcknowledged', label: a.t('forms.singleOptInAck'), hint: a.t('forms.singleOptInWarning') })}
<div class="two">
${field(a, state, { name: 'title_nl', label: a.t('forms.titleNl') })}
${field(a, state, { name: 'title_en', label: a.t('forms.titleEn') })}
${field(a, state, { name: 'intro_nl', label: a.t('forms.introNl'), type: 'textarea' })}
${field(a, state, { name: 'intro_en', label: a.t('forms.introEn'), type: 'textarea' })}
${field(a, state, { name: 'logoUrl', label: a.t('forms.logoUrl'), type: 'url' })}
${field(a, state, { name: 'accentColour', label: a.t('forms.accentColour'), hint: a.t('forms.accentHint') })}
</div>
${field(a, state, { name: 'thankYouUrl', label: a.t('forms.thankYouUrl'), type: 'url', hint: a.t('forms.thankYouHint') })}`;
}

/** The form values of a stored form. */
export function formFormValues(f: FormView): Record<string, string> {
  const values: Record<string, string> = {
    name: f.name, leadMagnetPurposeId: f.leadMagnetPurposeId ?? '', doubleOptIn: f.doubleOptIn ? 'yes' : 'no',
    singleOptInAcknowledged: f.doubleOptIn ? 'no' : 'yes', title_nl: f.texts.nl.title, title_en: f.texts.en.title,
    intro_nl: f.texts.nl.intro, intro_en: f.texts.en.intro, logoUrl: f.appearance.logoUrl ?? '',
    accentColour: f.appearance.accentColour ?? '', thankYouUrl: f.appearance.thankYouUrl ?? '',
  };
  for (const id of f.purposeIds) values[`purposes_${id}`] = 'yes';
  return values;
}

/** GET /admin/forms */
export function formsPage(a: AdminCtx, forms: FormView[], purposes: PurposeView[], state: FormState): string {
  const byId = new Map(purposes.map((p) => [p.id, p]));
  const list = table(
    a,
    [{ label: a.t('forms.name') }, { label: a.t('forms.purposes') }, { label: a.t('forms.url') }],
    forms.map((f) => [
      html`<a href="/admin/forms/${f.id}">${f.name}</a>`,
      f.purposeIds.map((id) => (byId.get(id) ? nameOf(a, byId.get(id)!) : id)).join(', '),
      html`<a href="${f.url}">${f.url}</a>`,
    ]),
  );
  const add = editable(a)
    ? html`<section class="card" aria-labelledby="add-form"><h2 id="add-form">${a.t('forms.add')}</h2>
${errorSummary(a, state)}
${postForm(a, '/admin/forms', html`${formFields(a, state, purposes, { withId: true })}<div class="actions"><button type="submit">${a.t('forms.addSubmit')}</button></div>`)}
</section>`
    : '';
  return adminPage(a, a.t('forms.title'), html`<p class="lead">${a.t('forms.intro')}</p>${list}${add}`);
}

/** GET /admin/forms/:id */
export function formPage(a: AdminCtx, f: FormView, purposes: PurposeView[], snippet: string, state: FormState): string {
  const edit = editable(a)
    ? html`<section class="card">${errorSummary(a, state)}
${postForm(a, `/admin/forms/${f.id}`, html`${formFields(a, state, purposes, { withId: false })}<div class="actions"><button type="submit">${a.t('common.save')}</button> <a href="/admin/forms">${a.t('common.back')}</a></div>`)}
</section>`
    : '';
  return adminPage(
    a,
    a.t('forms.editTitle', { name: f.name }),
    html`<p>${a.t('forms.hosted')} <a href="${f.url}">${f.url}</a></p>
${edit}
<section class="card"><h2>${a.t('forms.embed')}</h2><p class="hint">${a.t('forms.embedHint')}</p><pre class="snippet"><code>${snippet}</code></pre></section>`,
  );
}
