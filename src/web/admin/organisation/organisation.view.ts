/**
 * The Organisation page: the privacy notice's state, then one form per setting, each saved by its own service
 * (identity, recipients, transfers, settings that change decisions, retention, mail branding with the logo
 * chosen from the uploaded images or uploaded right there, time zone). Other
 * roles see the same values in disabled fields without buttons. Views of plain data; texts in
 * organisation.texts.ts.
 */
import { TRANSFER_SAFEGUARDS } from '../../../core/notice.js';
import { DEFAULT_RETENTION_RULES, RETENTION_RULE_KINDS } from '../../../core/retention.js';
import type { NoticeStatus } from '../../../services/organisation/notice-admin.js';
import type { OrganisationSettings } from '../../../services/organisation/organisation.js';
import { isImageType, type StoredMedia } from '../../../services/organisation/media.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { csrfField, errorSummary, field, freshForm, postForm, selectField, when, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/** The page's forms, each posting to its own path under /admin/organisation. */
export const ORG_SECTIONS = ['identity', 'recipients', 'transfers', 'decisions', 'retention', 'branding', 'timeZone'] as const;
export type OrgSection = (typeof ORG_SECTIONS)[number];

/** What the page shows. */
export interface OrganisationView {
  settings: OrganisationSettings;
  notice: NoticeStatus;
  timeZone: string;
  /** The uploaded files (the logo is chosen from the images); null when this server keeps none. */
  media: StoredMedia[] | null;
}

const RECIPIENT_FIELDS = ['name', 'role', 'task_nl', 'task_en', 'country'] as const;
const TRANSFER_FIELDS = ['recipient', 'country', 'safeguard', 'details_nl', 'details_en'] as const;

/** How many rows of a list (`recipients[i].…`) the values hold. */
export function rowCount(values: Record<string, string>, list: string): number {
  let n = 0;
  for (const k of Object.keys(values)) {
    const m = new RegExp(`^${list}\\[(\\d+)\\]\\.`).exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return n;
}

/** Whether row i of a list has nothing typed in its text fields (a select alone does not count). */
export function blankRow(values: Record<string, string>, list: string, i: number, fields: readonly string[]): boolean {
  return fields.every((f) => !(values[`${list}[${i}].${f}`] ?? '').trim());
}

/** The forms' values as the settings are now. */
export function currentValues(view: OrganisationView): Record<OrgSection, Record<string, string>> {
  const { organisation: o, recipients, transfers, decisions, retention } = view.settings;
  const rec: Record<string, string> = {};
  if (Array.isArray(recipients)) {
    recipients.forEach((r, i) => {
      Object.assign(rec, { [`recipients[${i}].name`]: r.name, [`recipients[${i}].role`]: r.role, [`recipients[${i}].task_nl`]: r.task.nl, [`recipients[${i}].task_en`]: r.task.en, [`recipients[${i}].country`]: r.country });
    });
  }
  const tr: Record<string, string> = {};
  if (Array.isArray(transfers)) {
    transfers.forEach((t, i) => {
      Object.assign(tr, { [`transfers[${i}].recipient`]: t.recipient, [`transfers[${i}].country`]: t.country, [`transfers[${i}].safeguard`]: t.safeguard, [`transfers[${i}].details_nl`]: t.details.nl, [`transfers[${i}].details_en`]: t.details.en });
    });
  }
  return {
    identity: {
      name: o?.name ?? '', postalAddress: o?.postalAddress ?? '', chamberOfCommerce: o?.chamberOfCommerce ?? '', fromName: o?.fromName ?? '',
      fromAddress: o?.fromAddress ?? '', replyTo: o?.replyTo ?? '', privacyContact: o?.privacyContact ?? '', dpoContact: o?.dpoContact ?? '', website: o?.website ?? '',
    },
    recipients: rec,
    transfers: tr,
    decisions: { customerExceptionMonths: String(decisions.customerExceptionMonths ?? '') },
    retention: Object.fromEntries(RETENTION_RULE_KINDS.map((k) => [`retention.${k}`, retention[k] === undefined ? '' : String(retention[k])])),
    branding: { ...logoValues(o?.logoUrl, view.media), accentColour: o?.accentColour ?? '' },
    timeZone: { timeZone: view.timeZone },
  };
}

/** Time zone names for the select: the runtime's IANA zones with a region, UTC, and the current one. */
function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone').filter((z) => z.includes('/'));
  return [...new Set(['UTC', ...zones, current])].sort();
}

function section(a: AdminCtx, id: OrgSection, title: string, hint: string, state: FormState, content: SafeHtml, owner: boolean, opts: { upload?: boolean } = {}): SafeHtml {
  const path = id === 'identity' ? '/admin/organisation' : `/admin/organisation/${id === 'timeZone' ? 'time-zone' : id}`;
  const body = html`${errorSummary(a, state)}${content}`;
  const buttons = html`<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`;
  const form = opts.upload
    ? html`<form method="post" action="${path}#${id}" enctype="multipart/form-data" novalidate>${csrfField(a)}${body}${buttons}</form>`
    : postForm(a, `${path}#${id}`, html`${body}${buttons}`);
  return html`<section class="card" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${title}</h2>
<p class="muted">${hint}</p>
${owner ? form : html`<fieldset disabled class="plain">${body}</fieldset>`}
</section>`;
}

/** The branding form's logo fields as the logo is now: an uploaded image by its URL, another address as `url`. */
function logoValues(logoUrl: string | undefined, media: StoredMedia[] | null): Record<string, string> {
  if (!logoUrl) return { logo: '', logoUrl: '' };
  return media?.some((m) => m.url === logoUrl) ? { logo: logoUrl, logoUrl: '' } : { logo: 'url', logoUrl };
}

/** The logo: an uploaded image, another https address, or a new image uploaded here; the current one shown. */
function brandingFields(a: AdminCtx, view: OrganisationView, state: FormState): SafeHtml {
  const images = (view.media ?? []).filter((m) => isImageType(m.contentType));
  const current = view.settings.organisation?.logoUrl;
  const own = current ? images.find((m) => m.url === current) : undefined;
  const options = [
    { value: '', label: a.t('org.logoNone') },
    ...images.map((m) => ({ value: m.url, label: m.fileName })),
    { value: 'url', label: a.t('org.logoOther') },
  ];
  const err = state.errors.logoFile;
  const upload = view.media
    ? html`<div class="field"><label for="logoFile">${a.t('org.logoUpload')} <span class="hint">${a.t('common.optional')}</span></label>
<span class="hint" id="logoFile-hint">${a.t('org.logoUploadHint')}</span>
<input type="file" id="logoFile" name="logoFile" accept=".png,.jpg,.jpeg,.gif,.webp" aria-describedby="logoFile-hint${err ? ' logoFile-error' : ''}"${err ? raw(' aria-invalid="true"') : ''}>
${err ? html`<p class="error-text" id="logoFile-error">${err}</p>` : ''}</div>`
    : '';
  return html`${own ? html`<p class="logo-current"><img src="/media/${own.id}/${own.fileName}" alt="${a.t('org.logoCurrent')}" height="48"></p>` : ''}
<div class="two">
${selectField(a, state, { name: 'logo', label: a.t('org.logo'), options, hint: a.t('org.logoHint') })}
${field(a, state, { name: 'logoUrl', label: a.t('org.logoUrl'), type: 'url', hint: a.t('org.logoUrlHint') })}
</div>
${upload}
${field(a, state, { name: 'accentColour', label: a.t('org.accentColour'), hint: a.t('org.accentHint') })}`;
}

function recipientRows(a: AdminCtx, state: FormState): SafeHtml[] {
  const rows = rowCount(state.values, 'recipients');
  const n = rows === 0 ? 2 : blankRow(state.values, 'recipients', rows - 1, RECIPIENT_FIELDS.filter((f) => f !== 'role')) ? rows : rows + 1;
  return Array.from({ length: n }, (_, i) => {
    const p = `recipients[${i}].`;
    const example = rows === 0 ? a.t(i === 0 ? 'org.recipientExample1' : 'org.recipientExample2') : undefined;
    const withRole = { ...state, values: { [`${p}role`]: 'processor', ...state.values } };
    return html`<fieldset><legend>${a.t('org.recipientRow', { n: i + 1 })}</legend>
<div class="two">
${field(a, state, { name: `${p}name`, label: a.t('org.recipientName'), required: true, ...(example ? { hint: example } : {}) })}
${selectField(a, withRole, { name: `${p}role`, label: a.t('org.recipientRole'), options: [{ value: 'processor', label: a.t('org.roleProcessor') }, { value: 'controller', label: a.t('org.roleController') }] })}
${field(a, state, { name: `${p}task_nl`, label: a.t('org.taskNl'), required: true })}
${field(a, state, { name: `${p}task_en`, label: a.t('org.taskEn'), required: true })}
${field(a, state, { name: `${p}country`, label: a.t('org.country'), required: true })}
</div></fieldset>`;
  });
}

function transferRows(a: AdminCtx, state: FormState): SafeHtml[] {
  const rows = rowCount(state.values, 'transfers');
  const n = rows > 0 && blankRow(state.values, 'transfers', rows - 1, TRANSFER_FIELDS.filter((f) => f !== 'safeguard')) ? rows : rows + 1;
  return Array.from({ length: n }, (_, i) => {
    const p = `transfers[${i}].`;
    return html`<fieldset><legend>${a.t('org.transferRow', { n: i + 1 })}</legend>
<div class="two">
${field(a, state, { name: `${p}recipient`, label: a.t('org.transferRecipient'), required: true })}
${field(a, state, { name: `${p}country`, label: a.t('org.country'), required: true })}
</div>
${selectField(a, state, { name: `${p}safeguard`, label: a.t('org.safeguard'), options: TRANSFER_SAFEGUARDS.map((s) => ({ value: s, label: a.t(`org.safeguard.${s}`) })) })}
<div class="two">
${field(a, state, { name: `${p}details_nl`, label: a.t('org.detailsNl'), type: 'textarea', required: true })}
${field(a, state, { name: `${p}details_en`, label: a.t('org.detailsEn'), type: 'textarea', required: true })}
</div></fieldset>`;
  });
}

function noticeCard(a: AdminCtx, notice: NoticeStatus): SafeHtml {
  const missing = notice.draft?.missing ?? [];
  return html`<section class="card" aria-labelledby="notice-title">
<h2 id="notice-title">${a.t('org.notice')}</h2>
<p>${notice.published ? a.t('org.noticePublished', { version: notice.published.version, when: when(a, notice.published.publishedAt) }) : a.t('org.noticeNone')}</p>
${notice.draft
  ? html`<p class="warning">${a.t('org.noticeDraft', { version: notice.draft.version })}</p>
<ul>${missing.map((m) => html`<li>${a.lang === 'nl' ? m.nl : m.en} <span class="muted">(AVG/GDPR ${m.item})</span></li>`)}</ul>`
  : ''}
<p><a href="/privacy?lang=${a.lang}">${a.t('org.noticeView')}</a></p>
</section>`;
}

/**
 * GET /admin/organisation, and the page again after a refused save.
 * @param states the state of a form that came back with errors; the others show the settings as they are
 */
export function organisationPage(a: AdminCtx, view: OrganisationView, states: Partial<Record<OrgSection, FormState>> = {}): string {
  const owner = a.session?.role === 'owner';
  const values = currentValues(view);
  const s = (id: OrgSection) => states[id] ?? freshForm(values[id]);
  if (!view.settings.organisation) return adminPage(a, a.t('nav.organisation'), html`<div class="card"><p>${a.t('org.notSetUp')}</p></div>`);
  const idState = s('identity');
  const recState = s('recipients');
  const trState = s('transfers');
  const retState = s('retention');
  const recipients = view.settings.recipients;
  const transfers = view.settings.transfers;
  return adminPage(
    a,
    a.t('nav.organisation'),
    html`<p class="muted">${a.t(owner ? 'org.intro' : 'org.readOnly')}</p>
${noticeCard(a, view.notice)}
${section(a, 'identity', a.t('org.identity'), a.t('org.identityHint'), idState, html`<div class="two">
${field(a, idState, { name: 'name', label: a.t('org.name'), required: true })}
${field(a, idState, { name: 'chamberOfCommerce', label: a.t('org.kvk') })}
</div>
${field(a, idState, { name: 'postalAddress', label: a.t('org.postalAddress'), type: 'textarea', required: true })}
<div class="two">
${field(a, idState, { name: 'fromName', label: a.t('org.fromName'), hint: a.t('org.fromNameHint') })}
${field(a, idState, { name: 'fromAddress', label: a.t('org.fromAddress'), type: 'email', required: true, hint: a.t('org.fromAddressHint') })}
${field(a, idState, { name: 'replyTo', label: a.t('org.replyTo'), type: 'email', required: true, hint: a.t('org.replyToHint') })}
${field(a, idState, { name: 'privacyContact', label: a.t('org.privacyContact'), type: 'email', hint: a.t('org.privacyContactHint') })}
${field(a, idState, { name: 'dpoContact', label: a.t('org.dpo'), hint: a.t('org.dpoHint') })}
${field(a, idState, { name: 'website', label: a.t('org.website'), type: 'url' })}
</div>`, owner)}
${section(a, 'recipients', a.t('org.recipients'), a.t('org.recipientsHint'), recState, html`<p>${
  recipients === 'none' ? a.t('org.recipientsNone') : recipients === null ? a.t('org.recipientsUnstated') : ''
}</p>${recipientRows(a, recState)}`, owner)}
${section(a, 'transfers', a.t('org.transfers'), a.t('org.transfersHint'), trState, html`<p>${
  transfers === 'none' ? a.t('org.transfersNone') : transfers === null ? a.t('org.recipientsUnstated') : ''
}</p>${transferRows(a, trState)}`, owner)}
${section(a, 'decisions', a.t('org.decisions'), a.t('org.customerExceptionHint'), s('decisions'), field(a, s('decisions'), { name: 'customerExceptionMonths', label: a.t('org.customerExceptionMonths'), type: 'number', required: true }), owner)}
${section(a, 'retention', a.t('org.retention'), a.t('org.retentionHint'), retState, html`<div class="two">${RETENTION_RULE_KINDS.map((k) => {
  const d = DEFAULT_RETENTION_RULES[k];
  return field(a, retState, { name: `retention.${k}`, label: a.t(`org.retention.${k}`), type: 'number', hint: d === undefined ? a.t('org.retentionOff') : a.t('org.retentionDefault', { n: d }) });
})}</div>`, owner)}
${section(a, 'branding', a.t('org.branding'), a.t('org.brandingHint'), s('branding'), brandingFields(a, view, s('branding')), owner, { upload: !!view.media })}
${section(a, 'timeZone', a.t('org.timeZone'), a.t('org.timeZoneHint'), s('timeZone'), selectField(a, s('timeZone'), { name: 'timeZone', label: a.t('org.timeZone'), options: timeZones(view.timeZone).map((z) => ({ value: z, label: z })) }), owner)}
`,
  );
}
