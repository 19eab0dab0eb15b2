/**
 * Personal names as people type them (forms, the manage page, the API) or as files carry them (imports). A
 * name ends up in mail subjects and headers through templates and on terminals, so control characters (line
 * breaks, escape sequences, NUL) are never stored: forms refuse them, imports clean them.
 */

/** Longest name kept, in characters. */
export const MAX_NAME_LENGTH = 100;

// C0 and C1 control characters, DEL, zero-width and bidi formatting, and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+/g;

/**
 * Checks a typed name.
 * @returns the trimmed name ('' when empty), or an English error for a control character or a name over
 *   MAX_NAME_LENGTH characters
 */
export function checkName(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const value = input.trim();
  if (CONTROL.test(value)) {
    return { ok: false, error: /[\r\n]/.test(value) ? 'the name contains a line break' : 'the name contains a control character' };
  }
  if (value.length > MAX_NAME_LENGTH) return { ok: false, error: `the name is longer than ${MAX_NAME_LENGTH} characters` };
  return { ok: true, value };
}

/**
 * Cleans a name from a file: control characters become one space, white space is collapsed, and the result is
 * cut at MAX_NAME_LENGTH characters.
 * @example cleanName('Jan\r\nJansen') // 'Jan Jansen'
 */
export function cleanName(input: string): string {
  return input.replace(CONTROL_ALL, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}
