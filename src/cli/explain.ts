/**
 * Plain-words explanation of a reason code for terminal output (English, with the sources).
 */
import { REASONS, isReasonCode } from '../core/policy/reasons.js';

export function explainCode(code: string): string {
  if (!isReasonCode(code)) return code;
  const r = REASONS[code];
  return `${r.en} [${r.sources.join('; ')}]`;
}
