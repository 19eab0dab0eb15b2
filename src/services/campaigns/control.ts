/**
 * Pause, resume and cancel a campaign while it sends, and what `campaign show` tells the operator: progress,
 * rate, ETA, state and the last relay failure. A relay failure (core/smtp-status.ts) pauses the campaign itself
 * through `pauseForRelayFailure`; nobody is suppressed, and `resumeCampaign` continues after the fix. The CLI,
 * the JSON API and the admin app share these functions.
 */
import type { CampaignStatus } from '../../core/vocab.js';
import { campaignById } from '../../store/campaigns.js';
import { cancelQueued, deliveryCounts, sentSince } from '../../store/deliveries.js';
import type { CampaignRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, notFound } from '../errors.js';

type ControlDeps = Data & Pick<Deps, 'clock'>;

/** Relay replies are cut to this many characters when stored. */
const MAX_REPLY = 500;
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_REPLY);

async function load(deps: Data, id: string): Promise<CampaignRow> {
  const c = await campaignById(deps.db, id);
  if (!c) throw notFound(`there is no campaign "${id}"`, 'unknown-campaign');
  return c;
}

/** Moves a campaign from one status to another only if it is still in `from` (two operators, two workers). */
async function transition(deps: ControlDeps, id: string, from: CampaignStatus[], patch: Partial<CampaignRow>): Promise<boolean> {
  const r = await deps.db.updateTable('campaigns').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const conflict = (c: CampaignRow, action: string) =>
  new DomainError('conflict', `campaign "${c.id}" is ${c.status}; it cannot be ${action}`, 'status', `cannot-${action.replace(/\s+/g, '-')}`);

/**
 * Pauses a sending campaign: workers claim nothing more of it and stop within about a second (messages already
 * handed to the relay finish).
 * @throws DomainError not_found; conflict when it is not sending
 */
export async function pauseCampaign(deps: ControlDeps, id: string): Promise<CampaignRow> {
  const c = await load(deps, id);
  const ok = await transition(deps, id, ['sending'], { status: 'paused', paused_reason: 'operator', paused_at: deps.clock.now().toISOString() });
  if (!ok) throw conflict(c, 'paused');
  return load(deps, id);
}

/**
 * Resumes a paused campaign (after an operator's pause or a relay failure that has been fixed).
 * @throws DomainError not_found; conflict when it is not paused
 */
export async function resumeCampaign(deps: ControlDeps, id: string): Promise<CampaignRow> {
  const c = await load(deps, id);
  const ok = await transition(deps, id, ['paused'], { status: 'sending', paused_reason: null, paused_at: null });
  if (!ok) throw conflict(c, 'resumed');
  return load(deps, id);
}

/**
 * Cancels a sending or paused campaign: its queued deliveries become `cancelled` and are never sent.
 * @returns the campaign and how many deliveries were cancelled
 * @throws DomainError not_found; conflict when it is a draft, sent or cancelled already
 */
export async function cancelCampaign(deps: ControlDeps, id: string): Promise<{ campaign: CampaignRow; cancelled: number }> {
  const c = await load(deps, id);
  const now = deps.clock.now().toISOString();
  const ok = await transition(deps, id, ['sending', 'paused'], { status: 'cancelled', finished_at: now });
  if (!ok) throw conflict(c, 'cancelled');
  const cancelled = await cancelQueued(deps.db, id, deps.clock.now());
  return { campaign: await load(deps, id), cancelled };
}

/**
 * A relay failure: the campaign pauses with the relay's reply as the reason, which is also kept as the last
 * relay error after a resume. Nothing happens when the campaign is no longer sending.
 */
export async function pauseForRelayFailure(deps: ControlDeps, id: string, reply: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  const text = oneLine(reply) || 'relay failure';
  await deps.db.updateTable('campaigns').set({ last_relay_error: text, last_relay_error_at: at }).where('id', '=', id).execute();
  await transition(deps, id, ['sending'], { status: 'paused', paused_reason: `relay failure: ${text}`, paused_at: at });
}

export interface CampaignProgress {
  id: string;
  name: string;
  status: string;
  /** Deliveries by state (queued, claimed, sent, blocked, failed, bounced, cancelled), erased ones included. */
  deliveries: Record<string, number>;
  total: number;
  /** Deliveries with a final state. */
  done: number;
  /** done / total, 0…1 (1 for an empty campaign). */
  progress: number;
  /** Messages sent per second over the last minute. */
  ratePerSecond: number;
  /** Seconds until the queued deliveries are sent at that rate; null when not sending or the rate is 0. */
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  pausedReason: string | null;
  pausedAt: string | null;
  lastRelayError: string | null;
  lastRelayErrorAt: string | null;
}

/**
 * The operator's view of one campaign (`campaign show`, GET /api/campaigns/:id).
 * @throws DomainError not_found
 */
export async function campaignProgress(deps: ControlDeps, id: string): Promise<CampaignProgress> {
  const c = await load(deps, id);
  const deliveries = await deliveryCounts(deps.db, id);
  const total = Object.values(deliveries).reduce((a, b) => a + b, 0);
  const open = (deliveries.queued ?? 0) + (deliveries.claimed ?? 0);
  const now = deps.clock.now();
  const lastMinute = await sentSince(deps.db, id, new Date(now.getTime() - 60_000).toISOString());
  const ratePerSecond = Math.round((lastMinute / 60) * 100) / 100;
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    deliveries,
    total,
    done: total - open,
    progress: total === 0 ? 1 : (total - open) / total,
    ratePerSecond,
    etaSeconds: c.status === 'sending' && ratePerSecond > 0 ? Math.ceil(open / ratePerSecond) : null,
    startedAt: c.started_at,
    finishedAt: c.finished_at,
    pausedReason: c.paused_reason,
    pausedAt: c.paused_at,
    lastRelayError: c.last_relay_error,
    lastRelayErrorAt: c.last_relay_error_at,
  };
}
