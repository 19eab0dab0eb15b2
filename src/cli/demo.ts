/**
 * `npm run demo`: a scripted tour of the main job in a temporary data folder, against a real SMTP server
 * running in-process and the real web server on a free port. Prints a short report and where to look.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { createContext } from '../context.js';
import { SmtpMailer } from '../mail/smtp.js';
import { startSmtpSink } from '../mail/sink.js';
import { startServer } from '../server.js';
import { createCampaign, previewCampaign, startCampaign, type Preview } from '../services/campaigns/campaigns.js';
import { contactEvidence } from '../services/rights/evidence.js';
import { importMailchimp, mailchimpPaths } from '../services/lists/import/mailchimp.js';
import { drainQueue } from '../services/campaigns/send.js';
import { initialise } from '../services/organisation/setup.js';
import { deliveryFor } from '../store/deliveries.js';
import { takeCheckpoint, verifyLedger } from '../store/ledger.js';
import { explainCode } from './explain.js';

const FIXTURE = resolve(fileURLToPath(import.meta.url), '../../../test/fixtures/mailchimp');
const step = (n: number, title: string) => console.log(`\n${n}. ${title}`);
const say = (line: string) => console.log(`   ${line}`);

function showPreview(p: Preview): void {
  say(`audience ${p.total}: ${p.allowed} may be mailed, ${p.blocked} blocked`);
  for (const [code, n] of Object.entries({ ...p.allowedBy, ...p.blockedBy }).sort((a, b) => b[1] - a[1])) {
    say(`  ${String(n).padStart(5)}  ${code.padEnd(26)} ${explainCode(code)}`);
  }
}

/** Runs the tour. @returns the data folder it used */
export async function runDemo(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consentry-demo-'));
  const sink = await startSmtpSink();
  const config = loadConfig({ CONSENTRY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, { mailer: new SmtpMailer(sink.url) });
  // The worker is driven step by step here, so the server runs without background jobs.
  const server = await startServer(ctx, { host: '127.0.0.1', port: 0, jobs: [] });
  const base = server.url.replace('127.0.0.1', 'localhost');
  ctx.deps.baseUrl = base;
  const { deps } = ctx;
  try {
    console.log(`Consentry demo — data in ${dataDir}, pages at ${base}, SMTP server at ${sink.url}`);
    step(1, 'Set up the organisation, its newsletter, privacy notice and form');
    const setup = await initialise(deps, {
      organisation: { name: 'Koffiebranderij De Boon B.V.', postalAddress: 'Kerkstraat 1, 3511 AB Utrecht', replyTo: 'info@deboon.example', fromAddress: 'nieuws@deboon.example', chamberOfCommerce: '12345678' },
      purpose: { id: 'nieuwsbrief', name_nl: 'Nieuwsbrief', name_en: 'Newsletter', description_nl: 'Koffietips en nieuwe oogsten.', description_en: 'Coffee tips and new harvests.', frequency_nl: 'maandelijks', frequency_en: 'monthly' },
      // The operator's statements: the demo's mail server is its processor, and nothing leaves the EEA.
      notice: { mailProvider: { name: 'De Boon mail server', country: 'NL' }, transfers: 'none' },
    });
    say(`form ${base}/f/${setup.formId}, privacy notice v${setup.noticeVersion} ${setup.noticePublished ? 'published' : 'NOT published'}`);

    step(2, 'Import the Mailchimp audience export (evidence kept as it was)');
    const report = await importMailchimp(deps, { ...mailchimpPaths([FIXTURE]), purposeId: 'nieuwsbrief', evidenceRef: 'Mailchimp export of 2026-11-01' });
    for (const f of report.files) say(`${f.role.padEnd(12)} ${f.rows} rows: ${f.created} created, ${f.merged} merged duplicates, ${f.suppressed} suppressed, ${f.refused} refused`);
    say(`${report.notProvable.count} subscribers have no opt-in time: imported as "basis not provable"`);

    step(3, 'What may be mailed, and why not');
    const first = await createCampaign(deps, { name: 'Oogst november', purposeId: 'nieuwsbrief', subject: 'De nieuwe oogst, {{ first_name }}', body: 'Beste {{ first_name }},\n\nDe nieuwe oogst uit Ethiopië is binnen.\n\nHartelijke groet,\n{{ organisation }}' });
    showPreview(await previewCampaign(deps, first.id));

    step(4, 'A new person subscribes and confirms over HTTP');
    await fetch(`${base}/f/${setup.formId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'nl' }, body: new URLSearchParams({ email: 'sanne.nieuw@example.nl', firstName: 'Sanne', purposes: 'nieuwsbrief' }) });
    const [confirmation] = await sink.waitFor(1);
    const link = /http:\/\/localhost:\d+\/confirm\/\S+/.exec(confirmation!.parsed.text ?? '')![0];
    say(`confirmation mail "${confirmation!.parsed.subject}" → ${link.slice(0, 60)}…`);
    const scanned = await fetch(link, { method: 'HEAD' });
    say(`a mail scanner's HEAD/GET of the link: ${scanned.status}, nothing changes`);
    const pressed = await fetch(link, { method: 'POST' });
    say(`pressing the button (POST): ${pressed.status}, subscription confirmed`);

    step(5, 'Send the campaign to the SMTP server');
    const started = await startCampaign(deps, first.id);
    const sent = await drainQueue(deps, { campaignId: first.id });
    say(`${started.queued} queued, ${started.blocked} blocked at start; ${sent.sent} sent, ${sent.blocked} blocked at send time`);
    const mails = await sink.waitFor(1 + sent.sent);
    const sample = mails[1]!;
    const unsubscribe = (sample.parsed.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url;
    say(`one of them, to ${sample.rcptTo[0]}: List-Unsubscribe: <${unsubscribe.slice(0, 50)}…>, List-Unsubscribe-Post: List-Unsubscribe=One-Click`);

    step(6, `${sample.rcptTo[0]}'s mail client unsubscribes with the RFC 8058 one-click POST`);
    const oneClick = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    say(`answer ${oneClick.status}, no redirect, no cookie`);

    step(7, 'A second campaign blocks them, with the reason');
    const second = await createCampaign(deps, { name: 'Oogst december', purposeId: 'nieuwsbrief', subject: 'December', body: 'Beste {{ first_name }},\n\nFijne feestdagen.' });
    await startCampaign(deps, second.id);
    const again = await drainQueue(deps, { campaignId: second.id });
    const who = await contactEvidence(deps, sample.rcptTo[0]!);
    const blocked = await deliveryFor(deps.db, second.id, who.contact.id);
    say(`${again.sent} sent; ${sample.rcptTo[0]}: ${blocked?.state} — ${JSON.parse(blocked?.reasons ?? '[]').map(explainCode).join('; ')}`);

    step(8, 'The evidence for the new subscriber (what the Autoriteit Persoonsgegevens may ask for)');
    const e = await contactEvidence(deps, 'sanne.nieuw@example.nl');
    for (const p of e.permissions) {
      say(`${p.purpose_id}: ${p.status}, basis ${p.basis}, method ${p.method}, notice v${p.notice_version}`);
      for (const ev of p.history) say(`  ${ev.occurredAt} ${ev.type}${ev.details.textShown ? ` — text shown: "${String(ev.details.textShown)}"` : ''}${ev.details.channel ? ` — via ${String(ev.details.channel)}` : ''}`);
    }

    step(9, 'Verify the consent ledger');
    await takeCheckpoint(deps.db, deps.dialect, deps.clock.now());
    const verified = await verifyLedger(deps.db, deps.dialect);
    say(`${verified.events} events for ${verified.subjects} people, ${verified.checkpoints} checkpoint(s): ${verified.ok ? 'intact' : 'NOT intact'}`);

    console.log(`\nWhere to look: CONSENTRY_DATA_DIR=${dataDir} npx consentry contacts show sanne.nieuw@example.nl`);
    console.log(`               CONSENTRY_DATA_DIR=${dataDir} npx consentry campaign list`);
    return dataDir;
  } finally {
    await server.stop();
    await ctx.close();
    await sink.close();
  }
}
