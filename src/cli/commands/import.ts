/**
 * `consentry import mailchimp|csv …`: imports an audience export or a CSV/TSV file and prints the report
 * (counts per file, not-provable contacts, refused rows with their line numbers).
 */
import type { Command } from 'commander';
import { importCsv } from '../../services/lists/import/csv-import.js';
import { PRESETS, SOURCE_ARGS } from '../../services/lists/import/columns.js';
import { ENCODING_NAMES } from '../../services/lists/import/csv-stream.js';
import type { ImportReport } from '../../services/lists/import/import-run.js';
import { importMailchimp, mailchimpPaths } from '../../services/lists/import/mailchimp.js';
import { REASONS } from '../../core/policy/reasons.js';
import type { BlockedAction } from '../../services/lists/audit.js';
import { printJson, printTable, progress, withContext } from '../shared.js';

/** What to do about blocked contacts, per action (the admin page says the same in imports.texts.ts). */
const ACTION_EN: Record<BlockedAction, string> = {
  respect_opt_out: 'nothing: they said no (or bounced); they stay off every mailing',
  await_confirmation: 'wait for their confirmation (double opt-in)',
  repermission: 'ask consent once with a re-permission campaign (consentry audit; admin: Audit, /admin/audit)',
  customer_purpose: 'customers may get offers for similar products without consent: import them into a customer-marketing purpose (--source customer_records), or ask consent',
  one_to_one: 'follow up one-to-one (a personal message) and ask consent there; no campaign mail',
  ask_consent: 'ask consent (own sign-up form), or import with --evidence where provable consent exists',
};

/** Prints an import report for people: one table of counts, then what needs attention. */
export function printImportReport(r: ImportReport): void {
  const how = r.dryRun ? ' (dry run: nothing stored)' : r.rerun ? ' (re-run of an earlier import: nothing new)' : r.resumed ? ' (resumed)' : '';
  console.log(`Import ${r.importId} (${r.format}) for purpose "${r.purposeId}"${how}`);
  printTable(
    r.files.map((f) => ({ ...f })),
    ['file', 'role', 'rows', 'created', 'updated', 'unchanged', 'merged', 'suppressed', 'withdrawn', 'refused'],
  );
  const known = r.files.reduce((n, f) => n + f.unchanged, 0);
  if (known > 0 && !r.rerun) {
    console.log(`\n${known} row(s) unchanged: these people were already known here, and an import never replaces a permission or its evidence (E5); this file's --evidence and --date were not applied to them.`);
  }
  const merged = r.files.reduce((n, f) => n + f.merged, 0);
  if (merged > 0) console.log(`\n${merged} row(s) repeat an address that came earlier in the same input: merged into that contact (column "merged"), not counted again.`);
  const m = r.mailability;
  if (m.judged > 0) {
    const blocked = m.judged - m.mailable;
    console.log(`\nFor purpose "${m.purposeId}"${r.dryRun ? ' (after this import)' : ''}: ${m.mailable} of the ${m.judged} imported contact(s) may be mailed now, ${blocked} may not.`);
    for (const b of m.blocked) console.log(`  ${String(b.count).padStart(7)}  ${b.code}: ${REASONS[b.code].en}\n           → ${ACTION_EN[b.action]}`);
  }
  if (r.notProvable.count > 0) {
    console.log(
      `\n${r.notProvable.count} contact(s) imported without provable consent (no opt-in time of Mailchimp or Laposta in the row, no --evidence, or a public profile): campaigns to them are blocked (BASIS_NOT_PROVABLE).`,
    );
    const shown = r.notProvable.sample.slice(0, 20);
    for (const s of shown) console.log(`  ${s.email}`);
    if (r.notProvable.count > shown.length) console.log(`  … and ${r.notProvable.count - shown.length} more (see --json)`);
  }
  if (r.refused.length > 0) {
    console.log(`\n${r.refused.length} row(s) refused:`);
    printTable(r.refused.map((x) => ({ ...x })), ['file', 'line', 'reason']);
  }
}



export function registerImport(program: Command): void {
  const imp = program.command('import').description('import contacts with their evidence (Mailchimp exports, CSV/TSV files)');
  imp
    .command('mailchimp')
    .description('import a Mailchimp audience export: a folder, the zip, or the subscribed/unsubscribed/cleaned CSVs')
    .argument('<paths...>', 'folder, .zip, or CSV files')
    .requiredOption('--purpose <id>', 'the purpose the subscribers consented to')
    .option('--evidence <ref>', 'where the proof of the original consent is kept (recorded with every event)')
    .option('--dry-run', 'report what would happen without storing anything')
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], o: { purpose: string; evidence?: string; dryRun?: boolean; json?: boolean }) => {
      const report = await withContext((ctx) =>
        importMailchimp(ctx.deps, { ...mailchimpPaths(paths), purposeId: o.purpose, evidenceRef: o.evidence, dryRun: o.dryRun }),
      );
      if (o.json) printJson(report);
      else printImportReport(report);
    });

  imp
    .command('csv')
    .description('import a CSV/TSV file (any of , ; tab; UTF-8, Windows-1252 or UTF-16) or an Excel .xlsx (first sheet) with its provenance')
    .argument('<file>', 'the CSV or TSV file')
    .option('--preset <name>', `a ready-made mapping: ${Object.keys(PRESETS).join(', ')}`)
    .option('--map <pairs>', 'column mapping, e.g. email=E-mail,first_name=Voornaam')
    .option('--source <kind>', `where the addresses come from: ${Object.keys(SOURCE_ARGS).join(' | ')}`)
    .option('--date <date>', 'when consent was collected, for rows without an opt-in time')
    .requiredOption('--purpose <id>', 'the purpose the import is for')
    .option('--basis <code>', 'lawful basis claimed (A6-1-a … A6-1-f)', 'A6-1-a')
    .option('--evidence <ref>', 'where the proof of consent is kept; needed for it to count, except in Mailchimp and Laposta exports (their per-row opt-in times)')
    .option('--names-us', 'third party: the evidence names this organisation as recipient')
    .option('--names-purpose', 'third party: the evidence names this purpose')
    .option('--encoding <name>', `${ENCODING_NAMES}; detected when left out, refused when the bytes say otherwise`)
    .option('--dry-run', 'report what would happen without storing anything')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { preset?: string; map?: string; source?: string; date?: string; purpose: string; basis: string; evidence?: string; namesUs?: boolean; namesPurpose?: boolean; encoding?: string; dryRun?: boolean; json?: boolean }) => {
      const bar = progress('importing {value} rows');
      try {
        const report = await withContext((ctx) =>
          importCsv(ctx.deps, {
            path: file, preset: o.preset, map: o.map, source: o.source, date: o.date, purposeId: o.purpose, basis: o.basis,
            evidenceRef: o.evidence, evidenceNames: { organisation: !!o.namesUs, purpose: !!o.namesPurpose }, encoding: o.encoding, dryRun: o.dryRun, onProgress: (n) => bar.update(n),
          }),
        );
        bar.stop();
        if (o.json) printJson(report);
        else printImportReport(report);
      } finally {
        bar.stop();
      }
    });
}
