/**
 * `consentry audit [--json | --html] [--purpose <id>]`: the legal state of the whole list per purpose (who may be
 * mailed on which basis, who has no provable basis, who needs re-permission, who opted out, what retention would
 * erase). Text by default; `--html > audit.html` gives a printable page. Reads only.
 */
import type { Command } from 'commander';
import { auditList } from '../../services/lists/audit.js';
import { auditHtml, auditText } from '../../web/views/audit.view.js';
import { printJson, withContext } from '../shared.js';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the legal state of the whole list per purpose (text, --json or --html)')
    .option('--purpose <id>', 'audit only this purpose')
    .option('--json', 'print the report as JSON')
    .option('--html', 'print a self-contained, printable HTML page')
    .action(async (o: { purpose?: string; json?: boolean; html?: boolean }) => {
      const report = await withContext((ctx) => auditList(ctx.deps, { purposeId: o.purpose }));
      if (o.json) printJson(report);
      else if (o.html) process.stdout.write(auditHtml(report));
      else console.log(auditText(report));
    });
}
