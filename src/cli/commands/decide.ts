/**
 * `consentry decide [file]`: asks the send gate from outside. Reads `{ "facts": …, "now"?: … }` as JSON from a
 * file or standard input and prints the decision as JSON (docs/decisions.md). Needs no database: the same pure
 * `decide` serves the preview, the send and this command. Bad input exits with status 2 and names the field path.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { decide } from '../../core/policy/decide.js';
import { parseDecisionInput, toDecisionOutput, type DecisionOutput } from '../../core/policy/facts-schema.js';
import { invalid } from '../../services/errors.js';

/**
 * Decides one JSON text.
 * @param now used when the input gives no `now`
 * @returns the decision output (`allowed`, `basis`, `reasons` with `code`, `sources`, `detail`, `nl`, `en`)
 * @throws DomainError invalid naming `json` (not JSON) or the first invalid field path, e.g. `facts.message.category`
 * @example decideJson('{"facts":{"message":{"category":"service","purposeId":"ebook"}}}', new Date())
 *   // → { allowed: false, basis: null, reasons: [{ code: 'NO_SERVICE_RELATIONSHIP', … }] } (no request, contract or purchase)
 */
export function decideJson(text: string, now: Date): DecisionOutput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid('json', `the input is not JSON: ${(err as Error).message}`, 'invalid-json');
  }
  let input;
  try {
    input = parseDecisionInput(json);
  } catch (err) {
    const message = (err as Error).message;
    const field = /at ([^:]+):/.exec(message)?.[1] ?? 'facts';
    throw invalid(field, message, 'invalid-input');
  }
  return toDecisionOutput(decide(input.facts, input.now ?? now));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide one message for one contact from JSON facts (file or stdin); prints the decision as JSON')
    .argument('[file]', 'JSON file with { "facts": …, "now"?: … }; "-" or nothing reads standard input')
    .option('--compact', 'print on one line')
    .action(async (file: string | undefined, o: { compact?: boolean }) => {
      const text = !file || file === '-' ? await readStdin() : readFileSync(file, 'utf8');
      const out = decideJson(text, new Date());
      console.log(o.compact ? JSON.stringify(out) : JSON.stringify(out, null, 2));
    });
}
