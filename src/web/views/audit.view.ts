/**
 * The list audit as one self-contained, printable HTML page (`consentry audit --html > audit.html`): inline
 * styles, no scripts, no external resources, so it can be mailed or archived as proof (GDPR 5(2)). Every value
 * is escaped by the `html` template. Also the plain-text form the CLI prints, so both read the same.
 */
import type { AuditReport, PurposeAudit, Tally } from '../../services/lists/audit.js';
import { html, type SafeHtml } from '../html.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .3rem}p.meta{color:#555;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.92em}
.rule{background:#f6f6f6;border-left:3px solid #888;padding:.5rem .75rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:avoid}}
`;

const entries = (m: Record<string, number>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The groups of one purpose as label, count and break-down, in reading order. Unindented rows are disjoint and add
 * up to the contacts examined; the indented row is a part of the row above it.
 */
export function purposeRows(p: PurposeAudit): Array<{ label: string; count: number; detail: Record<string, number> }> {
  const r = p.needsRepermission;
  const t = (label: string, x: Tally) => ({ label, count: x.count, detail: x.byReason });
  return [
    { label: 'May be mailed', count: p.mailable.count, detail: { ...p.mailable.byReason, ...prefix('basis ', p.mailable.byBasis) } },
    { label: '  of whom on weak proof: ask again', count: r.weakProof.count, detail: r.weakProof.byGap },
    t('Blocked, one re-permission request allowed', r.blockedDocumented),
    t('No provable basis', p.noProvableBasis),
    t('Opted out (suppressed, withdrawn, objected)', p.optedOut),
    t('Awaiting confirmation', p.pending),
    { label: 'No permission for this purpose', count: p.noPermission, detail: {} },
  ];
}

const prefix = (pre: string, m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [pre + k, v]));
const detailText = (d: Record<string, number>) => entries(d).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');

function purposeHtml(p: PurposeAudit): SafeHtml {
  return html`<h2>Purpose “${p.name.en}” <code>${p.purposeId}</code></h2>
<p class="meta">${p.name.nl} · category ${p.category} · ${p.contacts} contacts examined for a ${p.category === 'service' ? 'service' : 'purpose-marketing'} message</p>
<table><thead><tr><th>Group</th><th class="n">Contacts</th><th>By reason code / basis</th></tr></thead><tbody>
${purposeRows(p).map((r) => html`<tr><td>${r.label.trim() === r.label ? r.label : html`&nbsp;&nbsp;&nbsp;${r.label.trim()}`}</td><td class="n">${r.count}</td><td>${detailText(r.detail)}</td></tr>`)}
<tr><th>Total (unindented rows; each contact in one)</th><th class="n">${p.contacts}</th><th></th></tr>
</tbody></table>
<p>Ask again (re-permission campaign): ${p.needsRepermission.count} = ${p.needsRepermission.weakProof.count} on weak proof + ${p.needsRepermission.blockedDocumented.count} blocked, documented.</p>`;
}

/**
 * The audit as a complete HTML document.
 * @example writeFileSync('audit.html', auditHtml(await auditList(deps)))
 */
export function auditHtml(report: AuditReport): string {
  const s = report.suppressionList;
  const ret = report.retention;
  const title = `List audit${report.organisation ? ` — ${report.organisation}` : ''}`;
  const body = html`<h1>${title}</h1>
<p class="meta">Generated ${report.generatedAt} · ${report.contacts} contacts · ${report.purposes.length} purpose(s)</p>
${report.purposes.map(purposeHtml)}
<h2>Suppression list</h2>
<table><thead><tr><th>Reason</th><th class="n">Hashes</th></tr></thead><tbody>
${entries(s.byReason).map(([k, v]) => html`<tr><td>${k}</td><td class="n">${v}</td></tr>`)}
<tr><th>Total</th><th class="n">${s.total}</th></tr></tbody></table>
<h2>Retention (what a run now would erase)</h2>
<p class="meta">Rules: ${entries(ret.rules as Record<string, number>).map(([k, v]) => `${k} = ${v}`).join('; ')}</p>
<table><thead><tr><th>Outcome</th><th class="n">Contacts</th></tr></thead><tbody>
<tr><td>Examined</td><td class="n">${ret.examined}</td></tr><tr><td>Kept</td><td class="n">${ret.keep}</td></tr>
${entries(ret.byRule).map(([k, v]) => html`<tr><td>Erase: ${k}</td><td class="n">${v}</td></tr>`)}
<tr><th>To erase</th><th class="n">${ret.erase}</th></tr></tbody></table>
${report.unfinishedImports.length ? html`<h2>Unfinished imports</h2>
<p>Interrupted before their end: part of the file is in. Run the same import again to finish it (it resumes without duplicates).</p>
<ul>${report.unfinishedImports.map((i) => html`<li>${i.format} import ${i.id} for purpose ${i.purposeId}, started ${i.startedAt}</li>`)}</ul>` : ''}
<h2>Definitions</h2>
<p class="rule">${report.repermissionRule}</p>`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${html`${title}`.value}</title><style>${STYLE}</style></head>
<body>${body.value}</body></html>\n`;
}

/** The audit as readable plain text (the CLI's default output). */
export function auditText(report: AuditReport): string {
  const out: string[] = [];
  out.push(`List audit${report.organisation ? ` — ${report.organisation}` : ''}`, `generated ${report.generatedAt}; ${report.contacts} contacts`);
  for (const p of report.purposes) {
    out.push('', `Purpose "${p.purposeId}" (${p.name.en}; ${p.category}): ${p.contacts} contacts examined`);
    for (const r of purposeRows(p)) {
      const d = detailText(r.detail);
      out.push(`  ${r.label.padEnd(46)} ${String(r.count).padStart(7)}${d ? `   ${d}` : ''}`);
    }
    out.push(`  ${'Ask again (re-permission campaign)'.padEnd(46)} ${String(p.needsRepermission.count).padStart(7)}   weak proof + blocked, documented`);
  }
  const s = report.suppressionList;
  out.push('', `Suppression list: ${s.total} hash(es)${s.total ? ` — ${detailText(s.byReason)}` : ''}`);
  const ret = report.retention;
  out.push(
    `Retention now (rules ${entries(ret.rules as Record<string, number>).map(([k, v]) => `${k}=${v}`).join(', ')}):`,
    `  ${ret.examined} examined, ${ret.keep} kept, ${ret.erase} would be erased${ret.erase ? ` — ${detailText(ret.byRule)}` : ''}`,
    '',
    report.repermissionRule,
  );
  if (report.unfinishedImports.length) {
    out.push('', `Unfinished imports (interrupted; part of the file is in — run the same import again to finish it):`);
    for (const i of report.unfinishedImports) out.push(`  ${i.format} import ${i.id} for purpose "${i.purposeId}", started ${i.startedAt}`);
  }
  return out.join('\n');
}
