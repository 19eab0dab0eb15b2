/**
 * `consentry counts verify|repair`: the dashboard's figures kept on write (permissions per purpose and status,
 * ledger events per type and hour) against a full recount. Triggers keep them in every writer's
 * transaction; these commands are for a database edited by hand or restored in part.
 */
import type { Command } from 'commander';
import { checkKeptCounts } from '../../services/admin/dashboard.js';
import { printJson, withContext } from '../shared.js';

export function registerCounts(program: Command): void {
  const counts = program.command('counts').description("the dashboard's kept counts against a full recount");
  for (const repair of [false, true]) {
    counts
      .command(repair ? 'repair' : 'verify')
      .description(repair ? 'replace the kept counts by a full recount where they differ' : 'recount; exit code 1 when a kept count differs')
      .option('--json', 'print the result as JSON')
      .action(async (o: { json?: boolean }) => {
        const r = await withContext((ctx) => checkKeptCounts(ctx.deps, { repair }));
        if (o.json) printJson(r);
        else {
          for (const d of r.differences) console.log(`  ${d}`);
          console.log(r.ok ? 'counts OK' : r.repaired ? `repaired ${r.differences.length} count(s)` : `counts NOT OK: ${r.differences.length} difference(s)`);
        }
        if (!r.ok && !repair) process.exitCode = 1;
      });
  }
}
