/**
 * Maps a refused link token to the domain error the pages show.
 */
import type { TokenError } from '../../core/tokens.js';
import { DomainError } from '../errors.js';

export function tokenError(error: TokenError): DomainError {
  switch (error) {
    case 'expired':
      return new DomainError('gone', 'this link has expired', undefined, 'token-expired');
    case 'malformed':
    case 'bad-signature':
    case 'wrong-action':
      return new DomainError('invalid', 'this link is not valid', 'token', 'token-invalid');
  }
}
