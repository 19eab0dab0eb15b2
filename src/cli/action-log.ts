/**
 * The command line's part of the admin action log (services/admin/action-log.ts): after a command that
 * changes something has succeeded, one entry naming the command (never its arguments, which may hold an
 * address) and the operating-system user who ran it. Commands that only read are left out by name.
 */
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { logAction } from '../services/admin/action-log.js';
import { withContext } from './shared.js';

/** Commands that change nothing (besides those whose last word is list, show, preview, verify or missing). */
const READ_ONLY = new Set(['serve', 'demo', 'secret', 'outbox', 'audit', 'decide', 'proof', 'processing-record', 'export evidence', 'evidence']);
const READ_WORDS = new Set(['list', 'show', 'preview', 'verify', 'missing']);

/** 'user add' for `consentry user add …`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Whether a finished command changed something and belongs in the log. */
export function changesSomething(path: string, opts: Record<string, unknown>): boolean {
  const last = path.split(' ').pop() ?? '';
  if (READ_ONLY.has(path) || READ_WORDS.has(last)) return false;
  return !opts.dryRun && !opts.help;
}

/** Installs the hook on the program: after each successful action, one log entry when it changed something. */
export function logCommands(program: Command): void {
  program.hook('postAction', async (_program, action) => {
    const path = commandPath(action);
    if (!changesSomething(path, action.opts())) return;
    await withContext((ctx) =>
      logAction(ctx.deps, { actor: { kind: 'cli', id: null, name: `cli:${userInfo().username}` }, action: `cli ${path}`, status: 0 }),
    );
  });
}
