/**
 * `consentry bounces review [--show <id>] [--done <id>]` and `consentry bounces settings`: the reports that came
 * back but could not be read or matched safely (kept for review with their reason), and the soft-bounce limit.
 */
import type { Command } from 'commander';
import { getBounceSettings, putBounceSettings } from '../../services/events/delivery-events.js';
import { listUnreadableReports, markReportReviewed, unreadableReport } from '../../store/delivery-events.js';
import { notFound } from '../../services/errors.js';
import { printJson, printTable, terminalSafe, withContext } from '../shared.js';

export function registerBounces(program: Command): void {
  const bounces = program.command('bounces').description('bounces and complaints that came back: reports kept for review, the soft-bounce limit');
  bounces
    .command('review')
    .description('reports that could not be read or matched safely, newest first (open ones unless --all)')
    .option('--all', 'also those marked reviewed')
    .option('--show <id>', 'print one report as received')
    .option('--done <id>', 'mark one report reviewed')
    .option('--json', 'print as JSON')
    .action(async (o: { all?: boolean; show?: string; done?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        if (o.show || o.done) {
          const id = (o.show ?? o.done)!;
          const r = await unreadableReport(ctx.deps.db, id);
          if (!r) throw notFound(`no report "${id}"`);
          if (o.done) {
            await markReportReviewed(ctx.deps.db, id, ctx.deps.clock.now());
            return console.log(`report ${id} marked reviewed`);
          }
          return o.json ? printJson(r) : console.log(terminalSafe(r.raw));
        }
        const rows = await listUnreadableReports(ctx.deps.db, { open: !o.all });
        if (o.json) return printJson(rows.map(({ raw: _raw, ...r }) => r));
        console.log(`${rows.length} report(s)${o.all ? '' : ' to review'}`);
        printTable(rows.map((r) => ({ id: r.id, received: r.received_at, route: r.route, reason: r.reason, bytes: r.size, detail: terminalSafe(r.detail ?? '') })));
      });
    });
  bounces
    .command('settings')
    .description('show or change the soft-bounce limit: this many soft bounces within this many days suppress an address')
    .option('--soft-bounce-limit <n>', 'soft bounces (of different messages) that suppress, 1-100 (default 3)')
    .option('--soft-bounce-window-days <n>', 'within how many days, 1-365 (default 30)')
    .action(async (o: { softBounceLimit?: string; softBounceWindowDays?: string }) => {
      await withContext(async (ctx) => {
        const patch = {
          ...(o.softBounceLimit !== undefined && { softBounceLimit: Number(o.softBounceLimit) }),
          ...(o.softBounceWindowDays !== undefined && { softBounceWindowDays: Number(o.softBounceWindowDays) }),
        };
        printJson(Object.keys(patch).length > 0 ? await putBounceSettings(ctx.deps.db, patch) : await getBounceSettings(ctx.deps.db));
      });
    });
}
