/**
 * The sending worker (DESIGN.md "Storage and scale", STYLE.md 7): claims deliveries with a lease, decides each
 * again at claim time from fresh facts (so an unsubscribe during a campaign stops the next message, E4),
 * composes and sends, and records the outcome while still holding the lease. Temporary failures go back to
 * the queue with exponential backoff; a permanent refusal (5xx) fails the delivery and suppresses the address
 * as a hard bounce.
 */
import { randomUUID } from 'node:crypto';
import { decide } from '../../core/policy/decide.js';
import { normaliseAddress } from '../../core/address.js';
import { suppressionHash } from '../../core/suppression.js';
import { verpAddress, type FooterReason } from '../../mail/compose.js';
import { composeFor, prepareCampaign } from './content.js';
import type { ReasonCode } from '../../core/policy/reasons.js';
import { TransportError, type OutgoingMessage } from '../../mail/message.js';
import { campaignById } from '../../store/campaigns.js';
import { claimDeliveries, deliveryCounts, finishDelivery } from '../../store/deliveries.js';
import { purposeById } from '../../store/purposes.js';
import type { CampaignRow, ContactRow, DeliveryRow, PurposeRow } from '../../store/schema.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import { addSuppression } from '../../store/suppressions.js';
import { updateContact } from '../../store/contacts.js';
import type { Organisation } from '../../core/organisation.js';
import type { Deps } from '../deps.js';
import { freshFacts } from '../consent/facts.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

export interface WorkerOptions {
  /** Identifies this worker's leases; default a random id. */
  workerId?: string;
  /** Deliveries claimed per round (default 50). */
  batchSize?: number;
  /** Lease length in ms (default 5 minutes). */
  leaseMs?: number;
  /** Attempts before a temporary failure becomes final (default 5). */
  maxAttempts?: number;
  /** Only this campaign's deliveries. */
  campaignId?: string;
}

export interface RoundResult {
  claimed: number;
  sent: number;
  blocked: number;
  failed: number;
  retried: number;
}

/** Backoff after the n-th failed attempt, ms: 1, 4, 16, 64 minutes… */
export const backoffMs = (attempt: number) => 60_000 * 4 ** Math.max(0, attempt - 1);

/**
 * Runs one round: claims a batch and handles every delivery in it.
 * @returns what happened to the claimed rows (all zero when the queue is empty)
 */
export async function runSendRound(deps: Deps, opts: WorkerOptions = {}): Promise<RoundResult> {
  const workerId = opts.workerId ?? randomUUID();
  const rows = await claimDeliveries(deps.db, deps.dialect, {
    workerId,
    limit: opts.batchSize ?? 50,
    leaseMs: opts.leaseMs ?? 5 * 60_000,
    now: deps.clock.now(),
    ...(opts.campaignId ? { campaignId: opts.campaignId } : {}),
  });
  const result: RoundResult = { claimed: rows.length, sent: 0, blocked: 0, failed: 0, retried: 0 };
  if (rows.length === 0) return result;
  const org = await getOrganisation(deps.db);
  if (!org) throw new Error('the organisation is not set up: run `consentry init`');
  const settings = await getDecisionSettings(deps.db);
  const campaigns = new Map<string, { campaign: CampaignRow; purpose: PurposeRow }>();
  for (const row of rows) {
    let c = campaigns.get(row.campaign_id);
    if (!c) {
      const campaign = (await campaignById(deps.db, row.campaign_id))!;
      c = { campaign, purpose: (await purposeById(deps.db, campaign.purpose_id))! };
      campaigns.set(row.campaign_id, c);
    }
    const outcome = await handle(deps, row, workerId, c.campaign, c.purpose, org, settings, opts.maxAttempts ?? 5);
    result[outcome]++;
  }
  for (const id of campaigns.keys()) await finishCampaignIfDone(deps, id);
  return result;
}

async function handle(
  deps: Deps,
  row: DeliveryRow,
  workerId: string,
  campaign: CampaignRow,
  purpose: PurposeRow,
  org: Organisation,
  settings: Awaited<ReturnType<typeof getDecisionSettings>>,
  maxAttempts: number,
): Promise<'sent' | 'blocked' | 'failed' | 'retried'> {
  const now = deps.clock.now();
  const loaded = await freshFacts(deps.db, deps.secret, campaign, row.contact_id, settings);
  if (!loaded) {
    // The person was erased meanwhile; their keyed hash is on the suppression list.
    await finishDelivery(deps.db, row.id, workerId, { state: 'blocked', reasons: JSON.stringify(['SUPPRESSED']) }, now);
    return 'blocked';
  }
  const decision = decide(loaded.facts, now);
  const decided = { reasons: JSON.stringify(decision.reasons.map((r) => r.code)), basis: decision.basis };
  if (!decision.allowed) {
    await finishDelivery(deps.db, row.id, workerId, { ...decided, state: 'blocked' }, now);
    return 'blocked';
  }
  const { contact } = loaded;
  let message: OutgoingMessage;
  try {
    message = await compose(deps, row, campaign, purpose, org, contact, footerReason(decision.reasons[0]!.code));
  } catch (err) {
    // One recipient whose data cannot be rendered fails alone; the campaign goes on for everyone else.
    await finishDelivery(deps.db, row.id, workerId, { ...decided, state: 'failed', smtp_reply: `not composed: ${(err as Error).message}` }, now);
    return 'failed';
  }
  try {
    const sent = await deps.mailer.send(message);
    await finishDelivery(deps.db, row.id, workerId, { ...decided, state: 'sent', smtp_reply: sent.response, sent_at: deps.clock.now().toISOString() }, deps.clock.now());
    return 'sent';
  } catch (err) {
    const permanent = err instanceof TransportError && err.permanent;
    const reply = err instanceof TransportError ? err.response ?? err.message : (err as Error).message;
    if (permanent || row.attempts >= maxAttempts) {
      await finishDelivery(deps.db, row.id, workerId, { ...decided, state: 'failed', smtp_reply: reply }, now);
      if (permanent) {
        await addSuppression(deps.db, suppressionHash(deps.secret, contact.email), 'hard_bounce', `delivery:${row.id}`, now);
        await updateContact(deps.db, contact.id, { suppression: 'hard_bounce', updated_at: now.toISOString() });
      }
      return 'failed';
    }
    const retryAt = new Date(now.getTime() + backoffMs(row.attempts)).toISOString();
    await finishDelivery(deps.db, row.id, workerId, { ...decided, state: 'queued', smtp_reply: reply, lease_until: retryAt, claimed_by: null }, now);
    return 'retried';
  }
}

/** The footer's "why you receive this" for the reason that allowed the message. */
function footerReason(code: ReasonCode): FooterReason {
  switch (code) {
    case 'CUSTOMER_EXCEPTION':
      return 'customer';
    case 'STAFF_WORK_ADDRESS':
      return 'staff';
    case 'BUSINESS_ADDRESS_DESIGNATED':
      return 'business';
    case 'REPERMISSION_ALLOWED':
      return 'repermission';
    default:
      return 'consent';
  }
}

/**
 * The campaign message for one delivery: the version in the contact's language (the campaign or its translation),
 * compiled once per campaign and language (content.ts) and personalised here.
 * @throws Error from the composer
 */
async function compose(
  deps: Deps,
  row: DeliveryRow,
  campaign: CampaignRow,
  purpose: PurposeRow,
  org: Organisation,
  contact: ContactRow,
  reason: FooterReason,
): Promise<OutgoingMessage> {
  const address = normaliseAddress(contact.email);
  return composeFor(deps, await prepareCampaign(deps, campaign, purpose, org), {
    campaignId: campaign.id,
    purposeId: campaign.purpose_id,
    contactId: contact.id,
    locale: contact.locale,
    recipient: { email: address.ok ? address.value.display : contact.email, firstName: contact.first_name, lastName: contact.last_name },
    reason,
    messageId: row.message_id,
    envelopeFrom: verpAddress(org.fromAddress, `d-${row.id.replace(/-/g, '').slice(0, 24)}`),
    listId: `${campaign.purpose_id}.${org.fromAddress.split('@')[1]}`,
  });
}

/** Marks a campaign sent once no delivery of it is queued or claimed. */
export async function finishCampaignIfDone(deps: Deps, campaignId: string): Promise<void> {
  const counts = await deliveryCounts(deps.db, campaignId);
  if ((counts.queued ?? 0) + (counts.claimed ?? 0) !== 0) return;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Only the call that finishes it reports it (several workers may get here).
    const r = await trx.updateTable('campaigns').set({ status: 'sent', finished_at: now.toISOString() }).where('id', '=', campaignId).where('status', '!=', 'sent').executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) await queueWebhookEvent(trx, 'campaign.finished', { campaignId, deliveries: counts }, now);
  });
}

/**
 * Sends until no delivery is due (CLI `campaign send`, demo). Deliveries waiting for a retry later are left
 * to the server's worker.
 * @returns the summed round results
 */
export async function drainQueue(deps: Deps, opts: WorkerOptions = {}): Promise<RoundResult> {
  const total: RoundResult = { claimed: 0, sent: 0, blocked: 0, failed: 0, retried: 0 };
  for (;;) {
    const r = await runSendRound(deps, opts);
    if (r.claimed === 0) return total;
    for (const k of Object.keys(total) as Array<keyof RoundResult>) total[k] += r[k];
    if (r.sent + r.blocked + r.failed === 0) return total;
  }
}
