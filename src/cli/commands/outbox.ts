/**
 * `consentry outbox [show <file>]`: the built-in outbox's messages.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { listOutbox, readOutboxMessage } from '../../mail/outbox.js';
import { printJson, printTable, terminalSafe } from '../shared.js';

export function registerOutbox(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('list the messages in the built-in outbox (used when SMTP_URL is not set)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const dir = loadConfig().paths.outbox;
      const entries = await listOutbox(dir);
      if (o.json) return printJson(entries);
      console.log(`${entries.length} message(s) in ${dir}`);
      printTable(entries, ['file', 'date', 'to', 'subject']);
    });
  outbox
    .command('show')
    .description('print one message: its headers and the decoded text (or the raw .eml with --raw)')
    .argument('<file>', 'file name as listed')
    .option('--raw', 'the message exactly as stored')
    .action(async (file: string, o: { raw?: boolean }) => {
      const raw = await readOutboxMessage(loadConfig().paths.outbox, file);
      if (o.raw) return void process.stdout.write(raw);
      const headerBlock = raw.slice(0, raw.search(/\r?\n\r?\n/));
      const { simpleParser } = await import('mailparser');
      const mail = await simpleParser(raw);
      console.log(terminalSafe(headerBlock.replace(/\r?\n[ \t]+/g, ' ').replace(/\r\n/g, '\n')));
      console.log(`\n${terminalSafe(mail.text ?? '')}`);
    });
}
