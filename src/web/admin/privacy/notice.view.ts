/**
 * The privacy notice pages: the notice's state with the GDPR art. 13/14 items still missing and what to do for
 * each, the list of versions, one version as people read it (with "publish" for a draft), and the editor of
 * the texts only this page states (it saves a new draft).
 */
import type { MissingItem } from '../../../core/notice.js';
import type { RenderedNotice } from '../../../core/notice-render.js';
import type { Language } from '../../../core/vocab.js';
import type { NoticeEditor, NoticeStatus, NoticeVersionInfo } from '../../../services/organisation/notice-admin.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { errorSummary, field, postForm, selectField, table, when, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import type { AdminTextKey } from '../texts.js';
import { mayChange, privacyPage } from './privacy.view.js';

/** Where a missing item is filled in: the page and, in the editor, the field to jump to. */
function todoOf(m: MissingItem): { key: AdminTextKey; href: string } {
  const f = m.field;
  if (f.startsWith('controller.') || f.startsWith('recipients') || f.startsWith('transfers')) return { key: 'notice.todo.organisation', href: '/admin/organisation' };
  if (f.startsWith('purposes')) return { key: 'notice.todo.purposes', href: '/admin/purposes' };
  const anchor: Record<string, string> = {
    dpo: 'dpo', rights: 'rights_nl', withdrawal: 'withdrawal_nl', complaint: 'complaint_nl', provisionRequirement: 'provision_nl',
    automatedDecisions: 'automated', 'otherSources.dataCategories': 'categories_nl', 'otherSources.sources': 'sources_nl',
  };
  const target = anchor[f] ?? (f.startsWith('legitimateInterests.') ? `interest_${f.slice('legitimateInterests.'.length)}_nl` : 'interests');
  return { key: 'notice.todo.editor', href: `/admin/privacy/notice/edit#${target}` };
}

/** The missing items as a table with what to do for each, or the "complete" line. */
function missingList(a: AdminCtx, intro: string, missing: readonly MissingItem[]): SafeHtml {
  if (missing.length === 0) return html`<p class="ok-note">${a.t('notice.complete')}</p>`;
  return html`<section class="warning" aria-labelledby="missing-title"><h2 id="missing-title">${a.t('notice.missingTitle')}</h2><p>${intro}</p></section>
${table(
  a,
  [{ label: a.t('notice.item') }, { label: a.t('notice.what') }, { label: a.t('notice.todo') }],
  missing.map((m) => {
    const todo = todoOf(m);
    return [html`<span class="badge">${m.item}</span>`, a.lang === 'nl' ? m.nl : m.en, html`<a href="${todo.href}">${a.t(todo.key)}</a>`];
  }),
)}`;
}

const stateBadge = (a: AdminCtx, v: NoticeVersionInfo) =>
  html`<span class="badge${v.state === 'current' ? raw(' good') : v.state === 'draft' ? raw(' warn') : ''}">${a.t(`notice.state.${v.state}`)}</span>`;

/** The notice's main page: state, missing items with what to do, versions. */
export function noticePage(a: AdminCtx, status: NoticeStatus, versions: readonly NoticeVersionInfo[]): string {
  const missing = status.draft
    ? missingList(a, a.t('notice.missingDraft', { version: status.draft.version }), status.draft.missing)
    : status.published
      ? missingList(a, a.t('notice.missingPublished', { version: status.published.version }), status.publishedMissing)
      : '';
  return privacyPage(
    a,
    a.t('notice.title'),
    html`<div class="card">
<p>${status.published ? a.t('notice.published', { version: status.published.version, when: when(a, status.published.publishedAt) }) : html`<strong>${a.t('notice.nonePublished')}</strong>`}</p>
${status.draft ? html`<p>${a.t('notice.draft', { version: status.draft.version, when: when(a, status.draft.createdAt) })} <a href="/admin/privacy/notice/${status.draft.version}">${a.t('notice.view')}</a></p>` : ''}
${mayChange(a) ? html`<p class="actions"><a class="button" href="/admin/privacy/notice/edit">${a.t('notice.edit')}</a></p>` : ''}
</div>
${missing}
<h2>${a.t('notice.versions')}</h2>
${table(
  a,
  [{ label: a.t('notice.version'), num: true }, { label: a.t('notice.state') }, { label: a.t('notice.created') }, { label: a.t('notice.publishedAt') }, { label: '' }],
  versions.map((v) => [v.version, stateBadge(a, v), when(a, v.createdAt), when(a, v.publishedAt), html`<a href="/admin/privacy/notice/${v.version}">${a.t('notice.view')}</a>`]),
)}`,
  );
}

/** One version as people read it, in `textLang`; a draft gets "publish" (privacy officer, owner). */
export function noticeVersionPage(
  a: AdminCtx,
  v: { info: NoticeVersionInfo; rendered: RenderedNotice; textLang: Language; missing: readonly MissingItem[] },
  state: FormState,
): string {
  const other: Language = v.textLang === 'nl' ? 'en' : 'nl';
  const publishable = v.info.state === 'draft' && mayChange(a);
  return privacyPage(
    a,
    a.t('notice.versionTitle', { version: v.info.version }),
    html`<p>${stateBadge(a, v.info)} ${v.info.publishedAt ? when(a, v.info.publishedAt) : when(a, v.info.createdAt)}</p>
${errorSummary(a, state)}
${v.info.state === 'draft' ? missingList(a, a.t('notice.missingDraft', { version: v.info.version }), v.missing) : ''}
${publishable
  ? postForm(
      a,
      `/admin/privacy/notice/${v.info.version}/publish`,
      html`<p class="hint">${a.t('notice.publishHint')}</p><button type="submit">${a.t('notice.publish')}</button>`,
      { class: 'card narrow' },
    )
  : ''}
<p>${a.t('notice.language')}: <strong>${a.t(v.textLang === 'nl' ? 'privacy.inDutch' : 'privacy.inEnglish')}</strong> ·
<a href="/admin/privacy/notice/${v.info.version}?text=${other}">${a.t(other === 'nl' ? 'privacy.inDutch' : 'privacy.inEnglish')}</a></p>
<article class="card" lang="${v.textLang}">
<h2>${v.rendered.title}</h2>
${v.rendered.sections.map(
  (s) => html`<h3>${s.heading} <span class="badge">${a.t('notice.section', { item: s.item })}</span></h3>${s.paragraphs.map((p) => html`<p>${p}</p>`)}`,
)}
</article>`,
  );
}

/** A pair of text areas (Dutch and English) for one text of the notice. */
function textPair(a: AdminCtx, state: FormState, name: string, label: string, hint?: string): SafeHtml {
  return html`<fieldset><legend>${label}</legend>${hint ? html`<p class="hint">${hint}</p>` : ''}<div class="two">
${field(a, state, { name: `${name}_nl`, label: a.t('privacy.inDutch'), type: 'textarea' })}
${field(a, state, { name: `${name}_en`, label: a.t('privacy.inEnglish'), type: 'textarea' })}</div></fieldset>`;
}

/** The editor of the notice's own texts; saving makes a new draft. */
export function noticeEditPage(a: AdminCtx, e: NoticeEditor, state: FormState): string {
  const based = e.basedOn
    ? html`<p>${a.t('notice.basedOn', { version: e.basedOn.version, state: a.t(e.basedOn.published ? 'notice.state.current' : 'notice.state.draft') })}</p>`
    : '';
  const dpo = e.dpoContact
    ? html`<fieldset id="dpo"><legend>${a.t('notice.dpo')}</legend><p>${a.t('notice.dpoAppointed', { contact: e.dpoContact })}</p></fieldset>`
    : selectField(a, state, {
        name: 'dpo',
        label: a.t('notice.dpo'),
        options: [
          { value: '', label: a.t('notice.dpo.unanswered') },
          { value: 'none', label: a.t('notice.dpo.none') },
        ],
      });
  const interests =
    e.interestPurposes.length > 0
      ? html`<h2 id="interests">${a.t('notice.interests')}</h2><p class="hint">${a.t('notice.interestsHint')}</p>
${e.interestPurposes.map((p) => textPair(a, state, `interest_${p.id}`, a.t('notice.interestFor', { name: p.name[a.lang] || p.id })))}`
      : '';
  const otherSources =
    e.usesOtherSources || state.values.categories_nl || state.values.sources_nl
      ? html`<h2>${a.t('notice.otherSources')}</h2><p class="hint">${a.t('notice.otherSourcesHint')}</p>
${textPair(a, state, 'categories', a.t('notice.categories'))}
${textPair(a, state, 'sources', a.t('notice.sources'))}`
      : '';
  return privacyPage(
    a,
    a.t('notice.editTitle'),
    html`<p>${a.t('notice.editIntro')}</p>
${based}
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/privacy/notice',
  html`${dpo}
${interests}
${textPair(a, state, 'rights', a.t('notice.rights'))}
${textPair(a, state, 'withdrawal', a.t('notice.withdrawal'))}
${textPair(a, state, 'complaint', a.t('notice.complaint'))}
${textPair(a, state, 'provision', a.t('notice.provision'), a.t('notice.provisionHint'))}
${selectField(a, state, {
  name: 'automated',
  label: a.t('notice.automated'),
  options: [
    { value: 'none', label: a.t('notice.automated.none') },
    { value: 'described', label: a.t('notice.automated.described') },
  ],
})}
${textPair(a, state, 'automated', a.t('notice.automatedText'))}
${otherSources}
<div class="actions"><button type="submit">${a.t('notice.saveDraft')}</button> <a href="/admin/privacy">${a.t('common.cancel')}</a></div>`,
  { class: 'card' },
)}`,
  );
}
