/**
 * The password rule for admin users: at least 12 characters (NIST SP 800-63B 5.1.1.2 allows a longer minimum
 * than 8 and says to check against known-bad passwords), at most 256, and not one of a short list of common
 * passwords or the account's own address. Pure: returns a code, no I/O.
 */

/** Shortest and longest password accepted, in characters. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/**
 * Common passwords of 12 characters or more (from the lists published after breaches) and the ones people make
 * from this product's own name. Compared lower-case, with spaces removed.
 */
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456123456', '111111111111', '000000000000',
  'qwertyuiopas', 'qwertyuiop123', '1q2w3e4r5t6y', 'q1w2e3r4t5y6', 'azertyuiopqs', 'asdfghjkl123',
  'passwordpassword', 'password1234', 'password12345', 'password123456', 'password123!', 'passw0rd1234',
  'wachtwoord123', 'wachtwoord1234', 'welkomwelkom', 'welkom123456', 'welcome12345', 'welcome123456',
  'iloveyou1234', 'letmein12345', 'administrator', 'administrator1', 'admin1234567', 'adminadmin12',
  'changeme1234', 'consentry123', 'consentry1234', 'consentrypassword', 'nieuwsbrief123', 'newsletter123',
  'qwerty123456', 'abcdefghijkl', 'abc123abc123', 'monkey123456', 'football1234', 'sunshine1234',
  'princess1234', 'baseball1234', 'superman1234', 'starwars1234', 'trustno11234', 'zaq12wsxcde3',
  '1qaz2wsx3edc', 'qazwsxedcrfv', 'aaaaaaaaaaaa', 'zomer2024zomer', 'voorjaar2025', 'amsterdam123',
]);

/** Why a password is refused. */
export const PASSWORD_PROBLEMS = ['too-short', 'too-long', 'common', 'is-address'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/**
 * Checks a new password.
 * @param email the account's address; the password may not be (or merely contain) its local part
 * @returns null when acceptable, else the problem
 * @example passwordProblem('kort', 'a@b.nl') // 'too-short'
 */
export function passwordProblem(password: string, email: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  const folded = password.toLowerCase().replace(/\s+/g, '');
  if (COMMON.has(folded)) return 'common';
  if (/^(.)\1+$/.test(folded)) return 'common';
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (folded === email.toLowerCase() || (local.length >= 4 && folded.replace(/[^a-z]/g, '') === local.replace(/[^a-z]/g, ''))) return 'is-address';
  return null;
}
