/**
 * The admin dashboard (issue 9): what the list looks like and what needs attention, in one read. The figures
 * per purpose, status, event type and hour are kept on write by database triggers (migration 017) and read from
 * small tables, the contacts counted on an index (store/dashboard.ts), so the dashboard costs about the same on a
 * list of a hundred or a million contacts; the few lists it shows (campaigns sending, open requests, warnings)
 * are small by nature. `checkKeptCounts` compares the kept figures with a full recount (`consentry counts`).
 *
 * - contacts per purpose and permission status;
 * - sign-ups, confirmations and unsubscribes per local day (the organisation's time zone) over the last 90 days,
 *   from the consent ledger: sign-ups are `requested` (double opt-in) and `given` (single opt-in, requested
 *   items) events, confirmations `confirmed`, unsubscribes `withdrawn` and `objected`;
 * - campaigns sending now, with their progress (services/campaigns/control.ts);
 * - open data-subject requests, most urgent first (services/rights/requests.ts; GDPR 12(3));
 * - warnings: notice items missing (the same as `consentry notice missing`), no published notice, no SMTP
 *   (outbox only), no DKIM, retention due, and what the server could not do.
 */
import type { MissingItem } from '../../core/notice.js';
import { localBucket } from '../../core/zoned-time.js';
import { PERMISSION_STATUSES, type PermissionStatus } from '../../core/vocab.js';
import {
  campaignsWithStatus,
  contactCounts,
  failedWebhookCount,
  keptFigures,
  lastRetentionRun,
  ledgerEventsPerHour,
  openReportCount,
  permissionCounts,
  recountedFigures,
  replaceKeptFigures,
  unfinishedImports,
  type KeptFigures,
} from '../../store/dashboard.js';
import { listPurposes } from '../../store/purposes.js';
import { campaignProgress, type CampaignProgress } from '../campaigns/control.js';
import type { Deps } from '../deps.js';
import { noticeStatus } from '../organisation/notice-admin.js';
import { getTimeZone } from '../organisation/time-zone.js';
import { listRequestViews, type RequestView } from '../rights/requests.js';
import { outboxFolderOf } from '../rights/manage.js';

/** Days the activity chart covers, today included. */
export const ACTIVITY_DAYS = 90;
/** Retention is due when no real run happened this long (the notice promises erasure "within a day"). */
export const RETENTION_DUE_AFTER_MS = 25 * 3600_000;

/** Ledger event types counted per series of the activity chart. */
export const ACTIVITY_SERIES = {
  signups: ['requested', 'given'],
  confirmations: ['confirmed'],
  unsubscribes: ['withdrawn', 'objected'],
} as const;
export type ActivitySeries = keyof typeof ACTIVITY_SERIES;

export interface PurposeFigures {
  id: string;
  name: { nl: string; en: string };
  archived: boolean;
  /** Permissions per status (every status present, 0 when none). */
  byStatus: Record<PermissionStatus, number>;
  total: number;
}

export interface Activity {
  /** Local days (YYYY-MM-DD in `timeZone`), oldest first, today last. */
  days: string[];
  /** One count per day for each series. */
  series: Record<ActivitySeries, number[]>;
  totals: Record<ActivitySeries, number>;
}

/** Something that needs the operator's attention. Codes are stable; the page words them. */
export type DashboardWarning =
  | { code: 'notice-missing'; version: number; items: MissingItem[] }
  | { code: 'notice-unpublished' }
  | { code: 'no-smtp' }
  | { code: 'no-dkim' }
  | { code: 'retention-due'; lastRun: string | null }
  | { code: 'relay-paused'; campaigns: Array<{ id: string; name: string; reason: string; pausedAt: string | null }> }
  | { code: 'webhooks-failed'; count: number }
  | { code: 'reports-to-review'; count: number }
  | { code: 'imports-unfinished'; imports: Array<{ id: string; format: string; purposeId: string; startedAt: string }> }
  | { code: 'requests-overdue'; count: number };

export interface Dashboard {
  generatedAt: string;
  timeZone: string;
  contacts: number;
  /** Entries on the suppression list (keyed hashes, with or without a contact). */
  suppressed: number;
  purposes: PurposeFigures[];
  activity: Activity;
  sending: CampaignProgress[];
  /** Open requests, overdue first, then by due date. */
  requests: RequestView[];
  warnings: DashboardWarning[];
}

/** The local days of the chart, oldest first, ending with the day of `now`. */
function activityDays(now: Date, zone: string): string[] {
  const days: string[] = [];
  // Step back in 24-hour steps from noon-ish local time would drift over a DST change; step by local day
  // strings instead: take the day of now, then the day of (start of that day − 1 hour), and so on.
  let t = now.getTime();
  for (let i = 0; i < ACTIVITY_DAYS; i++) {
    const day = localBucket(new Date(t), zone, 'day');
    days.push(day);
    // Back to some moment of the previous local day: 24 h earlier lands in it (days are 23–25 h long, and we
    // re-read the day string each step, so a 25-hour day only shifts the moment within the day).
    t -= 24 * 3600_000;
    while (localBucket(new Date(t), zone, 'day') === day) t -= 3600_000;
  }
  return days.reverse();
}

async function activity(deps: Deps, now: Date, zone: string): Promise<Activity> {
  const days = activityDays(now, zone);
  const index = new Map(days.map((d, i) => [d, i]));
  // From 14 hours before the first local day's UTC date: covers every zone's offset; later filtered by day.
  const since = new Date(Date.parse(`${days[0]}T00:00:00.000Z`) - 14 * 3600_000).toISOString();
  const typeToSeries = new Map<string, ActivitySeries>();
  for (const [series, types] of Object.entries(ACTIVITY_SERIES) as Array<[ActivitySeries, readonly string[]]>) for (const t of types) typeToSeries.set(t, series);
  const series = { signups: days.map(() => 0), confirmations: days.map(() => 0), unsubscribes: days.map(() => 0) };
  // The local day of each UTC hour once, not per row: the series share their hours, and each look-up formats
  // the time in the zone (tens of microseconds; 10,000 rows at a million contacts).
  const dayOfHour = new Map<string, number | undefined>();
  for (const r of await ledgerEventsPerHour(deps.db, [...typeToSeries.keys()], since)) {
    if (!dayOfHour.has(r.hour)) {
      const instant = new Date(`${r.hour}:00:00.000Z`);
      const ok = !Number.isNaN(instant.getTime()) && instant.getTime() <= now.getTime();
      dayOfHour.set(r.hour, ok ? index.get(localBucket(instant, zone, 'day')) : undefined);
    }
    const i = dayOfHour.get(r.hour);
    if (i !== undefined) series[typeToSeries.get(r.type)!][i]! += r.n;
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { days, series, totals: { signups: sum(series.signups), confirmations: sum(series.confirmations), unsubscribes: sum(series.unsubscribes) } };
}

async function warnings(deps: Deps, now: Date, requests: RequestView[]): Promise<DashboardWarning[]> {
  const out: DashboardWarning[] = [];
  const notice = await noticeStatus(deps);
  if (!notice.published) out.push({ code: 'notice-unpublished' });
  const missing = notice.draft?.missing ?? notice.publishedMissing;
  const version = notice.draft?.version ?? notice.published?.version;
  if (missing.length > 0 && version !== undefined) out.push({ code: 'notice-missing', version, items: missing });
  if (outboxFolderOf(deps.mailer) !== null) out.push({ code: 'no-smtp' });
  else if (deps.mailer.relay !== undefined && !deps.mailer.dkimDomain) out.push({ code: 'no-dkim' });
  const overdue = requests.filter((r) => r.state === 'overdue').length;
  if (overdue > 0) out.push({ code: 'requests-overdue', count: overdue });
  const lastRun = await lastRetentionRun(deps.db);
  if (!lastRun || now.getTime() - Date.parse(lastRun) > RETENTION_DUE_AFTER_MS) out.push({ code: 'retention-due', lastRun });
  const paused = (await campaignsWithStatus(deps.db, ['paused'])).filter((c) => c.pausedReason && c.pausedReason !== 'operator');
  if (paused.length > 0) out.push({ code: 'relay-paused', campaigns: paused.map((c) => ({ id: c.id, name: c.name, reason: c.pausedReason!, pausedAt: c.pausedAt })) });
  const failed = await failedWebhookCount(deps.db);
  if (failed > 0) out.push({ code: 'webhooks-failed', count: failed });
  const reports = await openReportCount(deps.db);
  if (reports > 0) out.push({ code: 'reports-to-review', count: reports });
  const imports = await unfinishedImports(deps.db);
  if (imports.length > 0) out.push({ code: 'imports-unfinished', imports });
  return out;
}

/**
 * Everything the dashboard shows, at the clock's time.
 * @returns figures and lists (JSON-ready); `warnings` is empty when nothing needs attention
 * @example const d = await dashboard(deps); d.activity.totals.signups // sign-ups over the last 90 days
 */
export async function dashboard(deps: Deps): Promise<Dashboard> {
  const now = deps.clock.now();
  const zone = await getTimeZone(deps);
  const counts = await contactCounts(deps.db);
  const perStatus = await permissionCounts(deps.db);
  const purposes: PurposeFigures[] = (await listPurposes(deps.db)).map((p) => {
    const byStatus = Object.fromEntries(PERMISSION_STATUSES.map((s) => [s, 0])) as Record<PermissionStatus, number>;
    for (const r of perStatus) if (r.purposeId === p.id && r.status in byStatus) byStatus[r.status as PermissionStatus] += r.n;
    return { id: p.id, name: { nl: p.name_nl, en: p.name_en }, archived: p.archived_at !== null, byStatus, total: Object.values(byStatus).reduce((a, b) => a + b, 0) };
  });
  const sending: CampaignProgress[] = [];
  for (const c of await campaignsWithStatus(deps.db, ['sending'])) sending.push(await campaignProgress(deps, c.id));
  const requests = await listRequestViews(deps, { openOnly: true });
  return {
    generatedAt: now.toISOString(),
    timeZone: zone,
    contacts: counts.contacts,
    suppressed: counts.suppressed,
    purposes,
    activity: await activity(deps, now, zone),
    sending,
    requests,
    warnings: await warnings(deps, now, requests),
  };
}

/** How the kept figures compare with a recount. */
export interface CountsCheck {
  ok: boolean;
  /** One line per figure that differs, e.g. "permissions tips/active: kept 5, counted 6". */
  differences: string[];
  /** Whether the kept figures were replaced by the recount (only with `repair` and differences). */
  repaired: boolean;
}

/** The figures as "what: n" entries, for comparing. */
const figureEntries = (f: KeptFigures): Map<string, number> =>
  new Map([
    ...f.permissions.map((r): [string, number] => [`permissions ${r.purposeId}/${r.status}`, r.n]),
    ...f.ledgerHours.map((r): [string, number] => [`ledger events ${r.type} ${r.hour}h UTC`, r.n]),
  ]);

/**
 * Compares the figures the dashboard reads, kept on write by triggers (permissions per purpose and status, ledger
 * events per type and UTC hour; migration 017), with a full recount from the permissions and the ledger, in one
 * transaction (REPEATABLE READ on PostgreSQL, so both read one snapshot while writers go on); with `repair`,
 * replaces the kept figures by the recount. Reads every permission and ledger event: seconds at a million
 * contacts. On PostgreSQL a repair that meets a compaction (`compactKeptCounts`) deleting the same rows fails with
 * a serialization error and changes nothing; run it again.
 * @returns `{ ok, differences: ['permissions tips/active: kept 5, counted 6', …], repaired }`
 */
export async function checkKeptCounts(deps: Pick<Deps, 'db'>, opts: { repair?: boolean } = {}): Promise<CountsCheck> {
  return deps.db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const kept = figureEntries(await keptFigures(trx));
    const recount = await recountedFigures(trx);
    const counted = figureEntries(recount);
    const differences: string[] = [];
    for (const k of new Set([...kept.keys(), ...counted.keys()])) {
      const a = kept.get(k) ?? 0;
      const b = counted.get(k) ?? 0;
      if (a !== b) differences.push(`${k}: kept ${a}, counted ${b}`);
    }
    const repaired = opts.repair === true && differences.length > 0;
    if (repaired) await replaceKeptFigures(trx, recount);
    return { ok: differences.length === 0, differences, repaired };
  });
}
