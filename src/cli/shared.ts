/**
 * Helpers shared by the CLI commands: opening the context from the environment, printing tables and JSON.
 */
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { createContext, type Context } from '../context.js';

/** Opens the product's context from the environment, runs `fn`, and always closes it. */
export async function withContext<T>(fn: (ctx: Context) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Text from the database made safe for a terminal: control characters (escape sequences) become '?'. */
export const terminalSafe = (text: string): string => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

/** Prints rows as an aligned text table with a header. */
export function printTable(rows: ReadonlyArray<object>, columns?: string[]): void {
  if (rows.length === 0) {
    console.log('(none)');
    return;
  }
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : terminalSafe(String(v)));
  const get = (r: object, c: string) => cell((r as Record<string, unknown>)[c]);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => get(r, c).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => get(r, c))));
}

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/**
 * A running count on the terminal for long imports and exports ("importing 12000 rows"), drawn on standard error
 * so that standard output stays clean for data; nothing when standard error is not a terminal.
 * @param what the words around the number, e.g. 'importing {value} rows'
 */
export function progress(what: string): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: what, clearOnComplete: true, stream: process.stderr });
  bar.start(0, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}
