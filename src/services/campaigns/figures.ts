/**
 * A campaign's follow-up figures, without tracking people (issue 10): counts from the delivery queue, the
 * delivery events (bounces, complaints), the unsubscribes that came through this campaign's links, clicks per link
 * in aggregate when the purpose counts them, and the sends over time in the organisation's time zone for a chart.
 * No open pixel exists, so there are no opens. Every figure is a number; none names a person.
 */
import { localBucket } from '../../core/zoned-time.js';
import { blockedReasonLists, campaignCounters, campaignLinks, sendsPerHour } from '../../store/campaign-figures.js';
import { deliveryCounts } from '../../store/deliveries.js';
import { purposeById } from '../../store/purposes.js';
import { erasedEventCounts } from '../../store/retention-log.js';
import type { Data } from '../deps.js';
import { getTimeZone } from '../organisation/time-zone.js';
import { loadCampaign } from './campaigns.js';

export interface CampaignFigures {
  campaignId: string;
  name: string;
  status: string;
  /** ISO UTC, or null. */
  startedAt: string | null;
  finishedAt: string | null;
  scheduledAt: string | null;
  /** Waiting to be sent (queued or being sent now). */
  queued: number;
  /** Messages handed to the mail server, including those that bounced later. */
  sent: number;
  failed: number;
  blocked: number;
  /** Blocked deliveries by their first (strongest) reason code; rows removed by erasure count only in `blocked`. */
  blockedBy: Record<string, number>;
  /** Deliveries with at least one hard bounce, soft bounce or complaint reported. */
  hardBounces: number;
  softBounces: number;
  complaints: number;
  /** Unsubscribes through this campaign's links (page or one-click) that changed something. */
  unsubscribes: number;
  /** Clicks per link, in aggregate; `counting` false when the purpose does not count clicks. */
  clicks: { counting: boolean; total: number; links: Array<{ position: number; url: string; clicks: number }> };
  /** Messages sent per local hour or day of the organisation's time zone, oldest first. */
  sendsOverTime: { unit: 'hour' | 'day'; timeZone: string; series: Array<{ at: string; sent: number }> };
}

/**
 * The figures of one campaign.
 * @param unit the buckets of `sendsOverTime`; default hours when the sends span at most 48 hours, else days
 * @throws DomainError not_found for an unknown campaign
 * @example campaignFigures(deps, id) // → { sent: 1200, blockedBy: { CONSENT_WITHDRAWN: 3 }, unsubscribes: 4, … }
 */
export async function campaignFigures(deps: Data, campaignId: string, unit?: 'hour' | 'day'): Promise<CampaignFigures> {
  const c = await loadCampaign(deps.db, campaignId);
  const counts = await deliveryCounts(deps.db, campaignId);
  const blockedBy: Record<string, number> = {};
  for (const { reasons, n } of await blockedReasonLists(deps.db, campaignId)) {
    const first = (JSON.parse(reasons) as string[])[0] ?? 'UNKNOWN';
    blockedBy[first] = (blockedBy[first] ?? 0) + n;
  }
  const events = await deps.db
    .selectFrom('delivery_events')
    .select(['kind', (eb) => eb.fn.count<number>('delivery_id').distinct().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('kind')
    .execute();
  const byKind = await erasedEventCounts(deps.db, campaignId);
  for (const e of events) byKind[e.kind] = (byKind[e.kind] ?? 0) + Number(e.n);
  const purpose = await purposeById(deps.db, c.purpose_id);
  const links = await campaignLinks(deps.db, campaignId);
  const zone = await getTimeZone(deps);
  const hours = await sendsPerHour(deps.db, campaignId);
  const span = hours.length > 1 ? Date.parse(hours[hours.length - 1]!.hour) - Date.parse(hours[0]!.hour) : 0;
  const u = unit ?? (span <= 48 * 3600_000 ? 'hour' : 'day');
  const series: Array<{ at: string; sent: number }> = [];
  for (const h of hours) {
    const at = localBucket(new Date(h.hour), zone, u);
    const last = series[series.length - 1];
    if (last?.at === at) last.sent += h.sent;
    else series.push({ at, sent: h.sent });
  }
  return {
    campaignId,
    name: c.name,
    status: c.status,
    startedAt: c.started_at,
    finishedAt: c.finished_at,
    scheduledAt: c.scheduled_at,
    queued: (counts.queued ?? 0) + (counts.claimed ?? 0),
    // A bounced delivery was sent first: its bounce is counted below.
    sent: (counts.sent ?? 0) + (counts.bounced ?? 0),
    failed: counts.failed ?? 0,
    blocked: counts.blocked ?? 0,
    blockedBy,
    hardBounces: byKind.hard_bounce ?? 0,
    softBounces: byKind.soft_bounce ?? 0,
    complaints: byKind.complaint ?? 0,
    unsubscribes: (await campaignCounters(deps.db, campaignId)).unsubscribes ?? 0,
    clicks: { counting: purpose?.count_clicks === 1, total: links.reduce((n, l) => n + l.clicks, 0), links },
    sendsOverTime: { unit: u, timeZone: zone, series },
  };
}
