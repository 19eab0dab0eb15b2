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

/** The proof's labels; the evidence itself (event types, details, hashes) stays as recorded. */
const PROOF_TEXTS = {
  nl: {
    title: 'Bewijs van toestemming', none: '(geen)', erased: '(gewist of geen)', event: 'Gebeurtenis', basis: 'Grondslag',
    occurred: 'Plaatsgevonden', recorded: 'Vastgelegd', details: 'Details', personal: 'Persoonlijk bewijs', hash: 'Hash',
    ok: (e: number, c: number) => `Elke gebeurtenis hieronder hoort bij de hashketen van deze persoon, die klopt, en het toestemmingslogboek als geheel (${e} gebeurtenissen, ${c} controlepunten) klopt: geen gebeurtenis is gewijzigd, verwijderd of van volgorde veranderd.`,
    bad: (n: number) => `WAARSCHUWING: het toestemmingslogboek klopt niet (${n} probleem/problemen); dit bewijs kan zijn gewijzigd.`,
    generated: 'Opgesteld', pseudonym: 'Contact-id (pseudoniem in het logboek)', kind: 'Soort', collected: 'Eerst verzameld', via: 'via',
    suppressed: 'Op de blokkeerlijst', permissions: 'Toestemmingen en grondslagen', purpose: 'Doel', on: 'op grondslag', method: 'Methode',
    source: 'bron', given: 'gegeven', confirmed: 'bevestigd', withdrawn: 'ingetrokken', notice: 'versie privacyverklaring', proving: 'bewijzende gebeurtenis',
    general: 'Gebeurtenissen zonder één doel', deliveries: 'Verzendingen', campaign: 'Campagne', state: 'Stand', reasons: 'Redenen', sent: 'Verzonden',
    ledger: 'Logboek', chain: 'Keten van deze persoon intact', whole: 'Hele logboek klopt', yes: 'ja', no: 'NEE',
    counts: (e: number, c: number, p: number) => `${e} gebeurtenissen, ${c} controlepunten, ${p} problemen`,
  },
  en: {
    title: 'Proof of consent', none: '(none)', erased: '(erased or none)', event: 'Event', basis: 'Basis',
    occurred: 'Occurred', recorded: 'Recorded', details: 'Details', personal: 'Personal evidence', hash: 'Hash',
    ok: (e: number, c: number) => `Every event below is part of this person's hash chain, which verifies, and the consent ledger as a whole (${e} events, ${c} checkpoints) verifies: no event was altered, removed or reordered.`,
    bad: (n: number) => `WARNING: the consent ledger does not verify (${n} problem(s)); this evidence may have been altered.`,
    generated: 'Generated', pseudonym: 'Contact id (pseudonym in the ledger)', kind: 'Kind', collected: 'First collected', via: 'via',
    suppressed: 'On the suppression list', permissions: 'Permissions', purpose: 'Purpose', on: 'on basis', method: 'Method',
    source: 'source', given: 'given', confirmed: 'confirmed', withdrawn: 'withdrawn', notice: 'privacy-notice version', proving: 'proving event',
    general: 'Events about no single purpose', deliveries: 'Deliveries', campaign: 'Campaign', state: 'State', reasons: 'Reasons', sent: 'Sent',
    ledger: 'Ledger', chain: "This person's chain intact", whole: 'Whole ledger verifies', yes: 'yes', no: 'NO',
    counts: (e: number, c: number, p: number) => `${e} events, ${c} checkpoints, ${p} problems`,
  },
};
type ProofTexts = (typeof PROOF_TEXTS)['en'];

const events = (t: ProofTexts, list: ConsentProof['generalEvents']) =>
  list.length === 0
    ? html`<p>${t.none}</p>`
    : html`<table><thead><tr><th>#</th><th>${t.event}</th><th>${t.basis}</th><th>${t.occurred}</th><th>${t.recorded}</th><th>${t.details}</th><th>${t.personal}</th><th>${t.hash}</th></tr></thead><tbody>${list.map(
        (e) => html`<tr><td>${e.seq}</td><td>${e.type}</td><td>${e.basis ?? ''}</td><td>${e.occurredAt}</td><td>${e.recordedAt}</td>
<td><code>${JSON.stringify(e.details)}</code></td><td><code>${e.personal ? JSON.stringify(e.personal) : t.erased}</code></td><td><code>${e.hash}</code></td></tr>`,
      )}</tbody></table>`;

/**
 * The proof of consent for one contact as a printable page for the Autoriteit Persoonsgegevens (GDPR 7(1),
 * 5(2); SCENARIOS A9), with its labels in `lang`; the evidence (event types, details, hashes, times in UTC)
 * stays exactly as recorded.
 */
export function proofHtml(proof: ConsentProof, lang: Language = 'en'): string {
  const t = PROOF_TEXTS[lang];
  const c = proof.contact;
  const l = proof.ledger;
  const ok = l.subjectChainIntact && l.ledgerOk;
  return page(
    lang,
    `${t.title} — ${c.email}`,
    html`<p class="${ok ? 'ok' : 'bad'}">${ok ? t.ok(l.events, l.checkpoints) : t.bad(l.problems)}</p>
<p>${t.generated}: ${proof.generatedAt}. ${t.pseudonym}: <code>${c.id}</code>. ${t.kind}: ${c.kind}. ${t.collected}: ${c.createdAt}
${t.via} ${c.sourceKind}${c.sourceRef ? html` (${c.sourceRef})` : ''}.${c.suppression ? html` ${t.suppressed}: ${c.suppression}.` : ''}</p>
<h2>${t.permissions}</h2>
${proof.permissions.map(
  (p) => html`<h3>${t.purpose} “${p.purposeId}”: ${p.status} ${t.on} ${p.basis}</h3>
<p>${t.method}: ${p.method}; ${t.source}: ${p.sourceKind}; ${t.given}: ${p.givenAt ?? '—'}; ${t.confirmed}: ${p.confirmedAt ?? '—'}; ${t.withdrawn}: ${p.withdrawnAt ?? '—'};
${t.notice}: ${p.noticeVersion ?? '—'}; ${t.proving}: <code>${p.evidenceEventId}</code>.</p>
${events(t, p.history)}`,
)}
<h2>${t.general}</h2>${events(t, proof.generalEvents)}
<h2>${t.deliveries}</h2>
${proof.deliveries.length === 0 ? html`<p>${t.none}</p>` : html`<table><thead><tr><th>${t.campaign}</th><th>${t.state}</th><th>${t.basis}</th><th>${t.reasons}</th><th>${t.sent}</th><th>Message-ID</th></tr></thead><tbody>${proof.deliveries.map(
      (d) => html`<tr><td>${d.campaignId}</td><td>${d.state}</td><td>${d.basis ?? ''}</td><td>${d.reasons.join(', ')}</td><td>${d.sentAt ?? ''}</td><td><code>${d.messageId}</code></td></tr>`,
    )}</tbody></table>`}
<h2>${t.ledger}</h2><p>${t.chain}: ${l.subjectChainIntact ? t.yes : t.no}. ${t.whole}: ${l.ledgerOk ? t.yes : t.no} (${t.counts(l.events, l.checkpoints, l.problems)}).</p>`,
  );
}
