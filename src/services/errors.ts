/**
 * Domain errors of use cases. The web layer maps `kind` to an HTTP status; the CLI prints the message.
 * Messages name the field, row or line that is wrong.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'gone' | 'forbidden' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
    /** A stable code for pages and API clients, e.g. 'token-expired'. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string, code?: string) => new DomainError('invalid', message, field, code);
export const notFound = (message: string, code?: string) => new DomainError('not_found', message, undefined, code);
