/**
 * `consentry campaign create|list|preview|send|show|pause|resume|cancel`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MESSAGE_CATEGORIES, type MessageCategory } from '../../core/vocab.js';
import { createCampaign, previewCampaign, startCampaign, type Preview } from '../../services/campaigns/campaigns.js';
import { drainQueue } from '../../services/campaigns/send.js';
import { audienceContacts } from '../../services/campaigns/audience.js';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign, type CampaignProgress } from '../../services/campaigns/control.js';
import { sendingOptions } from '../../services/campaigns/sending-config.js';
import { listCampaignsWithCounts } from '../../services/campaigns/list.js';
import { explainCode } from '../explain.js';
import { invalid } from '../../services/errors.js';
import { printJson, printTable, withContext } from '../shared.js';
import { registerCampaignLifecycle } from './campaign-lifecycle.js';

function printPreview(p: Preview): void {
  console.log(`audience ${p.total}: ${p.allowed} may be mailed, ${p.blocked} blocked`);
  const rows = [
    ...Object.entries(p.allowedBy).map(([code, n]) => ({ outcome: 'allowed', n, code, why: explainCode(code) })),
    ...Object.entries(p.blockedBy).map(([code, n]) => ({ outcome: 'blocked', n, code, why: explainCode(code) })),
  ].sort((a, b) => b.n - a.n);
  printTable(rows, ['outcome', 'n', 'code', 'why']);
  for (const m of p.missingVariables) {
    if (m.count === 0) continue;
    const some = m.examples.map((e) => `${e.email} (${e.contactId})`).join(', ');
    console.log(`${m.count} allowed recipient(s) have no ${m.variable}, used without a default (e.g. {{ ${m.variable} | default: "…" }}): ${some}`);
  }
}

function printProgress(p: CampaignProgress): void {
  const n = (k: string) => p.deliveries[k] ?? 0;
  console.log(`${p.name} (${p.id})`);
  console.log(`state      ${p.status}${p.pausedReason ? ` — ${p.pausedReason}` : ''}`);
  console.log(`progress   ${p.done} of ${p.total} (${Math.floor(p.progress * 100)} %)`);
  console.log(`           sent ${n('sent')}, blocked ${n('blocked')}, hard bounces ${n('bounced')}, failed ${n('failed')}, queued ${n('queued') + n('claimed')}, cancelled ${n('cancelled')}`);
  console.log(`rate       ${p.ratePerSecond} msg/s over the last minute`);
  console.log(`ETA        ${p.etaSeconds === null ? '-' : `${p.etaSeconds} s`}`);
  if (p.lastRelayError) console.log(`last relay error  ${p.lastRelayErrorAt}: ${p.lastRelayError}`);
}

export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('create, preview and send campaigns');
  campaign
    .command('create')
    .description('create a draft campaign; prints its id')
    .requiredOption('--purpose <id>', 'the purpose it serves (the unit of consent)')
    .requiredOption('--subject <text>', 'subject line (Liquid, e.g. "Hallo {{ first_name }}")')
    .option('--body <text>', 'body (Liquid; Markdown with --format markdown, else text: blank lines separate paragraphs)')
    .option('--format <format>', 'markdown or text', 'text')
    .option('--language <lang>', 'nl or en: the body\'s language; footer and link texts follow it', 'nl')
    .option('--translation-of <id>', 'this is the other-language version of that campaign (each contact gets their language)')
    .option('--body-file <path>', 'read the body from a UTF-8 file')
    .option('--name <name>', 'internal name (default: the subject)')
    .option('--category <category>', `message category: ${MESSAGE_CATEGORIES.join(', ')}`, 'purpose_marketing')
    .option('--product-category <name>', 'product category promoted (customer marketing)')
    .option('--other-legal-entity', 'the products are sold by another legal entity (a sister company, a partner)')
    .option('--third-party', 'the content promotes a third party')
    .option('--deadline <iso-time>', 're-permission campaigns: after this moment non-responders lose eligibility')
    .option('--json', 'print the campaign as JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const body = o.bodyFile ? readFileSync(String(o.bodyFile), 'utf8') : (o.body as string | undefined);
      // Refusals of input exit 2, as the service's own refusals do (a DomainError).
      if (body === undefined) throw invalid('body', 'give the body with --body or --body-file');
      if (body.trim() === '') throw invalid('body', `the body is empty${o.bodyFile ? ` (${String(o.bodyFile)})` : ''}: write the message text`);
      await withContext(async (ctx) => {
        const c = await createCampaign(ctx.deps, {
          name: String(o.name ?? o.subject),
          purposeId: String(o.purpose),
          subject: String(o.subject),
          body,
          format: o.format as 'markdown' | 'text',
          language: o.language as 'nl' | 'en',
          ...(o.translationOf ? { translationOf: String(o.translationOf) } : {}),
          category: o.category as MessageCategory,
          ...(o.productCategory ? { productCategory: String(o.productCategory) } : {}),
          ...(o.deadline ? { repermissionDeadline: String(o.deadline) } : {}),
          otherLegalEntity: o.otherLegalEntity === true,
          thirdParty: o.thirdParty === true,
        });
        if (o.json) return printJson(c);
        for (const w of c.warnings) console.error(`warning (${w.field}): ${w.message_en} [${w.source}]`);
        console.log(c.id);
      });
    });
  campaign
    .command('list')
    .description('campaigns, newest first, with delivery counts')
    .action(async () => {
      await withContext(async (ctx) => {
        const rows = [];
        for (const c of await listCampaignsWithCounts(ctx.deps)) {
          const n = c.deliveries;
          rows.push({
            id: c.id, name: c.name, purpose: c.purpose_id, status: c.status, sent: n.sent ?? 0, blocked: n.blocked ?? 0,
            queued: (n.queued ?? 0) + (n.claimed ?? 0), failed: n.failed ?? 0, bounced: n.bounced ?? 0,
            'paused because': c.paused_reason ?? '',
          });
        }
        printTable(rows);
      });
    });
  campaign
    .command('preview')
    .description('who may be mailed and why the others are blocked, grouped by reason')
    .argument('<id>', 'campaign id')
    .option('--contacts', 'list the contacts of each group (20 per group, or --limit) instead of the counts')
    .option('--reason <code>', 'with --contacts: only this reason code\'s group')
    .option('--after <contact-id>', 'with --contacts --reason: the contacts after this one (the "next" of the page before)')
    .option('--limit <n>', 'with --contacts: contacts per group (1–500)', '20')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean; contacts?: boolean; reason?: string; after?: string; limit: string }) => {
      await withContext(async (ctx) => {
        if (o.contacts) {
          const groups = await audienceContacts(ctx.deps, id, { ...(o.reason && { reason: o.reason }), ...(o.after && { after: o.after }), limit: Number(o.limit) || 20 });
          if (o.json) printJson(groups);
          else {
            for (const g of groups) {
              console.log(`${g.allowed ? 'allowed' : 'blocked'} ${g.code}: ${explainCode(g.code)}`);
              printTable(g.contacts.map((c) => ({ id: c.id, email: c.email, name: c.name ?? '' })), ['id', 'email', 'name']);
              if (g.next) console.log(`more: --contacts --reason ${g.code} --after ${g.next}`);
            }
          }
          return;
        }
        const p = await previewCampaign(ctx.deps, id);
        if (o.json) printJson(p);
        else printPreview(p);
      });
    });
  campaign
    .command('send')
    .description('send to everyone allowed now; every message is decided again right before it goes out')
    .argument('<id>', 'campaign id')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const started = await startCampaign(ctx.deps, id);
        const result = await drainQueue(ctx.deps, { ...sendingOptions(ctx), campaignId: id, waitForRetriesMs: 30_000 });
        const progress = await campaignProgress(ctx.deps, id);
        if (o.json) return printJson({ ...started, ...result, status: progress.status, pausedReason: progress.pausedReason });
        console.log(`queued ${started.queued}, blocked at start ${started.blocked}`);
        console.log(`sent ${result.sent}, blocked at send time ${result.blocked}, failed ${result.failed}, hard bounces ${result.bounced}, to retry ${result.retried}`);
        if (progress.status === 'paused') console.log(`PAUSED: ${progress.pausedReason} — fix the relay, then \`consentry campaign resume ${id}\``);
      });
    });
  campaign
    .command('show')
    .description('progress, rate, ETA, state and the last relay error of one campaign')
    .argument('<id>', 'campaign id')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const p = await campaignProgress(ctx.deps, id);
        if (o.json) printJson(p);
        else printProgress(p);
      });
    });
  campaign
    .command('pause')
    .description('stop sending a campaign for now; queued messages wait')
    .argument('<id>', 'campaign id')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        await pauseCampaign(ctx.deps, id);
        console.log(`paused; continue with \`consentry campaign resume ${id}\``);
      });
    });
  campaign
    .command('resume')
    .description('continue a paused campaign (also after a relay failure has been fixed) and send what is queued')
    .argument('<id>', 'campaign id')
    .option('--no-send', 'only mark it sending; the server sends')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { send: boolean; json?: boolean }) => {
      await withContext(async (ctx) => {
        await resumeCampaign(ctx.deps, id);
        if (!o.send) return console.log('sending; the server sends the queued messages');
        const result = await drainQueue(ctx.deps, { ...sendingOptions(ctx), campaignId: id, waitForRetriesMs: 30_000 });
        const p = await campaignProgress(ctx.deps, id);
        if (o.json) return printJson({ ...result, status: p.status, pausedReason: p.pausedReason });
        console.log(`sent ${result.sent}, blocked at send time ${result.blocked}, failed ${result.failed}, hard bounces ${result.bounced}, to retry ${result.retried}`);
        if (p.status === 'paused') console.log(`PAUSED again: ${p.pausedReason}`);
      });
    });
  campaign
    .command('cancel')
    .description('stop a campaign for good: its queued messages are never sent')
    .argument('<id>', 'campaign id')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        const r = await cancelCampaign(ctx.deps, id);
        console.log(`cancelled; ${r.cancelled} queued message(s) will not be sent`);
      });
    });
  registerCampaignLifecycle(campaign);
}
