/**
 * The `consentry` command line as a user runs it: `bin/consentry.js` in a child process, on the embedded defaults
 * in a fresh temporary folder (whatever the calling shell has set), after `consentry init`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'consentry.js');

export interface CliWorld {
  /** A temporary folder for the test's own files. */
  dir: string;
  /** The data folder (CONSENTRY_DATA_DIR) inside `dir`. */
  data: string;
  /** Runs one command; returns its standard output, throws on a non-zero exit. */
  cli: (...args: string[]) => string;
}

/** A set-up organisation ("Test BV", purpose "newsletter") in a new data folder. */
export function initialisedCli(): CliWorld {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-cli-'));
  const data = join(dir, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: data };
  delete env.CONSENTRY_SECRET;
  delete env.DATABASE_URL;
  const cli = (...args: string[]) => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli('init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example', '--recipients', 'none', '--transfers', 'none');
  return { dir, data, cli };
}
