/**
 * The campaign pages for writing (issue 10): the list with status and counts, the form for a new campaign, and the
 * editor of a draft with its preview (an iframe of `preview.html` at 800 or 390 px for a chosen contact), the
 * missing-variables report, a test send to one's own address, duplicate and delete. Views of plain data only.
 */
import { legalSource } from '../../legal-source.js';
import { displayAddress } from '../../../core/address.js';
import { mayAccess } from '../../../core/admin/roles.js';
import type { Problem } from '../../../core/policy/guards.js';
import { LANGUAGES } from '../../../core/vocab.js';
import type { MissingVariable } from '../../../services/campaigns/content.js';
import type { SampleRecipient } from '../../../services/campaigns/campaigns.js';
import type { CampaignWithCounts } from '../../../services/campaigns/list.js';
import type { PurposeView } from '../../../services/organisation/purposes.js';
import type { CampaignRow } from '../../../store/schema.js';
import { html, type SafeHtml } from '../../html.js';
import { askButton, errorSummary, field, type FormState, postForm, selectField, table, when } from '../components.js';
import type { AdminCtx } from '../context.js';
import { previewButton, previewFrame, widthChoice } from '../components/preview.js';
import { adminPage } from '../layout.js';
import type { AdminTextKey } from '../texts.js';

const mayEdit = (a: AdminCtx) => !!a.session && mayAccess(a.session.role, 'edit');
const statusText = (a: AdminCtx, status: string) => a.t(`campaigns.status.${status}` as AdminTextKey);

/**
 * The list: name, purpose, language, status, counts, schedule; each links to its page.
 * @param purposes for the purposes' names (a campaign shows its purpose's id when the purpose is gone)
 */
export function campaignsPage(a: AdminCtx, campaigns: CampaignWithCounts[], purposes: PurposeView[]): string {
  const purposeName = new Map(purposes.map((p) => [p.id, p.name[a.lang]]));
  const n = (c: CampaignWithCounts, k: string) => c.deliveries[k] ?? 0;
  const rows = campaigns.map((c) => [
    html`<a href="/admin/campaigns/${c.id}">${c.name}</a>`,
    purposeName.get(c.purpose_id) ?? c.purpose_id,
    c.language.toUpperCase(),
    html`<span class="badge">${statusText(a, c.status)}</span>`,
    n(c, 'queued') + n(c, 'claimed'),
    n(c, 'sent'),
    n(c, 'blocked'),
    n(c, 'failed'),
    when(a, c.scheduled_at),
  ]);
  return adminPage(
    a,
    a.t('campaigns.title'),
    html`${mayEdit(a) ? html`<p><a class="button" href="/admin/campaigns/new">${a.t('campaigns.new')}</a></p>` : ''}
${table(
  a,
  [
    { label: a.t('campaigns.name') },
    { label: a.t('campaigns.purpose') },
    { label: a.t('campaigns.language') },
    { label: a.t('campaigns.status') },
    { label: a.t('campaigns.queued'), num: true },
    { label: a.t('campaigns.sent'), num: true },
    { label: a.t('campaigns.blocked'), num: true },
    { label: a.t('campaigns.failed'), num: true },
    { label: a.t('campaigns.schedule') },
  ],
  rows,
  a.t('campaigns.empty'),
)}`,
  );
}

/** What the campaign form chooses from. */
export interface CampaignFormChoices {
  purposes: PurposeView[];
  /** Drafts that may be the original of a translation (not translations themselves). */
  originals: Array<Pick<CampaignRow, 'id' | 'name' | 'language'>>;
}

/** The form's values of a stored campaign. */
export const campaignFormValues = (c: CampaignRow): Record<string, string> => ({
  name: c.name,
  purposeId: c.purpose_id,
  subject: c.subject,
  language: c.language,
  format: c.format,
  body: c.body,
  translationOf: c.translation_of ?? '',
});

/** The fields shared by "new" and "edit". */
function campaignFields(a: AdminCtx, state: FormState, choices: CampaignFormChoices, selfId?: string): SafeHtml {
  const purposes = choices.purposes.filter((p) => !p.archivedAt || p.id === state.values.purposeId);
  return html`<div class="two">
${field(a, state, { name: 'name', label: a.t('campaigns.name'), required: true, hint: a.t('campaigns.nameHint') })}
${selectField(a, state, { name: 'purposeId', label: a.t('campaigns.purpose'), hint: a.t('campaigns.purposeHint'), options: purposes.map((p) => ({ value: p.id, label: p.name[a.lang] })) })}
</div>
${field(a, state, { name: 'subject', label: a.t('campaigns.subject'), required: true })}
<div class="two">
${selectField(a, state, { name: 'language', label: a.t('campaigns.language'), hint: a.t('campaigns.languageHint'), options: LANGUAGES.map((l) => ({ value: l, label: a.t(`campaigns.language.${l}`) })) })}
${selectField(a, state, { name: 'format', label: a.t('campaigns.format'), options: [{ value: 'markdown', label: a.t('campaigns.format.markdown') }, { value: 'text', label: a.t('campaigns.format.text') }] })}
</div>
${field(a, state, { name: 'body', label: a.t('campaigns.body'), type: 'textarea', required: true, hint: a.t('campaigns.bodyHint') })}
${selectField(a, state, {
  name: 'translationOf',
  label: a.t('campaigns.translationOf'),
  hint: a.t('campaigns.translationOfHint'),
  options: [{ value: '', label: a.t('campaigns.translationNone') }, ...choices.originals.filter((o) => o.id !== selfId).map((o) => ({ value: o.id, label: `${o.name} (${o.language.toUpperCase()})` }))],
})}`;
}

/** The form for a new campaign. */
export function newCampaignPage(a: AdminCtx, choices: CampaignFormChoices, state: FormState): string {
  return adminPage(
    a,
    a.t('campaigns.new'),
    html`<section class="card">
${errorSummary(a, state)}
${postForm(a, '/admin/campaigns', html`${campaignFields(a, state, choices)}<div class="actions"><button type="submit">${a.t('campaigns.create')}</button> <a href="/admin/campaigns">${a.t('common.cancel')}</a></div>`)}
</section>`,
  );
}

/** What the editor shows besides the form. */
export interface EditorView {
  campaign: CampaignRow;
  choices: CampaignFormChoices;
  /** A few allowed recipients to preview as. */
  samples: SampleRecipient[];
  /** The contact previewed ('' for the sample contact) and the width. */
  contactId: string;
  width: 'desktop' | 'phone';
  audience: { allowed: number; total: number; missing: MissingVariable[] };
  /** Why the stored campaign cannot be previewed (it no longer compiles), or null. */
  previewError: string | null;
  /** The checks' warnings on a draft: it may go, but look at these first. */
  warnings: Problem[];
}

/** The name of the editor's preview iframe, which the form's "Preview this text" button targets. */
export const CAMPAIGN_PREVIEW_FRAME = 'campaign-preview';

function previewSection(a: AdminCtx, v: EditorView): SafeHtml {
  const id = v.campaign.id;
  const src = `/admin/campaigns/${id}/preview.html${v.contactId ? `?contact=${encodeURIComponent(v.contactId)}` : ''}`;
  const contactOptions = [
    { value: '', label: a.t('campaigns.previewSample') },
    ...v.samples.map((s) => ({ value: s.id, label: [s.firstName, s.lastName].filter(Boolean).join(' ') ? `${[s.firstName, s.lastName].filter(Boolean).join(' ')} · ${displayAddress(s.email)}` : displayAddress(s.email) })),
  ];
  return html`<section class="card preview" aria-labelledby="preview">
<h2 id="preview">${a.t('campaigns.preview')}</h2>
<p class="muted">${a.t('campaigns.previewIntro')}</p>
<form method="get" action="/admin/campaigns/${id}/edit" class="preview-choice">
${selectField(a, { values: { contact: v.contactId }, errors: {} }, { name: 'contact', label: a.t('campaigns.previewContact'), options: contactOptions })}
${widthChoice(a, v.width)}
<div class="actions"><button type="submit" class="secondary">${a.t('campaigns.showPreview')}</button></div>
</form>
${v.previewError ? html`<p class="alert" role="alert">${a.t('preview.error', { message: v.previewError })}</p>` : ''}
${previewFrame(a, { name: CAMPAIGN_PREVIEW_FRAME, src: v.previewError ? null : src, width: v.width })}
<p>${a.t('campaigns.audience', { allowed: v.audience.allowed, total: v.audience.total })}</p>
<h3>${a.t('campaigns.missing')}</h3>
${v.audience.missing.some((m) => m.count > 0)
  ? html`<p>${a.t('campaigns.missingIntro')}</p><ul>${v.audience.missing
      .filter((m) => m.count > 0)
      .map((m) => html`<li>${a.t('campaigns.missingLine', { variable: m.variable, count: m.count })} ${m.examples.map((e, i) => html`${i ? ', ' : ''}<a href="/admin/contacts/${e.contactId}">${displayAddress(e.email)}</a>`)}</li>`)}</ul>`
  : html`<p class="muted">${a.t('campaigns.missingNone')}</p>`}
</section>`;
}

/**
 * The editor: the form while it is a draft (else why not), the preview with its chooser, the missing variables,
 * a test send to the signed-in person's own address, duplicate and delete.
 * @param state the form (errors after a refused save); `test` the test-send form's state
 */
export function editCampaignPage(a: AdminCtx, v: EditorView, state: FormState, test: FormState): string {
  const c = v.campaign;
  const editable = mayEdit(a) && c.status === 'draft';
  const form = editable
    ? html`<section class="card" aria-labelledby="content">
<h2 id="content">${a.t('campaigns.body')}</h2>
${errorSummary(a, state)}
${postForm(a, `/admin/campaigns/${c.id}/edit`, html`${campaignFields(a, state, v.choices, c.id)}<input type="hidden" name="contact" value="${v.contactId}">
<div class="actions"><button type="submit">${a.t('common.save')}</button> ${previewButton(a, `/admin/campaigns/${c.id}/preview`, CAMPAIGN_PREVIEW_FRAME)}</div>`)}
</section>`
    : html`<p class="warning" role="status">${c.status === 'draft' ? a.t('campaigns.readOnly') : a.t('campaigns.notDraft', { status: statusText(a, c.status) })}</p>
${errorSummary(a, state)}`;
  const tools = mayEdit(a)
    ? html`<section class="card narrow" aria-labelledby="test">
<h2 id="test">${a.t('campaigns.test')}</h2>
<p>${a.t('campaigns.testIntro', { email: a.session?.email ?? '' })}</p>
${errorSummary(a, test)}
${postForm(a, `/admin/campaigns/${c.id}/test`, html`<input type="hidden" name="contact" value="${v.contactId}"><div class="actions"><button type="submit">${a.t('campaigns.testSubmit')}</button></div>`)}
</section>
<section class="card narrow" aria-labelledby="copy">
<h2 id="copy">${a.t('campaigns.duplicate')}</h2>
<p class="muted">${a.t('campaigns.duplicateIntro')}</p>
${postForm(a, `/admin/campaigns/${c.id}/duplicate`, html`<button type="submit" class="secondary">${a.t('campaigns.duplicate')}</button>`)}
</section>
${c.status === 'draft'
  ? html`<section class="card narrow" aria-labelledby="delete"><h2 id="delete">${a.t('campaigns.delete')}</h2>
${askButton(`/admin/campaigns/${c.id}/delete`, a.t('campaigns.delete'))}</section>`
  : ''}`
    : '';
  return adminPage(
    a,
    a.t('campaigns.editTitle', { name: c.name }),
    html`<p><span class="badge">${statusText(a, c.status)}</span> <a href="/admin/campaigns/${c.id}">${a.t('campaigns.toPage')}</a> · <a href="/admin/campaigns">${a.t('campaigns.toList')}</a></p>
${v.warnings.length > 0
  ? html`<div class="warning" role="status"><p>${a.t('campaigns.warnings')}</p><ul>${v.warnings.map((w) => html`<li>${a.lang === 'nl' ? w.message_nl : w.message_en} ${w.source ? html`<span class="muted">[${legalSource(a.lang, w.source)}]</span>` : ''}</li>`)}</ul></div>`
  : ''}
${form}
${previewSection(a, v)}
${tools}`,
  );
}
