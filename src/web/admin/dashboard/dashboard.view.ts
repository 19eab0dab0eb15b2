/**
 * The dashboard page: warnings first, contacts per purpose and status (each figure links to those contacts),
 * the activity chart with its figures as text and as a table, campaigns sending, open requests. A view of
 * plain data (services/admin/dashboard.ts); texts from dashboard.texts.ts.
 */
import { mayAccess } from '../../../core/admin/roles.js';
import { PERMISSION_STATUSES } from '../../../core/vocab.js';
import type { Dashboard, DashboardWarning } from '../../../services/admin/dashboard.js';
import { html, type SafeHtml } from '../../html.js';
import { table, when } from '../components.js';
import { timeChart } from '../components/chart.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/** A whole number in the page's language (1.000.000 / 1,000,000). */
export const num = (a: AdminCtx, n: number): string => new Intl.NumberFormat(a.lang === 'nl' ? 'nl-NL' : 'en-GB').format(n);

/** A local day "YYYY-MM-DD" as "6 dec" / "6 Dec" (the day is already local: formatted in UTC). */
const shortDay = (a: AdminCtx, day: string) =>
  new Intl.DateTimeFormat(a.lang === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
const longDay = (a: AdminCtx, day: string) =>
  new Intl.DateTimeFormat(a.lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

const contactsLink = (purpose: string, status?: string) =>
  `/admin/contacts?${new URLSearchParams({ purpose, ...(status ? { status } : {}) }).toString()}`;

/** The link to the page that fixes a warning; nothing when the person may not open that page. */
const fixLink = (a: AdminCtx, href: string, text: string, access: 'read' | 'owner' = 'read'): SafeHtml | string =>
  a.session && mayAccess(a.session.role, access) ? html` <a href="${href}">${text}</a>` : '';

function warningItem(a: AdminCtx, w: DashboardWarning, purposes: Dashboard['purposes']): SafeHtml {
  const purposeName = (id: string) => purposes.find((p) => p.id === id)?.name[a.lang] ?? id;
  switch (w.code) {
    case 'notice-missing':
      return html`<li>${a.t('dashboard.warn.noticeMissing', { version: w.version })}
<ul>${w.items.map((m) => html`<li>${m.item}: ${a.lang === 'nl' ? m.nl : m.en}</li>`)}</ul> <a href="/admin/privacy">${a.t('nav.privacy')}</a></li>`;
    case 'notice-unpublished':
      return html`<li>${a.t('dashboard.warn.noticeUnpublished')} <a href="/admin/privacy">${a.t('nav.privacy')}</a></li>`;
    case 'no-smtp':
      return html`<li>${a.t('dashboard.warn.noSmtp')}</li>`;
    case 'no-dkim':
      return html`<li>${a.t('dashboard.warn.noDkim')}</li>`;
    case 'retention-due':
      return html`<li>${w.lastRun ? a.t('dashboard.warn.retentionDue', { when: when(a, w.lastRun) }) : a.t('dashboard.warn.retentionNever')}${fixLink(a, '/admin/privacy/retention', a.t('dashboard.fix.retention'))}</li>`;
    case 'relay-paused':
      return html`<li>${a.t('dashboard.warn.relayPaused')}
<ul>${w.campaigns.map((c) => html`<li><a href="/admin/campaigns/${c.id}">${c.name}</a> (${when(a, c.pausedAt)}): <code>${c.reason}</code></li>`)}</ul></li>`;
    case 'webhooks-failed':
      return html`<li>${a.t('dashboard.warn.webhooksFailed', { n: num(a, w.count) })}${fixLink(a, '/admin/webhooks', a.t('dashboard.fix.webhooks'), 'owner')}</li>`;
    case 'reports-to-review':
      return html`<li>${a.t('dashboard.warn.reportsToReview', { n: num(a, w.count) })}</li>`;
    case 'imports-unfinished':
      return html`<li>${a.t('dashboard.warn.importsUnfinished')}
<ul>${w.imports.map((i) => html`<li>${a.t('dashboard.import', { format: i.format, purpose: purposeName(i.purposeId), when: when(a, i.startedAt) })}</li>`)}</ul>${fixLink(a, '/admin/imports', a.t('dashboard.fix.imports'))}</li>`;
    case 'requests-overdue':
      return html`<li>${a.t('dashboard.warn.requestsOverdue', { n: num(a, w.count) })}${fixLink(a, '/admin/privacy/requests', a.t('dashboard.fix.requests'))}</li>`;
  }
}

/** GET /admin */
export function dashboardPage(a: AdminCtx, d: Dashboard): string {
  const warnings = html`<section class="card" aria-labelledby="warnings"><h2 id="warnings">${a.t('dashboard.warnings')}</h2>
${d.warnings.length === 0
  ? html`<p class="muted">${a.t('dashboard.noWarnings')}</p>`
  : html`<div class="warning"><ul class="warnings">${d.warnings.map((w) => warningItem(a, w, d.purposes))}</ul></div>`}
</section>`;

  const purposeName = (p: Dashboard['purposes'][number]) => `${a.lang === 'nl' ? p.name.nl : p.name.en}${p.archived ? ` ${a.t('dashboard.archived')}` : ''}`;
  const perPurpose = html`<section class="card" aria-labelledby="per-purpose"><h2 id="per-purpose">${a.t('dashboard.perPurpose')}</h2>
<p>${a.t('dashboard.summary', { contacts: num(a, d.contacts), suppressed: num(a, d.suppressed) })} <a href="/admin/contacts">${a.t('nav.contacts')}</a></p>
${table(
  a,
  [{ label: a.t('dashboard.purpose') }, ...PERMISSION_STATUSES.map((s) => ({ label: a.t(`dashboard.status.${s}`), num: true })), { label: a.t('dashboard.total'), num: true }],
  d.purposes.map((p) => [
    purposeName(p),
    ...PERMISSION_STATUSES.map((s) => html`<a href="${contactsLink(p.id, s)}">${num(a, p.byStatus[s])}</a>`),
    html`<a href="${contactsLink(p.id)}">${num(a, p.total)}</a>`,
  ]),
  a.t('dashboard.noPurposes'),
)}
</section>`;

  const act = d.activity;
  const from = act.days[0]!;
  const to = act.days[act.days.length - 1]!;
  const figures = { days: act.days.length, from: longDay(a, from), to: longDay(a, to), signups: num(a, act.totals.signups), confirmations: num(a, act.totals.confirmations), unsubscribes: num(a, act.totals.unsubscribes) };
  const labels = { signups: a.t('dashboard.signups'), confirmations: a.t('dashboard.confirmations'), unsubscribes: a.t('dashboard.unsubscribes') };
  const activity = html`<section class="card" aria-labelledby="activity"><h2 id="activity">${a.t('dashboard.activity')}</h2>
<p>${a.t('dashboard.activityDesc', figures)}</p>
${timeChart(a, {
  title: `${a.t('dashboard.activity')}. ${a.t('dashboard.activityDesc', figures)}`,
  labels: act.days.map((day) => shortDay(a, day)),
  series: [
    { name: labels.signups, values: act.series.signups },
    { name: labels.confirmations, values: act.series.confirmations },
    { name: labels.unsubscribes, values: act.series.unsubscribes },
  ],
  labelHeading: a.t('dashboard.day'),
  numbersLabel: a.t('dashboard.perDay'),
})}
<p class="hint">${a.t('dashboard.activityZone', { zone: d.timeZone })}</p>
</section>`;

  const sending = html`<section class="card" aria-labelledby="sending"><h2 id="sending">${a.t('dashboard.sending')}</h2>
${table(
  a,
  [{ label: a.t('dashboard.campaign') }, { label: a.t('dashboard.started') }, { label: a.t('dashboard.progress') }],
  d.sending.map((c) => [
    html`<a href="/admin/campaigns/${c.id}">${c.name}</a>`,
    when(a, c.startedAt),
    html`<progress max="${c.total}" value="${c.done}" aria-hidden="true"></progress> ${a.t('dashboard.progressValue', { done: num(a, c.done), total: num(a, c.total), pct: Math.floor(c.progress * 100) })}`,
  ]),
  a.t('dashboard.noneSending'),
)}
</section>`;

  const requests = html`<section class="card" aria-labelledby="requests"><h2 id="requests">${a.t('dashboard.requests')}</h2>
${table(
  a,
  [{ label: a.t('dashboard.kind') }, { label: a.t('dashboard.received') }, { label: a.t('dashboard.due') }, { label: a.t('dashboard.state') }],
  d.requests.map((r) => [
    `${r.kind} (${r.article})`,
    when(a, r.receivedAt),
    when(a, r.dueAt),
    r.state === 'overdue' ? html`<strong class="error-text">${a.t('dashboard.request.overdue')}</strong>` : a.t(`dashboard.request.${r.state}`),
  ]),
  a.t('dashboard.noRequests'),
)}
<p><a href="/admin/privacy">${a.t('nav.privacy')}</a></p>
</section>`;

  return adminPage(a, a.t('dashboard.title'), html`${warnings}${perPurpose}${activity}${sending}${requests}`);
}
