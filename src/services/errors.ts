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
    /** Every field's refusal when there are several (the first is this error's own field, message and code). */
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string, code?: string) => new DomainError('invalid', message, field, code);

/** One field's refusal among several: the field, the English message, the code and its values. */
export interface FieldIssue {
  field: string;
  message: string;
  code?: string | undefined;
  params?: Record<string, string | number> | undefined;
}

/** An invalid error's refusals: its `issues`, or its own field's, or none (an error about no one field). */
export const issuesOf = (err: DomainError): readonly FieldIssue[] =>
  err.issues ?? (err.field ? [{ field: err.field, message: err.message, code: err.code, params: err.params }] : []);

/**
 * Every field's refusal at once, so that a form shows each next to its field: the first issue is the error's
 * own field, message and code (what the CLI prints and the API answers).
 * @example throw invalidFields([{ field: 'name_nl', message: 'name_nl: required', code: 'too-short' }, …])
 */
export const invalidFields = (issues: readonly FieldIssue[]): DomainError =>
  new DomainError('invalid', issues[0]!.message, issues[0]!.field, issues[0]!.code, issues[0]!.params, issues);

/**
 * Runs a check that throws a DomainError invalid naming a field, adding its refusals to `issues` instead; other
 * errors pass through. Lets a use case check every field before it refuses (then `invalidFields(issues)`).
 * @returns the check's result, or undefined when it refused
 */
export function collecting<T>(issues: FieldIssue[], check: () => T): T | undefined {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== 'invalid' || issuesOf(err).length === 0) throw err;
    issues.push(...issuesOf(err));
    return undefined;
  }
}

/**
 * Each zod issue as a field's refusal; `prefix` goes before the field's path (e.g. 'organisation.'), `whole` names
 * an issue about the whole input.
 */
export const zodIssues = (e: z.ZodError, prefix = '', whole = 'input'): FieldIssue[] =>
  e.issues.map((i) => {
    const path = i.path.join('.');
    const field = path ? `${prefix}${path}` : prefix.replace(/\.$/, '') || whole;
    return { field, message: `${field}: ${i.message}`, code: issueCode(i) };
  });
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
