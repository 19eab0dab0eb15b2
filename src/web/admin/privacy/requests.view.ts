/**
 * The register of data-subject requests (GDPR 12(3), 15–22): the list with due dates (overdue first and marked),
 * the form to register a request, and one request's page with "extend" and "mark answered".
 */
import { REQUEST_KINDS } from '../../../core/requests.js';
import { REQUEST_CHANNELS, type RequestView } from '../../../services/rights/requests.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { errorSummary, field, postForm, selectField, table, when, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { mayChange, privacyPage } from './privacy.view.js';

/** The day of a time in the page's language, e.g. "6 dec 2026". */
const day = (a: AdminCtx, iso: string) =>
  new Intl.DateTimeFormat(a.lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

const stateBadge = (a: AdminCtx, v: RequestView): SafeHtml => {
  const cls = v.state === 'overdue' ? ' bad' : v.state === 'due_soon' ? ' warn' : v.state === 'done' ? ' good' : '';
  return html`<span class="badge${raw(cls)}">${a.t(`requests.state.${v.state}`)}</span>`;
};

/** The article of the right in the page's language: 'art. 15 AVG' or 'GDPR 15'. */
const article = (a: AdminCtx, v: RequestView) => (a.lang === 'nl' ? `${v.article.replace('GDPR ', 'art. ')} AVG` : v.article);

const concerns = (a: AdminCtx, v: RequestView): SafeHtml =>
  html`${v.requester ?? ''}${v.requester && v.contactId ? ' · ' : ''}${v.contactId ? html`<a href="/admin/contacts/${v.contactId}">${a.t('requests.contactLink')}</a>` : ''}`;

/** The register and, for the privacy officer, the form to add a request. */
export function requestsPage(a: AdminCtx, views: readonly RequestView[], all: boolean, state: FormState): string {
  const overdue = views.filter((v) => v.state === 'overdue').length;
  const list = table(
    a,
    [{ label: a.t('requests.kind') }, { label: a.t('requests.state') }, { label: a.t('requests.received') }, { label: a.t('requests.due') }, { label: a.t('requests.concerns') }, { label: '' }],
    views.map((v) => [
      html`${a.t(`requests.kind.${v.kind}`)} <span class="muted">(${article(a, v)})</span>`,
      stateBadge(a, v),
      day(a, v.receivedAt),
      v.state === 'overdue' ? html`<strong class="overdue">${day(a, v.dueAt)}</strong>` : day(a, v.dueAt),
      concerns(a, v),
      html`<a href="/admin/privacy/requests/${v.id}">${a.t('requests.open')}</a>`,
    ]),
  );
  const form = mayChange(a)
    ? html`<section class="card narrow" aria-labelledby="add-request"><h2 id="add-request">${a.t('requests.add')}</h2>
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/privacy/requests',
  html`${selectField(a, state, { name: 'kind', label: a.t('requests.kind'), options: REQUEST_KINDS.map((k) => ({ value: k, label: a.t(`requests.kind.${k}`) })) })}
${selectField(a, state, { name: 'channel', label: a.t('requests.channel'), options: REQUEST_CHANNELS.map((c) => ({ value: c, label: a.t(`requests.channel.${c}`) })) })}
${field(a, state, { name: 'receivedAt', label: a.t('requests.received'), type: 'date', hint: a.t('requests.receivedHint') })}
${field(a, state, { name: 'contact', label: a.t('requests.contact'), hint: a.t('requests.contactHint'), autocomplete: 'off' })}
${field(a, state, { name: 'requester', label: a.t('requests.requester'), hint: a.t('requests.requesterHint'), autocomplete: 'off' })}
<div class="actions"><button type="submit">${a.t('requests.add')}</button></div>`,
)}</section>`
    : '';
  return privacyPage(
    a,
    a.t('requests.title'),
    html`<p>${a.t('requests.intro')}</p>
${overdue > 0 ? html`<p class="alert" role="alert">${a.t('requests.overdue', { count: overdue })}</p>` : ''}
<p><a href="/admin/privacy/requests${all ? '' : '?all=1'}">${a.t(all ? 'requests.showOpen' : 'requests.showAll')}</a></p>
${list}
${form}`,
  );
}

/** One request: its facts, and while open the forms to extend its deadline and to mark it answered. */
export function requestPage(a: AdminCtx, v: RequestView, forms: { extend: FormState; complete: FormState }): string {
  const facts = html`<dl class="facts">
<dt>${a.t('requests.state')}</dt><dd>${stateBadge(a, v)}</dd>
<dt>${a.t('requests.received')}</dt><dd>${day(a, v.receivedAt)}</dd>
<dt>${a.t('requests.due')}</dt><dd>${v.state === 'overdue' ? html`<strong class="overdue">${day(a, v.dueAt)}</strong>` : day(a, v.dueAt)}</dd>
<dt>${a.t('requests.channel')}</dt><dd>${a.t(`requests.channel.${v.channel as (typeof REQUEST_CHANNELS)[number]}`)}</dd>
<dt>${a.t('requests.concerns')}</dt><dd>${concerns(a, v)}</dd>
${v.extensionMonths > 0 ? html`<dt>${a.t('requests.extensions')}</dt><dd>${a.t('requests.extensionLine', { months: v.extensionMonths, reasons: v.extensionReasons.join('; ') })}</dd>` : ''}
${v.completedAt ? html`<dt>${a.t('requests.completedAt')}</dt><dd>${when(a, v.completedAt)}</dd>` : ''}
${v.outcome ? html`<dt>${a.t('requests.outcome')}</dt><dd>${v.outcome}</dd>` : ''}
</dl>`;
  const open = v.state !== 'done' && mayChange(a);
  const extend =
    open && (v.extensionMonths < 2 || Object.keys(forms.extend.errors).length > 0 || forms.extend.formError)
      ? html`<section class="card narrow" aria-labelledby="extend"><h2 id="extend">${a.t('requests.extend')}</h2>
<p class="hint">${a.t('requests.extendHint')}</p>
${errorSummary(a, forms.extend)}
${postForm(
  a,
  `/admin/privacy/requests/${v.id}/extend`,
  html`${selectField(a, forms.extend, {
    name: 'months',
    label: a.t('requests.months'),
    options: (v.extensionMonths === 0 ? ['1', '2'] : ['1']).map((m) => ({ value: m, label: a.t(m === '1' ? 'requests.months.1' : 'requests.months.2') })),
  })}
${field(a, forms.extend, { name: 'reason', label: a.t('requests.reason'), type: 'textarea', required: true })}
<div class="actions"><button type="submit" class="secondary">${a.t('requests.extend')}</button></div>`,
)}</section>`
      : '';
  const complete = open
    ? html`<section class="card narrow" aria-labelledby="complete"><h2 id="complete">${a.t('requests.complete')}</h2>
${errorSummary(a, forms.complete)}
${postForm(
  a,
  `/admin/privacy/requests/${v.id}/complete`,
  html`${field(a, forms.complete, { name: 'outcome', label: a.t('requests.outcome'), type: 'textarea' })}
<div class="actions"><button type="submit">${a.t('requests.complete')}</button></div>`,
)}</section>`
    : '';
  return privacyPage(
    a,
    a.t('requests.detail', { kind: a.t(`requests.kind.${v.kind}`), article: article(a, v) }),
    html`<div class="card">${facts}</div>
${extend}
${complete}
<p><a href="/admin/privacy/requests">← ${a.t('privacy.tab.requests')}</a></p>`,
  );
}
