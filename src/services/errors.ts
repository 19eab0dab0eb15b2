/**
 * Domain errors of use cases. The web layer maps `kind` to an HTTP status; the CLI prints the message.
 * Messages name the field, row or line that is wrong.
 */
import type { z } from 'zod';

export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'gone' | 'forbidden' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
    /** A stable code for pages and API clients, e.g. 'token-expired'. */
    readonly code?: string,
    /** Values for the code's text (e.g. `{ line: 12 }`), when it names them. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string, code?: string) => new DomainError('invalid', message, field, code);
export const notFound = (message: string, code?: string) => new DomainError('not_found', message, undefined, code);

/**
 * A stable code for a zod issue, so that a page can say what is wrong in its own language: 'invalid-email',
 * 'invalid-url', 'invalid-format' (a pattern), 'too-short'/'too-long' (text), 'too-few'/'too-many' (a list),
 * 'too-small'/'too-big' (a number), 'invalid-choice', a custom issue's
 * `params.code`, else undefined.
 * @example invalid(field, `${field}: ${issue.message}`, issueCode(issue))
 */
export function issueCode(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_format':
      return issue.format === 'email' ? 'invalid-email' : issue.format === 'url' ? 'invalid-url' : 'invalid-format';
    case 'too_small':
      return issue.origin === 'string' ? 'too-short' : issue.origin === 'array' || issue.origin === 'set' ? 'too-few' : 'too-small';
    case 'too_big':
      return issue.origin === 'string' ? 'too-long' : issue.origin === 'array' || issue.origin === 'set' ? 'too-many' : 'too-big';
    case 'invalid_value':
      return 'invalid-choice';
    case 'custom':
      return typeof issue.params?.code === 'string' ? issue.params.code : undefined;
    default:
      return undefined;
  }
}
