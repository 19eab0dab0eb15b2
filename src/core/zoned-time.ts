/**
 * Wall-clock times in an IANA time zone (e.g. Europe/Amsterdam) converted to instants and back, with the two
 * DST traps named instead of guessed: a local time in the spring-forward gap does not exist, one in the autumn
 * fold happens twice. Node 20 has no Temporal; the zone's offsets come from Intl.DateTimeFormat (ICU's tz data).
 * Pure: no clock, no I/O.
 */

/** A local date and time as written, minutes precision. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Outcome of resolving a wall time in a zone. Offsets are minutes east of UTC (Amsterdam in summer: 120). */
export type Resolved =
  | { ok: true; instant: Date; offsetMinutes: number }
  | { ok: false; problem: 'nonexistent'; gapStart: string; gapEnd: string }
  | { ok: false; problem: 'ambiguous'; foldStart: string; foldEnd: string; offsets: [number, number] }
  | { ok: false; problem: 'wrong-offset'; offsets: number[] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time an instant shows in a zone, as ms since the epoch read as if UTC. */
function wallMsAt(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The zone's offset from UTC at instant `t` (ms), in minutes. */
export function offsetAt(t: number, zone: string): number {
  return Math.round((wallMsAt(Math.floor(t / 1000) * 1000, zone) - Math.floor(t / 1000) * 1000) / MINUTE);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const wallMs = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
/** "HH:MM" of a wall time given as ms read as UTC. */
const hhmm = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** "+02:00" for 120 minutes. */
export function formatOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** The instant (ms) within [lo, hi] at which the offset changes, to the minute; offset(lo) ≠ offset(hi). */
function transitionBetween(lo: number, hi: number, zone: string): number {
  const before = offsetAt(lo, zone);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Resolves a local wall time in `zone` to the one instant it names.
 * Zones change offset at most once within a day, so the offsets 14 hours either side are the only candidates.
 * @param offsetMinutes the offset the writer chose (to pick one side of a fold); it must be one the zone has then
 * @returns the instant, or why there is none: `nonexistent` (in the gap; `gapStart`–`gapEnd` are the local
 *   "HH:MM" the clocks jump between), `ambiguous` (in the fold, which the clocks repeat from `foldStart` to
 *   `foldEnd`; `offsets` are the first and second occurrence's), `wrong-offset` (the zone has none of those then)
 * @example resolveWallTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Amsterdam')
 *   // → { ok: false, problem: 'nonexistent', gapStart: '02:00', gapEnd: '03:00' }
 */
export function resolveWallTime(w: WallTime, zone: string, offsetMinutes?: number): Resolved {
  const local = wallMs(w);
  const before = offsetAt(local - 14 * HOUR, zone);
  const after = offsetAt(local + 14 * HOUR, zone);
  const fits = [...new Set([before, after])].filter((o) => offsetAt(local - o * MINUTE, zone) === o);
  if (offsetMinutes !== undefined) {
    if (!fits.includes(offsetMinutes)) return { ok: false, problem: 'wrong-offset', offsets: fits };
    return { ok: true, instant: new Date(local - offsetMinutes * MINUTE), offsetMinutes };
  }
  if (fits.length === 1) return { ok: true, instant: new Date(local - fits[0]! * MINUTE), offsetMinutes: fits[0]! };
  const t = transitionBetween(local - 14 * HOUR, local + 14 * HOUR, zone);
  if (fits.length === 0) return { ok: false, problem: 'nonexistent', gapStart: hhmm(t + before * MINUTE), gapEnd: hhmm(t + after * MINUTE) };
  return { ok: false, problem: 'ambiguous', foldStart: hhmm(t + after * MINUTE), foldEnd: hhmm(t + before * MINUTE), offsets: [before, after] };
}

/**
 * Parses "YYYY-MM-DD HH:MM" (or with a "T"), optionally followed by an offset "+01:00", checking that the
 * date exists in the calendar.
 * @returns the wall time and the offset written, or null when it is not in that form
 * @example parseWallTime('2026-10-25 02:30+01:00') // → { wall: { year: 2026, …, hour: 2, minute: 30 }, offsetMinutes: 60 }
 */
export function parseWallTime(text: string): { wall: WallTime; offsetMinutes?: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?:\s*([+-])(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCDate() !== day) return null;
  const wall = { year, month, day, hour, minute };
  if (!m[6]) return { wall };
  return { wall, offsetMinutes: (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8])) };
}

/**
 * An instant as the zone's wall time with its offset.
 * @example formatInZone(new Date('2026-03-29T01:30:00Z'), 'Europe/Amsterdam') // → "2026-03-29 03:30 +02:00"
 */
export function formatInZone(instant: Date, zone: string): string {
  const d = new Date(wallMsAt(instant.getTime(), zone));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hhmm(d.getTime())} ${formatOffset(offsetAt(instant.getTime(), zone))}`;
}

/** The start of the zone's local hour or day containing `instant`, as "YYYY-MM-DD HH:00" or "YYYY-MM-DD". */
export function localBucket(instant: Date, zone: string, unit: 'hour' | 'day'): string {
  const d = new Date(wallMsAt(instant.getTime(), zone));
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return unit === 'day' ? day : `${day} ${pad(d.getUTCHours())}:00`;
}
