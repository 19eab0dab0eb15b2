/**
 * Dates as people type them in files and on the command line. Pure.
 */

/**
 * Parses a date or time: ISO 8601 ('2024-01-31', '2024-01-31 13:45:00', with T/Z), Go's time format that
 * listmonk exports ('2024-03-05 14:22:01.123456 +0100 CET'; the zone name is ignored, the offset counts), or
 * day-first '31-01-2024' / '31/01/2024', also with a time as Dutch Excel writes it ('1-4-2023 10:00'; numeric
 * dates are always day-first, as written in the Netherlands).
 * Times without a zone are read as UTC; fractions of a second are dropped.
 * @returns the Date, null for an empty cell, or 'invalid'
 */
export function parseDate(s: string): Date | null | 'invalid' {
  const v = s.trim();
  if (v === '') return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?: ?(Z|[+-]\d{2}:?\d{2})(?: [A-Z]{2,5}| [+-]\d{4})?)?)?$/.exec(v);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7]?.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') ?? 'Z'}`;
  else if ((m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v))) {
    iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}T${(m[4] ?? '00').padStart(2, '0')}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`;
  }
  if (!iso) return 'invalid';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso.slice(0, 10) ? 'invalid' : d;
}
