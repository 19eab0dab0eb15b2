/**
 * `consentry outbox [show <file>]`: the built-in outbox's messages.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { outboxDir } from '../../context.js';
import { listOutbox, readOutboxMessage } from '../../mail/outbox.js';
import { printJson, printTable } from '../shared.js';

export function registerOutbox(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('list the messages in the built-in outbox (used when SMTP_URL is not set)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const dir = outboxDir(loadConfig());
      const entries = await listOutbox(dir);
      if (o.json) return printJson(entries);
      console.log(`${entries.length} message(s) in ${dir}`);
      printTable(entries, ['file', 'date', 'to', 'subject']);
    });
  outbox
    .command('show')
    .description('print one message with all its headers')
    .argument('<file>', 'file name as listed')
    .action(async (file: string) => {
      process.stdout.write(await readOutboxMessage(outboxDir(loadConfig()), file));
    });
}
