/**
 * Scheduling: a draft campaign starts at a date and time in the organisation's time zone. A local time the
 * clocks skip (spring forward) or show twice (fall back) is refused with what to choose instead, never guessed.
 * The server starts due campaigns (`startDueCampaigns`, a job in server.ts that also runs at start-up, so a
 * schedule that came due while the server was down fires when it is back).
 */
import { formatInZone, formatOffset, parseWallTime, resolveWallTime } from '../../core/zoned-time.js';
import { dueCampaigns, updateCampaignIf } from '../../store/campaigns.js';
import { getOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { getTimeZone } from '../organisation/time-zone.js';
import { loadCampaign, startCampaign } from './campaigns.js';
import { notDraft } from './edit.js';

export interface Schedule {
  campaignId: string;
  /** The start as an instant, ISO UTC. */
  scheduledAt: string;
  /** The start in the organisation's zone, e.g. "2026-12-01 09:00 +01:00". */
  local: string;
  timeZone: string;
}

/**
 * The instant a local time names in `zone`.
 * @param at "YYYY-MM-DD HH:MM", optionally with the offset that picks one side of an autumn fold ("+02:00")
 * @throws DomainError invalid on field `at`: not in that form (`bad-time`), skipped by the clocks
 *   (`nonexistent-time`), shown twice (`ambiguous-time`), or with an offset the zone does not have then
 */
export function instantOf(at: string, zone: string): Date {
  const parsed = parseWallTime(at);
  if (!parsed) {
    throw invalid('at', `at: "${at}" is not a date and time; write YYYY-MM-DD HH:MM (e.g. 2026-12-01 09:00), in the time zone ${zone}`, 'bad-time');
  }
  const day = at.trim().slice(0, 10);
  const time = at.trim().slice(11, 16);
  const r = resolveWallTime(parsed.wall, zone, parsed.offsetMinutes);
  if (r.ok) return r.instant;
  if (r.problem === 'nonexistent') {
    throw invalid(
      'at',
      `at: ${day} ${time} does not exist in ${zone}: that night the clocks go forward from ${r.gapStart} to ${r.gapEnd}. ` +
        `Choose a time before ${r.gapStart} or from ${r.gapEnd}.`,
      'nonexistent-time',
    );
  }
  if (r.problem === 'ambiguous') {
    const [first, second] = r.offsets.map(formatOffset) as [string, string];
    throw invalid(
      'at',
      `at: ${day} ${time} happens twice in ${zone}: that night the clocks go back from ${r.foldEnd} to ${r.foldStart}. ` +
        `Choose a time before ${r.foldStart} or from ${r.foldEnd}, or add the offset: "${day} ${time}${first}" (the first time) ` +
        `or "${day} ${time}${second}" (the second).`,
      'ambiguous-time',
    );
  }
  throw invalid('at', `at: ${zone} is not at offset ${at.trim().slice(16).trim()} on ${day} ${time}; it is at ${r.offsets.map(formatOffset).join(' or ')}`, 'wrong-offset');
}

/**
 * Schedules a draft campaign (or moves the time of a scheduled one).
 * @param at local time in the organisation's time zone, see `instantOf`
 * @returns the schedule
 * @throws DomainError invalid on `at` (see `instantOf`; `time-passed` when not in the future; `after-deadline`
 *   when a re-permission request would start after its deadline); conflict on `status` when it is not a draft;
 *   not_found; nothing is stored then
 * @example scheduleCampaign(deps, id, '2026-12-01 09:00') // → { scheduledAt: '2026-12-01T08:00:00.000Z', local: '2026-12-01 09:00 +01:00', … }
 */
export async function scheduleCampaign(deps: Data & { clock: Deps['clock'] }, campaignId: string, at: string): Promise<Schedule> {
  const c = await loadCampaign(deps.db, campaignId);
  if (c.status !== 'draft' && c.status !== 'scheduled') throw notDraft(c, 'scheduled');
  const zone = await getTimeZone(deps);
  const instant = instantOf(at, zone);
  const now = deps.clock.now();
  if (instant.getTime() <= now.getTime()) {
    throw invalid('at', `at: ${formatInZone(instant, zone)} is in the past; it is now ${formatInZone(now, zone)} in ${zone}`, 'time-passed');
  }
  if (c.repermission_deadline && instant.getTime() >= Date.parse(c.repermission_deadline)) {
    throw invalid('at', `at: the re-permission deadline ${formatInZone(new Date(c.repermission_deadline), zone)} comes before this start`, 'after-deadline');
  }
  if (!(await getOrganisation(deps.db))) throw invalid('organisation', 'the sender identity is not set up: run `consentry init` first', 'no-identity');
  const scheduledAt = instant.toISOString();
  if (!(await updateCampaignIf(deps.db, campaignId, c.status, { status: 'scheduled', scheduled_at: scheduledAt }))) {
    throw notDraft(await loadCampaign(deps.db, campaignId), 'scheduled');
  }
  return { campaignId, scheduledAt, local: formatInZone(instant, zone), timeZone: zone };
}

/**
 * Cancels a schedule: the campaign is a draft again.
 * @throws DomainError conflict on `status` when it is not scheduled (e.g. it started already); not_found
 */
export async function unscheduleCampaign(deps: Data, campaignId: string): Promise<void> {
  const c = await loadCampaign(deps.db, campaignId);
  if (c.status !== 'scheduled' || !(await updateCampaignIf(deps.db, campaignId, 'scheduled', { status: 'draft', scheduled_at: null }))) {
    const now = await loadCampaign(deps.db, campaignId);
    throw new DomainError('conflict', `status: the campaign is not scheduled (its status is ${now.status})`, 'status', 'not-scheduled');
  }
}

/**
 * Starts every scheduled campaign whose time has come, also those that came due while the server was down.
 * Starting is idempotent (one delivery row per campaign and contact), so two servers, or a start interrupted
 * half-way and retried, never send anything twice.
 * @returns the ids started
 * @throws the first error of a campaign that could not start, after trying all (the job logs it and retries)
 */
export async function startDueCampaigns(deps: Deps): Promise<string[]> {
  const started: string[] = [];
  const errors: unknown[] = [];
  for (const c of await dueCampaigns(deps.db, deps.clock.now())) {
    // One campaign that cannot start (e.g. no sender identity) does not hold up the others.
    try {
      await startCampaign(deps, c.id);
      started.push(c.id);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return started;
}
