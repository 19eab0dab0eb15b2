/**
 * The Purposes pages: the list with the form to add one, and one purpose's page (edit, archive or restore; the
 * item a download/service purpose delivers; the welcome mail per language with its preview). Views of plain data
 * (services/organisation/purposes.ts, services/consent/welcome.ts); every text from purposes.texts.ts.
 */
import { ACCEPTED_BASES, PURPOSE_CATEGORIES } from '../../../core/policy/purpose-guard.js';
import { LANGUAGES, LAWFUL_BASES, type Language } from '../../../core/vocab.js';
import type { WelcomeMail } from '../../../services/consent/welcome.js';
import type { StoredMedia } from '../../../services/organisation/media.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import { html, type SafeHtml } from '../../html.js';
import { askButton, checkboxField, checkboxGroup, errorSummary, field, type FormState, freshForm, postForm, selectField, table, when } from '../components.js';
import { previewButton, previewFrame, widthChoice, type PreviewWidth } from '../components/preview.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';
import { fileSize } from '../media/media.view.js';

const editable = (a: AdminCtx) => a.session?.role === 'owner' || a.session?.role === 'editor';

/** "newsletter …: consent (GDPR 6(1)(a)); offers to customers …: legitimate interest … or consent …; …" */
const basesPerKind = (a: AdminCtx): string =>
  PURPOSE_CATEGORIES.map((c) => `${a.t(`category.${c}`)}: ${ACCEPTED_BASES[c].map((b) => a.t(`basis.${b}`)).join(a.t('purposes.basesOr'))}`).join('; ');

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
  hint: `${a.t('purposes.basesHint', { kinds: basesPerKind(a) })}${opts.withId ? ` ${a.t('purposes.basesUsual')}` : ''}`,
  options: LAWFUL_BASES.map((b) => ({ value: b, label: a.t(`basis.${b}`) })),
})}${opts.withId ? html`<input type="hidden" name="basesShown" value="${LAWFUL_BASES.filter((b) => state.values[`bases_${b}`] === 'yes').join(' ')}">` : ''}
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

/** What one purpose's page shows besides the purpose. */
export interface PurposePageView {
  purpose: PurposeView;
  /** Its welcome mail per language ({} when none) and the item it delivers. */
  welcome: WelcomeMail;
  itemUrl: string | null;
  /** The uploaded files to choose the item from; null when this server keeps none. */
  media: StoredMedia[] | null;
  /** The preview's first width (`?width=`). */
  width: PreviewWidth;
}

/** The states of the page's forms; those not given show what is stored. */
export interface PurposeStates {
  purpose?: FormState;
  welcome_nl?: FormState;
  welcome_en?: FormState;
  item?: FormState;
}

/** The name of the welcome mail's preview iframe. */
export const WELCOME_PREVIEW_FRAME = 'welcome-preview';

/** The welcome form's values of a stored welcome mail, per language (`subject_nl`, `body_nl`, …). */
export const welcomeFormValues = (w: WelcomeMail, lang: Language): Record<string, string> => ({ [`subject_${lang}`]: w[lang]?.subject ?? '', [`body_${lang}`]: w[lang]?.body ?? '' });

/** The item form's values: a stored file by its URL, another address as `url` with the address typed. */
export function itemFormValues(itemUrl: string | null, media: StoredMedia[] | null): Record<string, string> {
  if (!itemUrl) return { item: '', itemUrl: '' };
  return media?.some((m) => m.url === itemUrl) ? { item: itemUrl, itemUrl: '' } : { item: 'url', itemUrl };
}

/** The welcome mail: a form per language (save, preview as typed, remove) and the preview frame. */
function welcomeSection(a: AdminCtx, v: PurposePageView, states: PurposeStates): SafeHtml {
  const p = v.purpose;
  if (!p.bases.includes('A6-1-a')) {
    return html`<section class="card" id="welcome" aria-labelledby="welcome-title"><h2 id="welcome-title">${a.t('purposes.welcome')}</h2><p class="muted">${a.t('purposes.welcomeNoConsent')}</p></section>`;
  }
  const first = LANGUAGES.find((l) => l === a.lang && v.welcome[l]) ?? LANGUAGES.find((l) => v.welcome[l]);
  const base = `/admin/purposes/${p.id}/welcome`;
  const forms = LANGUAGES.map((lang) => {
    const state = states[`welcome_${lang}`] ?? freshForm(welcomeFormValues(v.welcome, lang));
    const set = !!v.welcome[lang];
    const fields = html`${errorSummary(a, state)}
${field(a, state, { name: `subject_${lang}`, label: a.t('purposes.welcomeSubject'), required: true, hint: a.t('purposes.welcomeSubjectHint') })}
${field(a, state, { name: `body_${lang}`, label: a.t('purposes.welcomeBody'), type: 'textarea', required: true, hint: a.t('purposes.welcomeBodyHint') })}`;
    return html`<div class="welcome-lang" id="welcome-${lang}">
<h3>${a.t(`purposes.welcomeLang.${lang}`)} <span class="badge">${a.t(set ? 'purposes.welcomeSet' : 'purposes.welcomeNotSet')}</span></h3>
${editable(a)
  ? html`${postForm(a, `${base}/${lang}#welcome-${lang}`, html`${fields}<div class="actions"><button type="submit">${a.t('common.save')}</button> ${previewButton(a, `${base}/${lang}/preview`, WELCOME_PREVIEW_FRAME)}${
      set ? html` <a href="${base}/${lang}/preview.html" target="${WELCOME_PREVIEW_FRAME}">${a.t('purposes.welcomeShowSaved')}</a>` : ''
    }</div>`)}
${set ? askButton(`${base}/${lang}/remove`, a.t('purposes.welcomeRemove')) : ''}`
  : html`<fieldset disabled class="plain">${fields}</fieldset>${set ? html`<p><a href="${base}/${lang}/preview.html" target="${WELCOME_PREVIEW_FRAME}">${a.t('purposes.welcomeShowSaved')}</a></p>` : ''}`}
</div>`;
  });
  return html`<section class="card preview" id="welcome" aria-labelledby="welcome-title">
<h2 id="welcome-title">${a.t('purposes.welcome')}</h2>
<p class="muted">${a.t('purposes.welcomeIntro')}</p>
${forms}
<h3 id="welcome-preview-title">${a.t('purposes.welcomePreview')}</h3>
<p class="muted">${a.t('purposes.welcomePreviewIntro')}</p>
${widthChoice(a, v.width, 'welcome-width')}
${previewFrame(a, { name: WELCOME_PREVIEW_FRAME, src: first ? `${base}/${first}/preview.html` : null, width: v.width })}
</section>`;
}

/** What a download or service purpose delivers on sign-up: an uploaded file, an https address, or nothing. */
function itemSection(a: AdminCtx, v: PurposePageView, states: PurposeStates): SafeHtml | string {
  if (v.purpose.category !== 'service') return '';
  const state = states.item ?? freshForm(itemFormValues(v.itemUrl, v.media));
  const options = [
    { value: '', label: a.t('purposes.itemNone') },
    ...(v.media ?? []).map((m) => ({ value: m.url, label: `${m.fileName} (${m.contentType}, ${fileSize(m.size, a.lang)})` })),
    { value: 'url', label: a.t('purposes.itemOther') },
  ];
  const fields = html`${errorSummary(a, state)}
${selectField(a, state, { name: 'item', label: a.t('purposes.item'), options, hint: a.t('purposes.itemChoiceHint') })}
${field(a, state, { name: 'itemUrl', label: a.t('purposes.itemUrl'), type: 'url', hint: a.t('purposes.itemUrlHint') })}`;
  return html`<section class="card" id="delivered-item" aria-labelledby="item-title">
<h2 id="item-title">${a.t('purposes.itemTitle')}</h2>
<p class="muted">${a.t('purposes.itemIntro')} <a href="/admin/media">${a.t('purposes.itemMedia')}</a></p>
${editable(a)
  ? postForm(a, `/admin/purposes/${v.purpose.id}/item#delivered-item`, html`${fields}<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`)
  : html`<fieldset disabled class="plain">${fields}</fieldset>`}
</section>`;
}

/** GET /admin/purposes/:id: the purpose's form, archive or restore, its welcome mail and the item it delivers. */
export function purposePage(a: AdminCtx, v: PurposePageView, states: PurposeStates = {}): string {
  const p = v.purpose;
  const state = states.purpose ?? freshForm(purposeFormValues(p));
  const name = a.lang === 'nl' ? p.name.nl : p.name.en;
  const form = editable(a)
    ? html`<section class="card">
${errorSummary(a, state)}
${postForm(a, `/admin/purposes/${p.id}`, html`${purposeFields(a, state, { withId: false })}<div class="actions"><button type="submit">${a.t('common.save')}</button> <a href="/admin/purposes">${a.t('common.back')}</a></div>`)}
</section>
<section class="card">
${p.archivedAt
  ? postForm(a, `/admin/purposes/${p.id}/restore`, html`<button type="submit" class="secondary">${a.t('purposes.restore')}</button>`)
  : askButton(`/admin/purposes/${p.id}/archive`, a.t('purposes.archive'))}
</section>`
    : html`<dl class="facts">
<dt>${a.t('purposes.category')}</dt><dd>${a.t(`category.${p.category}`)}</dd>
<dt>${a.t('purposes.bases')}</dt><dd>${p.bases.map((b) => a.t(`basis.${b}` as const)).join(', ')}</dd>
<dt>${a.t('purposes.doubleOptIn')}</dt><dd>${p.doubleOptIn ? a.t('common.yes') : a.t('common.no')}</dd>
</dl>`;
  return adminPage(a, a.t('purposes.editTitle', { name }), html`${form}${itemSection(a, v, states)}${welcomeSection(a, v, states)}`);
}
