/**
 * `consentry demo`: the scripted tour (see ../demo.ts).
 */
import type { Command } from 'commander';
import { runDemo } from '../demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('a scripted tour in a temporary folder: import, preview, sign-up, send, one-click unsubscribe, evidence')
    .action(async () => {
      await runDemo();
    });
}
