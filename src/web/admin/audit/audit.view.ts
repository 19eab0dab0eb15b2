/**
 * The audit page: per purpose its groups (each linking to those contacts in the contacts list), the reasons
 * behind each group, and for the contacts who may be asked again a button that starts a re-permission campaign
 * (edit access); then the suppression list, the retention preview and unfinished imports. A view of plain data
 * (services/lists/audit.ts); texts from audit.texts.ts.
 */
import { mayAccess } from '../../../core/admin/roles.js';
import { LANGUAGES } from '../../../core/vocab.js';
import type { AuditGroup, AuditReport, PurposeAudit } from '../../../services/lists/audit.js';
import { html, type SafeHtml } from '../../html.js';
import { errorSummary, postForm, selectField, table, when, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { num } from '../dashboard/dashboard.view.js';
import { adminPage } from '../layout.js';

/** Reason codes with their counts, most first; codes wrap anywhere (they are long single words). */
const reasons = (a: AdminCtx, byReason: Record<string, number>): SafeHtml =>
  html`<span>${Object.entries(byReason)
    .sort((x, y) => y[1] - x[1])
    .map(([code, n], i) => html`${i > 0 ? ', ' : ''}<code>${code}</code>: ${num(a, n)}`)}</span>`;

function purposeCard(a: AdminCtx, p: PurposeAudit, state: FormState): SafeHtml {
  const r = p.needsRepermission;
  // Disjoint groups that add up to the contacts, except `weak_proof`: a part of `mailable`, shown indented under it.
  const groups: Array<[AuditGroup, number, SafeHtml | string, SafeHtml | string]> = [
    ['mailable', p.mailable.count, reasons(a, p.mailable.byReason), ''],
    ['weak_proof', r.weakProof.count, reasons(a, Object.fromEntries(Object.entries(r.weakProof.byGap).filter(([, n]) => n > 0))),
      html`<br><span class="hint">${a.t('audit.hint.weak_proof')}</span>`],
    ['blocked_documented', r.blockedDocumented.count, reasons(a, r.blockedDocumented.byReason), html`<br><span class="hint">${a.t('audit.hint.blocked_documented')}</span>`],
    ['pending', p.pending.count, reasons(a, p.pending.byReason), ''],
    ['opted_out', p.optedOut.count, reasons(a, p.optedOut.byReason), ''],
    ['no_provable_basis', p.noProvableBasis.count, reasons(a, p.noProvableBasis.byReason), html`<br><span class="hint">${a.t('audit.hint.no_provable_basis')}</span>`],
    ['no_permission', p.noPermission, '', ''],
  ];
  const link = (g: AuditGroup) => `/admin/contacts?${new URLSearchParams({ purpose: p.purposeId, group: g }).toString()}`;
  const canStart = r.count > 0 && !!a.session && mayAccess(a.session.role, 'edit');
  const mine = state.values.purpose === p.purposeId;
  const start = canStart
    ? html`<h3>${a.t('audit.repermission')}</h3>
<p>${a.t('audit.repermissionIntro', { n: num(a, r.count), weak: num(a, r.weakProof.count), blocked: num(a, r.blockedDocumented.count) })}</p>
${mine ? errorSummary(a, state) : ''}
${postForm(
  a,
  '/admin/audit/repermission',
  html`<input type="hidden" name="purpose" value="${p.purposeId}">
${selectField(a, mine ? state : { values: { language: a.lang }, errors: {} }, { name: 'language', label: a.t('audit.language'), options: LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() })) })}
<div class="actions"><button type="submit">${a.t('audit.repermission')}</button></div>`,
  { label: `${a.t('audit.repermission')}: ${a.lang === 'nl' ? p.name.nl : p.name.en}` },
)}`
    : '';
  return html`<section class="card" aria-labelledby="purpose-${p.purposeId}"><h2 id="purpose-${p.purposeId}">${a.lang === 'nl' ? p.name.nl : p.name.en}</h2>
<p class="muted">${p.purposeId} · ${p.category} · ${a.t('audit.contacts', { n: num(a, p.contacts) })}</p>
${table(
  a,
  [{ label: a.t('audit.groupHeading') }, { label: a.t('audit.count'), num: true }, { label: a.t('audit.reasons') }, { label: '' }],
  [
    ...groups.map(([g, n, why, hint]) => [
      g === 'weak_proof' ? html`<span class="subset">${a.t('audit.group.weak_proof_of')}${hint}</span>` : html`<span>${a.t(`audit.group.${g}`)}${hint}</span>`,
      num(a, n),
      why,
      n > 0 ? html`<a class="nowrap" href="${link(g)}">${a.t('audit.showContacts')}</a>` : '',
    ]),
    [html`<strong>${a.t('audit.total')}</strong>`, html`<strong>${num(a, p.contacts)}</strong>`, '', ''],
  ],
)}
${start}
</section>`;
}

/** GET /admin/audit */
export function auditPage(a: AdminCtx, report: AuditReport, state: FormState = { values: {}, errors: {} }): string {
  const s = report.suppressionList;
  const ret = report.retention;
  const body = html`<p>${a.t('audit.intro', { when: when(a, report.generatedAt) })}</p>
${report.purposes.length === 0 ? html`<p class="muted">${a.t('audit.noPurposes')}</p>` : report.purposes.map((p) => purposeCard(a, p, state))}
<section class="card" aria-labelledby="suppression"><h2 id="suppression">${a.t('audit.suppression')}</h2>
<p>${a.t('audit.suppressionTotal', { n: num(a, s.total) })}${s.total > 0 ? html` ${reasons(a, s.byReason)}` : ''}</p>
</section>
<section class="card" aria-labelledby="retention"><h2 id="retention">${a.t('audit.retention')}</h2>
<p>${a.t('audit.retentionNow', { erase: num(a, ret.erase), examined: num(a, ret.examined) })}${ret.erase > 0 ? html` ${reasons(a, ret.byRule)}` : ''}</p>
${report.unfinishedImports.length > 0 ? html`<p class="warning">${a.t('audit.unfinished', { n: report.unfinishedImports.length })}</p>` : ''}
</section>
<details class="card"><summary>${a.t('audit.rule')}</summary><p>${report.repermissionRule}</p></details>`;
  return adminPage(a, a.t('audit.title'), body);
}
