/**
 * `consentry ledger verify|checkpoint`: check the consent ledger's hash chains and checkpoints.
 */
import type { Command } from 'commander';
import { takeCheckpoint, verifyLedger } from '../../store/ledger.js';
import { printJson, withContext } from '../shared.js';

export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('the hash-chained consent ledger');
  ledger
    .command('verify')
    .description('verify every chain and checkpoint; exit code 1 when anything was altered')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const report = await verifyLedger(ctx.store.db, ctx.store.dialect);
        if (o.json) printJson(report);
        else {
          console.log(`${report.events} events, ${report.subjects} subjects, ${report.checkpoints} checkpoints`);
          for (const p of report.problems) console.log(`  PROBLEM subject ${p.subjectId} #${p.seq}: ${p.problem}`);
          console.log(report.ok ? 'ledger OK' : `ledger NOT OK: ${report.problems.length} problem(s)`);
        }
        if (!report.ok) process.exitCode = 1;
      });
    });
  ledger
    .command('checkpoint')
    .description('fix the current chain heads in a checkpoint (the server does this every few minutes)')
    .action(async () => {
      await withContext(async (ctx) => {
        const hash = await takeCheckpoint(ctx.store.db, ctx.store.dialect, ctx.deps.clock.now());
        console.log(hash ? `checkpoint ${hash}` : 'nothing new since the last checkpoint');
      });
    });
}
