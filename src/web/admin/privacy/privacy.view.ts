/**
 * The Privacy area's frame (a row of links to its four parts) and two of its pages: the record of processing
 * activities (GDPR 30) with its CSV downloads, and retention (what the next run would erase, who is held for an
 * open request, and "run now"). The notice and the requests register have their own view files.
 */
import { mayAccess } from '../../../core/admin/roles.js';
import { RECORD_COLUMNS, RECORD_HEADERS, type ProcessingRecordRow } from '../../../core/processing-record.js';
import { RETENTION_RULE_KINDS, type RetentionDecision } from '../../../core/retention.js';
import type { RetentionPreview, RetentionRunReport } from '../../../services/rights/retention.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { askButton, table } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';
import type { AdminTextKey } from '../texts.js';

/** Whether the signed-in person may make privacy changes (owner, privacy officer); others only read. */
export const mayChange = (a: AdminCtx): boolean => !!a.session && mayAccess(a.session.role, 'privacy');

const TABS: ReadonlyArray<{ key: AdminTextKey; href: string }> = [
  { key: 'privacy.tab.notice', href: '/admin/privacy' },
  { key: 'privacy.tab.requests', href: '/admin/privacy/requests' },
  { key: 'privacy.tab.record', href: '/admin/privacy/record' },
  { key: 'privacy.tab.retention', href: '/admin/privacy/retention' },
];

const currentTab = (path: string): string =>
  TABS.slice(1).find((t) => path === t.href || path.startsWith(`${t.href}/`))?.href ?? '/admin/privacy';

/** A page of the Privacy area: the links to its parts above the body. */
export function privacyPage(a: AdminCtx, title: string, body: SafeHtml): string {
  const here = currentTab(a.path);
  return adminPage(
    a,
    title,
    html`<nav class="tabs" aria-label="${a.t('privacy.tabs')}"><ul>${TABS.map(
      (t) => html`<li><a href="${t.href}"${t.href === here ? raw(' aria-current="page"') : ''}>${a.t(t.key)}</a></li>`,
    )}</ul></nav>
${body}`,
  );
}

/** The record of processing activities: one card per activity with every art. 30(1) column, and the CSV links. */
export function recordPage(a: AdminCtx, rows: readonly ProcessingRecordRow[]): string {
  const heads = RECORD_HEADERS[a.lang];
  return privacyPage(
    a,
    a.t('record.title'),
    html`<p>${a.t('record.intro')}</p>
<p class="actions"><a class="button secondary" href="/admin/privacy/record.csv?lang=nl" download>${a.t('record.csvNl')}</a>
<a class="button secondary" href="/admin/privacy/record.csv?lang=en" download>${a.t('record.csvEn')}</a></p>
${rows.map(
  (r) => html`<section class="card"><h2>${r.activity}</h2><dl class="facts">${RECORD_COLUMNS.filter((c) => c !== 'activity').map(
    (c) => html`<dt>${heads[c]}</dt><dd>${r[c]}</dd>`,
  )}</dl></section>`,
)}`,
  );
}

/** Rows shown per list on the retention page; the rest is counted. */
export const RETENTION_ROWS_SHOWN = 200;

const ruleName = (a: AdminCtx, r: RetentionRunReport, d: RetentionDecision) =>
  d.rule ? a.t(`retention.rule.${d.rule}`, { n: r.rules[d.rule] }) : a.t('retention.rule.no_basis');

function decisions(a: AdminCtx, r: RetentionRunReport, addresses: ReadonlyMap<string, string>, list: readonly RetentionDecision[]): SafeHtml {
  const shown = list.slice(0, RETENTION_ROWS_SHOWN);
  return html`${table(
    a,
    [{ label: a.t('retention.contact') }, { label: a.t('retention.rule') }, { label: a.t('retention.reason') }],
    shown.map((d) => [html`<a href="/admin/contacts/${d.contactId}">${addresses.get(d.contactId) ?? d.contactId}</a>`, ruleName(a, r, d), a.lang === 'nl' ? d.reason_nl : d.reason_en]),
  )}${list.length > shown.length ? html`<p class="muted">${a.t('retention.more', { count: list.length - shown.length })}</p>` : ''}`;
}

/** The retention page: the rules in force, the dry run's lists and, for the privacy officer, "run now". */
export function retentionPage(a: AdminCtx, p: RetentionPreview): string {
  const r = p.report;
  const rules = RETENTION_RULE_KINDS.filter((k) => r.rules[k] !== undefined);
  return privacyPage(
    a,
    a.t('retention.title'),
    html`<p>${a.t('retention.intro')}</p>
<section class="card"><h2>${a.t('retention.rules')}</h2>
<ul>${rules.map((k) => html`<li>${a.t(`retention.rule.${k}`, { n: r.rules[k] })}</li>`)}</ul>
<p class="hint">${a.t('retention.rulesHint')}</p></section>
<p><strong>${a.t('retention.summary', { examined: r.examined, erase: r.erase.length, held: r.held.length, kept: r.kept })}</strong></p>
<h2>${a.t('retention.erase')}</h2>
${r.erase.length === 0 ? html`<p class="muted">${a.t('retention.nothing')}</p>` : decisions(a, r, p.addresses, r.erase)}
${mayChange(a) && r.erase.length > 0
  ? askButton('/admin/privacy/retention/run', a.t('retention.run'))
  : ''}
${r.held.length > 0 ? html`<h2>${a.t('retention.held')}</h2><p>${a.t('retention.heldIntro')}</p>${decisions(a, r, p.addresses, r.held)}` : ''}`,
  );
}
