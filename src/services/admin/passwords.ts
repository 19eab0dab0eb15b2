/**
 * Password hashing for admin users: argon2id through @node-rs/argon2 (its default algorithm; memory 19 MiB,
 * 2 passes, as OWASP's password storage cheat sheet recommends), about 50 ms a hash here.
 */
import { hash, verify } from '@node-rs/argon2';
import { passwordProblem } from '../../core/admin/password-policy.js';
import { invalid } from '../errors.js';

/** A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). */
export const hashPassword = (password: string): Promise<string> => hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

/** Whether a password matches a stored hash; false for a malformed hash. */
export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash of a password nobody knows: verified against for unknown accounts so they take as long as known ones. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`));

/**
 * Checks a new password against the policy (core/admin/password-policy.ts).
 * @param field the form field to name in the error
 * @throws DomainError invalid with code `password-<problem>`
 */
export function checkNewPassword(password: string, email: string, field = 'password'): void {
  const problem = passwordProblem(password, email);
  if (problem) throw invalid(field, PASSWORD_MESSAGES[problem], `password-${problem}`);
}

const PASSWORD_MESSAGES = {
  'too-short': 'the password needs at least 12 characters',
  'too-long': 'the password may have at most 256 characters',
  common: 'this password is too common; choose another',
  'is-address': 'the password may not be the account’s address',
} as const;
