/**
 * Data-subject rights, retention and accountability on the command line (issue 5):
 *   consentry retention run [--dry-run] [--json]
 *   consentry requests list [--all] [--json] | add --kind <k> --channel <c> [--received <date>] [--requester <text>]
 *     [--contact <email-or-id>] | extend <id> --months <1|2> --reason <text> | complete <id> [--outcome <text>]
 *   consentry notice show [--version <n>] [--json] | missing [--json] | save <file> | edit --set <field=text>… |
 *     publish <version>
 *   consentry processing-record [--csv|--html] [--lang nl|en]
 *   consentry proof <email-or-id> [--json|--html]
 *   consentry erase <email-or-id> --yes [--reason <code>]
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDate } from '../../core/dates.js';
import type { Language } from '../../core/vocab.js';
import { contactEvidence } from '../../services/rights/evidence.js';
import { eraseContact } from '../../services/rights/erase.js';
import { invalid } from '../../services/errors.js';
import {
  draftNoticeTexts,
  NoticeIncompleteError,
  noticeContent,
  noticeStatus,
  noticeVersions,
  publishNotice,
  saveNoticeJson,
} from '../../services/organisation/notice-admin.js';
import { buildProcessingRecord, proofOfConsent, type ConsentProof } from '../../services/rights/processing-record.js';
import { toCsv } from '../../core/processing-record.js';
import { addRequest, completeRequest, deadlineWarnings, extendRequest, listRequestViews, type RequestView } from '../../services/rights/requests.js';
import { runRetention } from '../../services/rights/retention.js';
import { processingRecordHtml, proofHtml } from '../../web/views/manage-documents.js';
import { printJson, printTable, terminalSafe, withContext } from '../shared.js';
import { eventLine, generalEventLine, suppressedOnly, suppressedOnlyLine } from './contacts.js';

const requestRow = (v: RequestView) => ({
  id: v.id, kind: v.kind, article: v.article, channel: v.channel, received: v.receivedAt.slice(0, 10), due: v.dueAt.slice(0, 10),
  extended: v.extensionMonths || '', state: v.state, completed: v.completedAt?.slice(0, 10) ?? '',
});

const printOne = (v: RequestView, json?: boolean) => (json ? printJson(v) : printTable([requestRow(v)]));

/**
 * The proof of consent as text: what `--html` shows, in the style of `contacts show`: the contact and its
 * suppression, each permission with its history, then the events about no single purpose (an objection to all
 * direct marketing, GDPR 21(3)), which count as much for the proof as the permissions do.
 */
function printProof(proof: ConsentProof): void {
  const out = (line: string) => console.log(terminalSafe(line));
  const c = proof.contact;
  out(proof.statement);
  out(`${c.email}  (id ${c.id})   kind: ${c.kind}   source: ${c.sourceKind}${c.sourceRef ? ` (${c.sourceRef})` : ''}`);
  if (c.suppression) out(`  SUPPRESSED: ${c.suppression} (not mailed for any purpose)`);
  printTable(proof.permissions.map((p) => ({
    purpose: p.purposeId, basis: p.basis, status: p.status, method: p.method, source: p.sourceKind, given: p.givenAt ?? '-',
    confirmed: p.confirmedAt ?? '-', withdrawn: p.withdrawnAt ?? '-', notice: p.noticeVersion ?? '-',
  })));
  for (const p of proof.permissions) {
    out(`\n${p.purposeId} — history (hash-chained):`);
    for (const ev of p.history) out(`  ${eventLine(ev)}`);
  }
  if (proof.generalEvents.length > 0) {
    out('\nevents about no single purpose (hash-chained):');
    for (const ev of proof.generalEvents) out(`  ${generalEventLine(ev)}`);
  }
}

function registerRetention(program: Command): void {
  program
    .command('retention')
    .description('retention rules (GDPR 5(1)(e))')
    .command('run')
    .description('erase what the retention rules say is due; each run is written to the audit log')
    .option('--dry-run', 'list what would be erased, erase nothing')
    .option('--json', 'print the report as JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      await withContext(async (ctx) => {
        const r = await runRetention(ctx.deps, { dryRun: !!o.dryRun, outboxDir: ctx.config.smtpUrl ? null : ctx.config.paths.outbox });
        if (o.json) return printJson(r);
        console.log(`${r.dryRun ? 'DRY RUN: would erase' : 'erased'} ${r.erase.length} of ${r.examined} contacts; kept ${r.kept}; held ${r.held.length} for open requests (run ${r.runId})`);
        printTable(r.erase.map((d) => ({ contact: d.contactId, rule: d.rule ?? 'no_basis', reason: d.reason_en })));
        if (r.held.length > 0) {
          console.log('held until their open data-subject requests are completed (consentry requests complete <id>):');
          printTable(r.held.map((d) => ({ contact: d.contactId, rule: d.rule ?? 'no_basis', reason: d.reason_en })));
        }
      });
    });
}

function registerRequests(program: Command): void {
  const requests = program.command('requests').description('data-subject requests received (GDPR 12(3), 15-22)');
  requests
    .command('list')
    .description('the register, overdue and nearly due requests first')
    .option('--all', 'include answered requests')
    .option('--json', 'print as JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      await withContext(async (ctx) => {
        const views = await listRequestViews(ctx.deps, { openOnly: !o.all });
        if (o.json) return printJson(views);
        for (const w of deadlineWarnings(views)) console.log(w);
        printTable(views.map(requestRow));
      });
    });
  requests
    .command('add')
    .description('register a request received by letter, phone, mail …')
    .requiredOption('--kind <kind>', 'access | portability | rectification | erasure | restriction | objection')
    .requiredOption('--channel <channel>', 'letter | phone | email | web | other')
    .option('--received <date>', 'date of receipt (YYYY-MM-DD or ISO time; default now)')
    .option('--requester <text>', 'who asked, for your own reference')
    .option('--contact <email-or-id>', 'the contact it concerns')
    .option('--json', 'print as JSON')
    .action(async (o: { kind: string; channel: string; received?: string; requester?: string; contact?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const parsed = o.received !== undefined ? parseDate(o.received) ?? 'invalid' : null;
        if (parsed === 'invalid') throw invalid('received', `--received: "${o.received}" is not a date (YYYY-MM-DD, or DD-MM-YYYY)`);
        const receivedAt = parsed ?? undefined;
        printOne(await addRequest(ctx.deps, { kind: o.kind, channel: o.channel, ...(receivedAt ? { receivedAt } : {}), requester: o.requester ?? null, contact: o.contact ?? null }), o.json);
      });
    });
  requests
    .command('extend <id>')
    .description('extend the deadline by 1 or 2 months (at most 2 in total, within the first month)')
    .requiredOption('--months <n>', '1 or 2')
    .requiredOption('--reason <text>', 'the reason, as told to the person')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { months: string; reason: string; json?: boolean }) => {
      await withContext(async (ctx) => printOne(await extendRequest(ctx.deps, id, Number(o.months), o.reason), o.json));
    });
  requests
    .command('complete <id>')
    .description('mark a request answered')
    .option('--outcome <text>', 'what was done')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { outcome?: string; json?: boolean }) => {
      await withContext(async (ctx) => printOne(await completeRequest(ctx.deps, id, o.outcome), o.json));
    });
}

function registerNotice(program: Command): void {
  const notice = program.command('notice').description('the privacy notice (GDPR 13, 14)');
  notice
    .command('show')
    .description('the published version and the newest draft')
    .option('--version <n>', 'print this version’s content')
    .option('--json', 'print as JSON')
    .action(async (o: { version?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        if (o.version !== undefined || o.json) {
          const status = await noticeStatus(ctx.deps);
          const content = await noticeContent(ctx.deps, o.version !== undefined ? Number(o.version) : undefined).catch(() => null);
          return printJson({ ...status, content });
        }
        const s = await noticeStatus(ctx.deps);
        console.log(s.published ? `published: version ${s.published.version} since ${s.published.publishedAt}` : 'published: none (forms are closed)');
        console.log(s.draft ? `draft: version ${s.draft.version}, ${s.draft.missing.length} item(s) missing` : 'draft: none');
        printTable((await noticeVersions(ctx.deps)).map((v) => ({ version: v.version, state: v.state, created: v.createdAt, published: v.publishedAt ?? '' })));
      });
    });
  notice
    .command('missing')
    .description('the GDPR art. 13/14 items the newest draft (or the published version) still misses')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const s = await noticeStatus(ctx.deps);
        const missing = s.draft?.missing ?? s.publishedMissing;
        if (o.json) return printJson(missing);
        printTable(missing.map((m) => ({ item: m.item, field: m.field, what: m.en })));
      });
    });
  notice
    .command('save <file>')
    .description('store a new version from a JSON file (not yet published)')
    .action(async (file: string) => {
      await withContext(async (ctx) => {
        const r = await saveNoticeJson(ctx.deps, readFileSync(file, 'utf8'));
        console.log(`saved version ${r.version}; ${r.missing.length === 0 ? 'complete, ready to publish' : `${r.missing.length} item(s) missing:`}`);
        for (const m of r.missing) console.log(`  ${m.item}  ${m.field}: ${m.en}`);
      });
    });
  notice
    .command('edit')
    .description('change the texts only the notice states into a new draft (not published): dpo=none, rights_nl, rights_en, withdrawal_*, complaint_*, provision_*, automated=none|described, automated_*, categories_*, sources_*, interest_<purpose>_*')
    .requiredOption('--set <field=text>', 'a field and its text; repeat for more', (v: string, all: string[] = []) => [...all, v])
    .action(async (o: { set: string[] }) => {
      const input: Record<string, string> = {};
      for (const pair of o.set) {
        const at = pair.indexOf('=');
        if (at < 1) throw invalid('set', `--set "${pair}": write field=text, e.g. provision_nl="Alleen uw e-mailadres is nodig."`);
        input[pair.slice(0, at)] = pair.slice(at + 1);
      }
      await withContext(async (ctx) => {
        const r = await draftNoticeTexts(ctx.deps, input);
        if (r.version === null) return console.log('nothing changed; no new version');
        console.log(`saved draft version ${r.version}; ${r.missing.length === 0 ? `complete: consentry notice publish ${r.version}` : `${r.missing.length} item(s) missing:`}`);
        for (const m of r.missing) console.log(`  ${m.item}  ${m.field}: ${m.en}`);
      });
    });
  notice
    .command('publish <version>')
    .description('publish a version; refused while any item is missing')
    .action(async (version: string) => {
      await withContext(async (ctx) => {
        try {
          const r = await publishNotice(ctx.deps, Number(version));
          console.log(`published version ${r.version} at ${r.publishedAt}`);
        } catch (e) {
          if (e instanceof NoticeIncompleteError) for (const m of e.missing) console.error(`  missing ${m.item}  ${m.field}: ${m.en}`);
          throw e;
        }
      });
    });
}

function registerDocuments(program: Command): void {
  program
    .command('processing-record')
    .description('the record of processing activities (GDPR 30), as a table, CSV or printable HTML')
    .option('--csv', 'RFC 4180 CSV')
    .option('--html', 'a printable HTML page')
    .option('--lang <lang>', 'nl or en', 'en')
    .action(async (o: { csv?: boolean; html?: boolean; lang: string }) => {
      if (o.lang !== 'nl' && o.lang !== 'en') throw invalid('lang', '--lang must be nl or en');
      const lang = o.lang as Language;
      await withContext(async (ctx) => {
        const rows = await buildProcessingRecord(ctx.deps, lang);
        if (o.csv) process.stdout.write(toCsv(rows, lang));
        else if (o.html) process.stdout.write(processingRecordHtml(rows, lang, ctx.deps.clock.now().toISOString()));
        else printTable(rows.map((r) => ({ activity: r.activity, basis: r.lawfulBasis, recipients: r.recipients, retention: r.retention })));
      });
    });
  program
    .command('proof <email-or-id>')
    .description('proof of consent for the supervisory authority (GDPR 7(1)): every permission, its evidence and history')
    .option('--json', 'as JSON')
    .option('--html', 'as a printable HTML page (redirect to a file)')
    .action(async (who: string, o: { json?: boolean; html?: boolean }) => {
      await withContext(async (ctx) => {
        const suppressed = await suppressedOnly(ctx.deps, who);
        if (suppressed) {
          // Erased (or only ever an opt-out): no evidence is left but the keyed hash (GDPR 17(1), 21(3)).
          if (o.json) return printJson({ contact: null, suppression: suppressed });
          return console.log(suppressedOnlyLine(who, suppressed));
        }
        const proof = await proofOfConsent(ctx.deps, who, ctx.deps.clock.now());
        if (o.html) process.stdout.write(proofHtml(proof));
        else if (o.json) printJson(proof);
        else printProof(proof);
        if (!proof.ledger.ledgerOk || !proof.ledger.subjectChainIntact) process.exitCode = 1;
      });
    });
  program
    .command('erase <email-or-id>')
    .description('erase a person (GDPR 17): keeps only the keyed hash on the suppression list')
    .option('--reason <code>', 'short reason code for the ledger', 'request:art17')
    .option('--yes', 'really erase (cannot be undone)')
    .action(async (who: string, o: { reason: string; yes?: boolean }) => {
      if (!o.yes) throw invalid('yes', 'erasure cannot be undone; add --yes to confirm');
      await withContext(async (ctx) => {
        const { contact } = await contactEvidence(ctx.deps, who);
        const r = await eraseContact(ctx.deps, contact.id, o.reason, { outboxDir: ctx.config.smtpUrl ? null : ctx.config.paths.outbox });
        console.log(`erased contact ${r.contactId}: ${r.deliveriesRemoved} deliveries (counts kept), ${r.eventsScrubbed} ledger events scrubbed, ${r.outboxFilesDeleted.length} outbox files deleted`);
        if (!r.walTruncated && ctx.store.dialect === 'sqlite')
          console.error('warning: another process kept the database busy, so old copies of the erased data stay in the write-ahead log (consentry.sqlite-wal) until the next erasure or retention run; run the command again when the server is idle');
      });
    });
}

/** Registers the issue-5 command groups: retention, requests, notice, processing-record, proof, erase. */
export function registerRights(program: Command): void {
  registerRetention(program);
  registerRequests(program);
  registerNotice(program);
  registerDocuments(program);
}
