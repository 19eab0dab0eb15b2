/**
 * Printable accountability documents (GDPR 5(2)): the record of processing activities (GDPR 30) and the proof
 * of consent for one contact (GDPR 7(1)). Self-contained HTML pages with print styles, no scripts, every value
 * escaped; the CLI writes them to a file (`consentry processing-record --html`, `consentry proof --html`).
 */
import { RECORD_COLUMNS, RECORD_HEADERS, type ProcessingRecordRow } from '../../core/processing-record.js';
import type { Language } from '../../core/vocab.js';
import type { ConsentProof } from '../../services/rights/processing-record.js';
import { html, type SafeHtml } from '../html.js';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%;margin:1em 0;table-layout:fixed}td{overflow-wrap:anywhere}
th,td{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}th{background:#eee}
.ok{color:#064}.bad{color:#a00;font-weight:bold}code{font-size:12px;word-break:break-all}@media print{body{margin:0}}`;

function page(lang: Language, title: string, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body><h1>${title}</h1>${body}</body></html>`.value}\n`;
}

/**
 * The record of processing activities as a printable page (GDPR 30(1), 30(4)).
 * @param generatedAt ISO time shown on the page
 */
export function processingRecordHtml(rows: readonly ProcessingRecordRow[], lang: Language, generatedAt: string): string {
  const title = lang === 'nl' ? 'Register van verwerkingsactiviteiten (art. 30 AVG)' : 'Record of processing activities (GDPR art. 30)';
  return page(
    lang,
    title,
    html`<p>${lang === 'nl' ? 'Opgesteld' : 'Generated'}: ${generatedAt}</p>
<table><thead><tr>${RECORD_COLUMNS.map((c) => html`<th>${RECORD_HEADERS[lang][c]}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${RECORD_COLUMNS.map((c) => html`<td>${r[c]}</td>`)}</tr>`)}</tbody></table>`,
  );
}

const events = (list: ConsentProof['generalEvents']) =>
  list.length === 0
    ? html`<p>(none)</p>`
    : html`<table><thead><tr><th>#</th><th>Event</th><th>Basis</th><th>Occurred</th><th>Recorded</th><th>Details</th><th>Personal evidence</th><th>Hash</th></tr></thead><tbody>${list.map(
        (e) => html`<tr><td>${e.seq}</td><td>${e.type}</td><td>${e.basis ?? ''}</td><td>${e.occurredAt}</td><td>${e.recordedAt}</td>
<td><code>${JSON.stringify(e.details)}</code></td><td><code>${e.personal ? JSON.stringify(e.personal) : '(erased or none)'}</code></td><td><code>${e.hash}</code></td></tr>`,
      )}</tbody></table>`;

/**
 * The proof of consent for one contact as a printable page for the Autoriteit Persoonsgegevens (GDPR 7(1),
 * 5(2); SCENARIOS A9). English, as the evidence fields are.
 */
export function proofHtml(proof: ConsentProof): string {
  const c = proof.contact;
  const ok = proof.ledger.subjectChainIntact && proof.ledger.ledgerOk;
  return page(
    'en',
    `Proof of consent — ${c.email}`,
    html`<p class="${ok ? 'ok' : 'bad'}">${proof.statement}</p>
<p>Generated: ${proof.generatedAt}. Contact id (pseudonym in the ledger): <code>${c.id}</code>. Kind: ${c.kind}. First collected: ${c.createdAt}
via ${c.sourceKind}${c.sourceRef ? html` (${c.sourceRef})` : ''}.${c.suppression ? html` On the suppression list: ${c.suppression}.` : ''}</p>
<h2>Permissions</h2>
${proof.permissions.map(
  (p) => html`<h3>Purpose “${p.purposeId}”: ${p.status} on basis ${p.basis}</h3>
<p>Method: ${p.method}; source: ${p.sourceKind}; given: ${p.givenAt ?? '—'}; confirmed: ${p.confirmedAt ?? '—'}; withdrawn: ${p.withdrawnAt ?? '—'};
privacy-notice version: ${p.noticeVersion ?? '—'}; proving event: <code>${p.evidenceEventId}</code>.</p>
${events(p.history)}`,
)}
<h2>Events about no single purpose</h2>${events(proof.generalEvents)}
<h2>Deliveries</h2>
${proof.deliveries.length === 0 ? html`<p>(none)</p>` : html`<table><thead><tr><th>Campaign</th><th>State</th><th>Basis</th><th>Reasons</th><th>Sent</th><th>Message-ID</th></tr></thead><tbody>${proof.deliveries.map(
      (d) => html`<tr><td>${d.campaignId}</td><td>${d.state}</td><td>${d.basis ?? ''}</td><td>${d.reasons.join(', ')}</td><td>${d.sentAt ?? ''}</td><td><code>${d.messageId}</code></td></tr>`,
    )}</tbody></table>`}
<h2>Ledger</h2><p>This person's chain intact: ${proof.ledger.subjectChainIntact ? 'yes' : 'NO'}. Whole ledger verifies: ${proof.ledger.ledgerOk ? 'yes' : 'NO'} (${proof.ledger.events} events, ${proof.ledger.checkpoints} checkpoints, ${proof.ledger.problems} problems).</p>`,
  );
}
