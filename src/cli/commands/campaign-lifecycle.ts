/**
 * `consentry campaign edit|duplicate|delete|test|schedule|unschedule|send-new|stats|clicks|timezone`: a campaign's life after
 * it is created. Every command calls one service; errors name the field.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { MessageCategory } from '../../core/vocab.js';
import { sendToAddedSince } from '../../services/campaigns/added-since.js';
import { deleteCampaign, duplicateCampaign, editCampaign, type CampaignEdit } from '../../services/campaigns/edit.js';
import { campaignFigures, type CampaignFigures } from '../../services/campaigns/figures.js';
import { scheduleCampaign, unscheduleCampaign } from '../../services/campaigns/schedule.js';
import { setClickCounting } from '../../services/campaigns/click-links.js';
import { sendTestMessage } from '../../services/campaigns/test-send.js';
import { getTimeZone, setTimeZone } from '../../services/organisation/time-zone.js';
import { explainCode } from '../explain.js';
import { printJson, printTable, withContext } from '../shared.js';

function printFigures(f: CampaignFigures): void {
  console.log(`${f.name} (${f.status})`);
  printTable(
    [
      ['sent', f.sent],
      ['queued', f.queued],
      ['failed', f.failed],
      ['blocked', f.blocked],
      ['hard bounces', f.hardBounces],
      ['soft bounces', f.softBounces],
      ['complaints', f.complaints],
      ['unsubscribes through its links', f.unsubscribes],
      ...(f.clicks.counting ? [['clicks (all links)', f.clicks.total] as [string, number]] : []),
    ].map(([figure, n]) => ({ figure, n })),
  );
  if (f.blocked > 0) {
    console.log('\nblocked by reason');
    printTable(Object.entries(f.blockedBy).map(([code, n]) => ({ n, code, why: explainCode(code) })));
  }
  if (f.clicks.counting && f.clicks.links.length > 0) {
    console.log('\nclicks per link (counted in aggregate; nobody is tracked)');
    printTable(f.clicks.links.map((l) => ({ clicks: l.clicks, link: l.url })));
  }
  if (f.sendsOverTime.series.length > 0) {
    console.log(`\nsent per ${f.sendsOverTime.unit} (${f.sendsOverTime.timeZone})`);
    const max = Math.max(...f.sendsOverTime.series.map((p) => p.sent));
    for (const p of f.sendsOverTime.series) console.log(`${p.at.padEnd(16)} ${String(p.sent).padStart(7)} ${'#'.repeat(Math.ceil((p.sent / max) * 40))}`);
  }
}

/** Adds the lifecycle commands to the `campaign` command group. */
export function registerCampaignLifecycle(campaign: Command): void {
  campaign
    .command('edit')
    .description('change a draft campaign (checked as at create); a campaign that is scheduled or went out cannot change')
    .argument('<id>', 'campaign id')
    .option('--subject <text>', 'subject line (Liquid)')
    .option('--body <text>', 'body (Liquid)')
    .option('--body-file <path>', 'read the body from a UTF-8 file')
    .option('--name <name>', 'internal name')
    .option('--purpose <id>', 'the purpose it serves')
    .option('--category <category>', 'message category')
    .option('--product-category <name>', 'product category promoted (customer marketing)')
    .option('--format <format>', 'markdown or text')
    .option('--language <lang>', 'nl or en')
    .option('--deadline <iso-time>', 're-permission deadline')
    .option('--json', 'print the campaign as JSON')
    .action(async (id: string, o: Record<string, string | boolean | undefined>) => {
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const changes: CampaignEdit = {
        subject: s('subject'),
        body: o.bodyFile ? readFileSync(String(o.bodyFile), 'utf8') : s('body'),
        name: s('name'),
        purposeId: s('purpose'),
        category: s('category') as MessageCategory | undefined,
        productCategory: s('productCategory'),
        format: s('format') as CampaignEdit['format'],
        language: s('language') as CampaignEdit['language'],
        repermissionDeadline: s('deadline'),
      };
      await withContext(async (ctx) => {
        const c = await editCampaign(ctx.deps, id, changes);
        if (o.json) return printJson(c);
        for (const w of c.warnings) console.error(`warning (${w.field}): ${w.message_en} [${w.source}]`);
        console.log(`edited ${c.id}`);
      });
    });
  campaign
    .command('duplicate')
    .description('copy a campaign (of any status) into a new draft; prints its id')
    .argument('<id>', 'campaign id')
    .option('--name <name>', 'the new draft\'s name (default: "<name> (copy)")')
    .action(async (id: string, o: { name?: string }) => {
      await withContext(async (ctx) => console.log((await duplicateCampaign(ctx.deps, id, o.name)).id));
    });
  campaign
    .command('delete')
    .description('delete a draft campaign')
    .argument('<id>', 'campaign id')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        await deleteCampaign(ctx.deps, id);
        console.log(`deleted ${id}`);
      });
    });
  campaign
    .command('test')
    .description('send the campaign as a contact would get it to an admin user\'s address only: subject "[TEST] …", a placeholder unsubscribe link, never counted')
    .argument('<id>', 'campaign id')
    .requiredOption('--to <address>', 'the address of an admin user (`consentry user list`)')
    .option('--contact <id|email>', 'whose name and address fill the variables (default: a sample without a name)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { to: string; contact?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const r = await sendTestMessage(ctx.deps, { campaignId: id, to: o.to, ...(o.contact ? { contact: o.contact } : {}) });
        if (o.json) return printJson(r);
        console.log(`sent "${r.subject}" to ${r.to} (${r.response})`);
      });
    });
  campaign
    .command('schedule')
    .description("start a draft campaign at a local time in the organisation's time zone (the server starts it)")
    .argument('<id>', 'campaign id')
    .requiredOption('--at <local time>', 'YYYY-MM-DD HH:MM, e.g. "2026-12-01 09:00"; in an autumn fold add the offset, e.g. "+01:00"')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { at: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const s = await scheduleCampaign(ctx.deps, id, o.at);
        if (o.json) return printJson(s);
        console.log(`scheduled for ${s.local} (${s.timeZone}); \`consentry serve\` starts it then`);
      });
    });
  campaign
    .command('unschedule')
    .description('cancel a schedule: the campaign is a draft again')
    .argument('<id>', 'campaign id')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        await unscheduleCampaign(ctx.deps, id);
        console.log(`unscheduled ${id}; it is a draft again`);
      });
    });
  campaign
    .command('send-new')
    .description('send a campaign that went out to the people who became eligible since, each once')
    .argument('<id>', 'campaign id')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const r = await sendToAddedSince(ctx.deps, id);
        if (o.json) return printJson(r);
        console.log(`queued ${r.added} new, ${r.requeued} blocked before and allowed now; \`consentry serve\` sends them`);
      });
    });
  campaign
    .command('stats')
    .description('figures without tracking people: sent, blocked by reason, bounces, complaints, unsubscribes, sends over time')
    .argument('<id>', 'campaign id')
    .option('--by <unit>', 'sends over time per hour or day')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { by?: string; json?: boolean }) => {
      if (o.by !== undefined && o.by !== 'hour' && o.by !== 'day') throw new Error('--by: give hour or day');
      await withContext(async (ctx) => {
        const f = await campaignFigures(ctx.deps, id, o.by as 'hour' | 'day' | undefined);
        if (o.json) printJson(f);
        else printFigures(f);
      });
    });
  campaign
    .command('clicks')
    .description('count clicks per link, in aggregate only, in a purpose\'s campaigns (off by default); the privacy notice is revised to say so')
    .argument('<purpose>', 'purpose id')
    .argument('<on|off>', 'on or off')
    .action(async (purpose: string, state: string) => {
      if (state !== 'on' && state !== 'off') throw new Error('give on or off');
      await withContext(async (ctx) => {
        const r = await setClickCounting(ctx.deps, purpose, state === 'on');
        console.log(`click counting ${state} for ${purpose}${r.noticeVersion ? `; privacy notice version ${r.noticeVersion}` : ''}`);
      });
    });
  campaign
    .command('timezone')
    .description("show or set the organisation's time zone for schedules and figures (default Europe/Amsterdam)")
    .argument('[zone]', 'an IANA name such as Europe/Amsterdam')
    .action(async (zone: string | undefined) => {
      await withContext(async (ctx) => console.log(zone ? await setTimeZone(ctx.deps, zone) : await getTimeZone(ctx.deps)));
    });
}
