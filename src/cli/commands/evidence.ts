/**
 * `consentry export evidence [--out file.jsonl]` and `consentry import evidence <file.jsonl>`: portable consent
 * evidence (SCENARIOS F4; format in docs/evidence-format.md). The `import` and `export` groups are shared with
 * other commands, so this adds its sub-command to a group that exists or creates the group.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { exportEvidence } from '../../services/lists/evidence-export.js';
import { importEvidence } from '../../services/lists/evidence-import.js';
import { privateOutputFile } from '../../store/private-files.js';
import { printJson, printTable, progress, withContext } from '../shared.js';

/** The sub-command group `name`, created when no other command made it yet. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function registerEvidence(program: Command): void {
  group(program, 'export', 'export data in portable formats')
    .command('evidence')
    .description('write all consent evidence (contacts, permissions, hash-chained ledger, suppressions) as JSON Lines')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (o: { out?: string }) => {
      // 0600 also when the file existed (docs/evidence-format.md): it holds personal data.
      const out = o.out ? createWriteStream(o.out, { fd: privateOutputFile(o.out) }) : process.stdout;
      const bar = progress('exporting: {value} lines written');
      let written = 0;
      const lines = await withContext((ctx) =>
        exportEvidence(ctx.deps, async (line) => {
          if (!out.write(line)) await once(out, 'drain');
          if (++written % 1000 === 0) bar.update(written);
        }),
      ).finally(() => bar.stop());
      if (o.out) {
        out.end();
        await once(out, 'finish');
        console.error(`${lines} lines written to ${o.out} (it holds personal data: keep it safe)`);
      }
    });

  group(program, 'import', 'import contacts with their evidence')
    .command('evidence')
    .description('read an evidence export back into this (empty, or non-overlapping) database; refuses a tampered file')
    .argument('<file>', 'the .jsonl file written by `consentry export evidence`')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const report = await withContext((ctx) => importEvidence(ctx.deps, file));
      if (o.json) printJson(report);
      else {
        const { file: _f, checkpoint, sameSecret: _s, settings, ...counts } = report;
        console.log(`Imported evidence from ${file}`);
        printTable(Object.entries(counts).map(([what, n]) => ({ what, n })), ['what', 'n']);
        console.log(checkpoint ? `ledger checkpoint ${checkpoint}` : 'no new ledger checkpoint (no events)');
        const inForce = `customer-exception-months ${settings.decisions.customerExceptionMonths}; retention ${JSON.stringify(settings.retention)}`;
        console.log(`settings from the file: ${inForce}`);
      }
    });
}
