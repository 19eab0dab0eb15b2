/**
 * The organisation's time zone: campaigns are scheduled and their figures shown in it. An IANA name, kept in the
 * settings table; Europe/Amsterdam until set otherwise.
 */
import { isTimeZone } from '../../core/zoned-time.js';
import { getSetting, putSetting } from '../../store/settings.js';
import type { Data } from '../deps.js';
import { invalid } from '../errors.js';

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** The organisation's time zone (IANA name). */
export async function getTimeZone(deps: Data): Promise<string> {
  const zone = await getSetting<string>(deps.db, 'time_zone');
  return zone && isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/**
 * Sets the organisation's time zone.
 * @param zone an IANA name such as "Europe/Amsterdam" or "Europe/Brussels"
 * @throws DomainError invalid on field `timeZone` for a name the runtime does not know
 */
export async function setTimeZone(deps: Data, zone: string): Promise<string> {
  const z = zone.trim();
  if (!isTimeZone(z) || (!z.includes('/') && z !== 'UTC')) {
    throw invalid('timeZone', `timeZone: "${zone}" is not a time zone name; use a name such as Europe/Amsterdam`, 'unknown-time-zone');
  }
  await putSetting(deps.db, 'time_zone', z);
  return z;
}
