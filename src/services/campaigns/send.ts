/**
 * The sending worker (DESIGN.md "Storage and scale", STYLE.md 7, issue 11). Per round it claims a batch of one
 * sending campaign's deliveries with a lease (an index range, store/deliveries.ts), loads the batch's facts
 * with one query per kind, decides each delivery again (an unsubscribe during a campaign stops the next
 * message, E4), and sends the allowed ones several at a time (default: the SMTP pool's connections), paced by
 * the process's shared token bucket. Outcomes are recorded together, a few at a time, only while the worker
 * still holds the claim (fencing): before every SMTP transaction the worker checks that its lease outlasts the
 * longest transaction the SMTP timeouts allow, renewing the batch's leases when it does not, and drops a row
 * whose lease it lost. A kill -9 thus costs at most the messages sent but not yet recorded.
 *
 * What a refusal means comes from core/smtp-status.ts: a hard bounce suppresses (through services/events); the
 * same permanent reply for several different recipients in a row, or any relay failure, pauses the campaign
 * and suppresses nobody; soft bounces and deferrals retry with backoff; throttling slows the bucket and retries
 * within seconds without counting.
 */
import { randomUUID } from 'node:crypto';
import { decide } from '../../core/policy/decide.js';
import { normaliseAddress } from '../../core/address.js';
import { classifyReply, replyKey, type SmtpOutcome } from '../../core/smtp-status.js';
import { verpAddress, type FooterReason } from '../../mail/compose.js';
import { composeFor, prepareCampaign, type PreparedCampaign } from './content.js';
import type { ReasonCode } from '../../core/policy/reasons.js';
import { TransportError, type OutgoingMessage } from '../../mail/message.js';
import { DEFAULT_SMTP_TIMEOUTS, transactionLimitMs } from '../../mail/smtp.js';
import { campaignById } from '../../store/campaigns.js';
import {
  claimDeliveries, deliveryCounts, finishDeliveries, hasOpenDeliveries, nextDueAt, renewLeases, type DeliveryOutcome,
} from '../../store/deliveries.js';
import { purposeById } from '../../store/purposes.js';
import type { CampaignRow, ContactRow, DeliveryRow } from '../../store/schema.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import type { Organisation } from '../../core/organisation.js';
import type { Deps } from '../deps.js';
import { batchFreshFacts } from '../consent/facts.js';
import { recordDeliveryEvent } from '../events/delivery-events.js';
import { pauseForRelayFailure } from './control.js';
import type { Pacer } from './pacing.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

export interface WorkerOptions {
  /** Identifies this worker's leases; default a random id. */
  workerId?: string;
  /** Deliveries claimed per round (default 100). */
  batchSize?: number;
  /** Lease length in ms (default 5 minutes); must exceed the longest SMTP transaction the timeouts allow. */
  leaseMs?: number;
  /** Attempts before a temporary failure becomes final (default 5). */
  maxAttempts?: number;
  /** Only this campaign's deliveries. */
  campaignId?: string;
  /** Messages in flight at once (default the mailer's connections, else 1). */
  concurrency?: number;
  /** The process's shared bucket (default: no pacing). */
  pacer?: Pacer;
  /** The longest one SMTP transaction can take, ms (default from the default SMTP timeouts: 190 s). */
  transactionLimitMs?: number;
  /** Backoff unit after a soft bounce or deferral, ms (default 60 s: 1, 4, 16, 64 minutes…). */
  backoffMs?: number;
  /** Delay before a throttled message is tried again, ms (default 2 s). */
  throttleRetryMs?: number;
  /** The same permanent reply for this many different recipients in a row is a relay failure (default 5). */
  sameReplyLimit?: number;
  /** Where relay failures and lost leases are reported (default: a JSON line on stderr). */
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface RoundResult {
  claimed: number;
  sent: number;
  blocked: number;
  failed: number;
  retried: number;
  bounced: number;
  /** Campaigns paused by a relay failure in this round. */
  paused: number;
}

const emptyResult = (): RoundResult => ({ claimed: 0, sent: 0, blocked: 0, failed: 0, retried: 0, bounced: 0, paused: 0 });

/** Backoff after the n-th failed attempt: unit × 4^(n-1). */
export const backoffMs = (attempt: number, unit = 60_000) => unit * 4 ** Math.max(0, attempt - 1);

const defaultLog = (event: string, fields: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), event, ...fields })}\n`);

/** A hard bounce waiting to see whether the next recipients get the same reply (then it is the relay's). */
interface HeldBounce {
  row: DeliveryRow;
  contact: ContactRow;
  reply: string;
  enhanced: string | null;
  decided: { reasons: string; basis: string | null };
}

/** Everything one claimed batch shares. */
interface Batch {
  campaign: CampaignRow;
  prepared: PreparedCampaign;
  org: Organisation;
  /** Lease end per row still held, epoch ms. */
  leases: Map<string, number>;
  outcomes: DeliveryOutcome[];
  /** Set when the campaign must stop: relay failure, or paused/cancelled by an operator. */
  stop: boolean;
}

/**
 * One worker: claims and sends round after round. Keep one per loop; several may run in one process (they
 * share the pacer) or in several processes (they share the database).
 */
export class SendWorker {
  readonly id: string;
  private readonly o: Required<Omit<WorkerOptions, 'campaignId' | 'pacer' | 'workerId'>> & Pick<WorkerOptions, 'campaignId' | 'pacer'>;
  private held: HeldBounce[] = [];
  private heldKey: string | null = null;

  constructor(private readonly deps: Deps, opts: WorkerOptions = {}) {
    this.id = opts.workerId ?? randomUUID();
    this.o = {
      batchSize: opts.batchSize ?? 100,
      leaseMs: opts.leaseMs ?? 5 * 60_000,
      maxAttempts: opts.maxAttempts ?? 5,
      concurrency: Math.max(1, opts.concurrency ?? deps.mailer.connections ?? 1),
      transactionLimitMs: opts.transactionLimitMs ?? transactionLimitMs(DEFAULT_SMTP_TIMEOUTS),
      backoffMs: opts.backoffMs ?? 60_000,
      throttleRetryMs: opts.throttleRetryMs ?? 2_000,
      sameReplyLimit: opts.sameReplyLimit ?? 5,
      log: opts.log ?? defaultLog,
      ...(opts.campaignId !== undefined && { campaignId: opts.campaignId }),
      ...(opts.pacer !== undefined && { pacer: opts.pacer }),
    };
    if (this.o.leaseMs <= this.o.transactionLimitMs) {
      throw new Error(`the lease (${this.o.leaseMs} ms) must be longer than the longest SMTP transaction (${this.o.transactionLimitMs} ms)`);
    }
  }

  /**
   * Claims one batch of the first sending campaign that has due deliveries and handles it.
   * @returns what happened (all zero when nothing was due)
   */
  async round(): Promise<RoundResult> {
    const result = emptyResult();
    for (const campaign of await this.sendingCampaigns()) {
      const rows = await claimDeliveries(this.deps.db, this.deps.dialect, {
        workerId: this.id,
        campaignId: campaign.id,
        limit: this.o.batchSize,
        leaseMs: this.o.leaseMs,
        now: this.deps.clock.now(),
      });
      if (rows.length === 0) {
        await this.releaseHeld(result, campaign.id);
        await finishCampaignIfDone(this.deps, campaign.id);
        continue;
      }
      result.claimed = rows.length;
      await this.handleBatch(campaign, rows, result);
      return result;
    }
    return result;
  }

  /** Records bounces still held (no further reply came to compare them with) as what they are. */
  async flush(): Promise<RoundResult> {
    const result = emptyResult();
    await this.releaseHeld(result, null);
    return result;
  }

  private async sendingCampaigns(): Promise<CampaignRow[]> {
    let q = this.deps.db.selectFrom('campaigns').selectAll().where('status', '=', 'sending');
    if (this.o.campaignId) q = q.where('id', '=', this.o.campaignId);
    return q.orderBy('started_at').execute();
  }

  private async handleBatch(campaign: CampaignRow, rows: DeliveryRow[], result: RoundResult): Promise<void> {
    const deps = this.deps;
    const org = await getOrganisation(deps.db);
    if (!org) throw new Error('the organisation is not set up: run `consentry init`');
    const settings = await getDecisionSettings(deps.db);
    const purpose = (await purposeById(deps.db, campaign.purpose_id))!;
    const leaseEnd = Date.parse(rows[0]!.lease_until!);
    const prepared = await prepareCampaign(deps, campaign, purpose, org);
    const batch: Batch = { campaign, prepared, org, leases: new Map(rows.map((r) => [r.id, leaseEnd])), outcomes: [], stop: false };
    const facts = await batchFreshFacts(deps.db, deps.secret, campaign, rows.map((r) => r.contact_id), settings);
    const now = deps.clock.now();
    const toSend: Array<{ row: DeliveryRow; contact: ContactRow; reason: FooterReason; decided: HeldBounce['decided'] }> = [];
    for (const row of rows) {
      const loaded = facts.get(row.contact_id);
      if (!loaded) {
        // Erased meanwhile; their keyed hash is on the suppression list.
        this.outcome(batch, row, { state: 'blocked', reasons: JSON.stringify(['SUPPRESSED']) }, result);
        continue;
      }
      const decision = decide(loaded.facts, now);
      const decided = { reasons: JSON.stringify(decision.reasons.map((r) => r.code)), basis: decision.basis };
      if (!decision.allowed) this.outcome(batch, row, { ...decided, state: 'blocked' }, result);
      else toSend.push({ row, contact: loaded.contact, reason: footerReason(decision.reasons[0]!.code), decided });
    }
    let next = 0;
    let statusCheckedAt = Date.now();
    const lane = async () => {
      while (!batch.stop && next < toSend.length) {
        const item = toSend[next++]!;
        if (this.o.pacer) await this.o.pacer.take();
        if (Date.now() - statusCheckedAt > 1000) {
          statusCheckedAt = Date.now();
          const status = (await campaignById(deps.db, campaign.id))?.status;
          if (status !== 'sending') batch.stop = true;
        }
        if (batch.stop) {
          next--;
          break;
        }
        if (!(await this.stillHeld(batch, item.row.id))) continue;
        await this.sendOne(batch, item.row, item.contact, item.reason, item.decided, result);
        if (batch.outcomes.length >= this.o.concurrency * 4) await this.record(batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, toSend.length || 1) }, lane));
    // Not tried (the campaign stopped): back to the queue as they were, the claim's attempt given back; or
    // cancelled with the rest of a cancelled campaign.
    const untried = toSend.slice(next);
    if (untried.length > 0) {
      const at = deps.clock.now().toISOString();
      const cancelled = (await campaignById(deps.db, campaign.id))?.status === 'cancelled';
      for (const item of untried) {
        this.outcome(batch, item.row, cancelled ? { state: 'cancelled', attemptsDelta: -1 } : { state: 'queued', dueAt: at, attemptsDelta: -1 }, null);
      }
    }
    await this.record(batch);
  }

  /** Whether the worker may still start a transaction for this row: its lease outlasts the transaction limit. */
  private async stillHeld(batch: Batch, id: string): Promise<boolean> {
    const until = batch.leases.get(id);
    if (until === undefined) return false;
    const now = this.deps.clock.now();
    if (until - now.getTime() > this.o.transactionLimitMs) return true;
    const ids = [...batch.leases.keys(), ...this.held.map((h) => h.row.id)];
    const renewed = await renewLeases(this.deps.db, this.id, ids, now, this.o.leaseMs);
    const newEnd = now.getTime() + this.o.leaseMs;
    for (const held of ids) {
      if (renewed.has(held)) batch.leases.set(held, newEnd);
      else if (batch.leases.delete(held)) this.o.log('lease_lost', { deliveryId: held, workerId: this.id });
    }
    this.held = this.held.filter((h) => renewed.has(h.row.id));
    return renewed.has(id);
  }

  private async sendOne(
    batch: Batch,
    row: DeliveryRow,
    contact: ContactRow,
    reason: FooterReason,
    decided: HeldBounce['decided'],
    result: RoundResult,
  ): Promise<void> {
    const deps = this.deps;
    let message: OutgoingMessage;
    try {
      message = compose(deps, row, batch.campaign, batch.prepared, batch.org, contact, reason);
    } catch (err) {
      // One recipient whose data cannot be rendered fails alone; the campaign goes on for everyone else.
      this.outcome(batch, row, { ...decided, state: 'failed', smtpReply: `not composed: ${(err as Error).message}` }, result);
      return;
    }
    try {
      const sent = await deps.mailer.send(message);
      await this.breakStreak(result);
      this.outcome(batch, row, { ...decided, state: 'sent', smtpReply: sent.response, sentAt: deps.clock.now().toISOString() }, result);
      return;
    } catch (err) {
      const e = err instanceof TransportError ? err : null;
      const reply = e ? (e.response ?? e.message) : (err as Error).message;
      const meaning = e?.detail
        ? classifyReply({ ...e.detail, text: e.response })
        : { outcome: (e?.permanent ? 'hard_bounce' : 'deferred') as SmtpOutcome, enhanced: null };
      await this.onRefusal(batch, row, contact, decided, reply, meaning.outcome, meaning.enhanced, result);
    }
  }

  private async onRefusal(
    batch: Batch,
    row: DeliveryRow,
    contact: ContactRow,
    decided: HeldBounce['decided'],
    reply: string,
    outcome: SmtpOutcome,
    enhanced: string | null,
    result: RoundResult,
  ): Promise<void> {
    const deps = this.deps;
    const now = deps.clock.now();
    const retry = (delayMs: number, attemptsDelta = 0) =>
      this.outcome(batch, row, { ...decided, state: 'queued', smtpReply: reply, dueAt: new Date(now.getTime() + delayMs).toISOString(), attemptsDelta }, result);
    switch (outcome) {
      case 'hard_bounce': {
        const key = replyKey(reply);
        if (this.heldKey !== key) await this.breakStreak(result);
        this.heldKey = key;
        this.held.push({ row, contact, reply, enhanced, decided });
        batch.leases.delete(row.id);
        if (this.held.length >= this.o.sameReplyLimit) {
          const held = this.held;
          this.held = [];
          this.heldKey = null;
          const at = now.toISOString();
          batch.outcomes.push(...held.map((h) => outcomeOf(h.row, { ...h.decided, state: 'queued', smtpReply: h.reply, dueAt: at, attemptsDelta: -1 })));
          result.retried += held.length;
          await this.relayFailure(batch, `the same permanent reply for ${held.length} different recipients in a row: ${reply}`, result);
        }
        return;
      }
      case 'relay_failure':
        retry(0, -1);
        await this.relayFailure(batch, reply, result);
        return;
      case 'throttle':
        await this.o.pacer?.throttled();
        retry(this.o.throttleRetryMs, -1);
        return;
      case 'soft_bounce':
      case 'success': // an error with a 2xx reply: nothing known to be delivered, try again
      case 'deferred':
        if (outcome === 'soft_bounce') {
          await recordDeliveryEvent(deps, {
            deliveryId: row.id, kind: 'soft_bounce', occurredAt: now, source: 'smtp', status: enhanced, diagnostic: reply,
            reportKey: `smtp:${row.attempts}`,
          });
        }
        if (row.attempts >= this.o.maxAttempts) this.outcome(batch, row, { ...decided, state: 'failed', smtpReply: reply }, result);
        else retry(backoffMs(row.attempts, this.o.backoffMs));
        return;
    }
  }

  /** A different outcome came: the held hard bounces were about their own mailboxes; record them so. */
  private async breakStreak(result: RoundResult): Promise<void> {
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    this.heldKey = null;
    const now = this.deps.clock.now();
    const outcomes = held.map((h) => outcomeOf(h.row, { ...h.decided, state: 'bounced', smtpReply: h.reply }));
    const done = await finishDeliveries(this.deps.db, this.id, outcomes, now);
    for (const h of held) {
      if (!done.has(h.row.id)) continue;
      result.bounced++;
      await recordDeliveryEvent(this.deps, {
        deliveryId: h.row.id, kind: 'hard_bounce', occurredAt: now, source: 'smtp', status: h.enhanced, diagnostic: h.reply,
        reportKey: `smtp:${h.row.attempts}`,
      });
    }
  }

  /** End of the work (or of a campaign): held bounces are what they looked like. */
  private async releaseHeld(result: RoundResult, campaignId: string | null): Promise<void> {
    if (this.held.length > 0 && (campaignId === null || this.held[0]!.row.campaign_id === campaignId)) await this.breakStreak(result);
  }

  private async relayFailure(batch: Batch, reply: string, result: RoundResult): Promise<void> {
    if (batch.stop) return;
    batch.stop = true;
    result.paused++;
    this.o.log('relay_failure', { campaignId: batch.campaign.id, reply, workerId: this.id });
    await pauseForRelayFailure(this.deps, batch.campaign.id, reply);
  }

  private outcome(batch: Batch, row: DeliveryRow, o: Partial<DeliveryOutcome> & { state: DeliveryOutcome['state'] }, result: RoundResult | null): void {
    batch.outcomes.push(outcomeOf(row, o));
    batch.leases.delete(row.id);
    if (!result) return;
    if (o.state === 'queued') result.retried++;
    else if (o.state === 'sent' || o.state === 'blocked' || o.state === 'failed' || o.state === 'bounced') result[o.state]++;
  }

  /** Writes the outcomes gathered so far in one statement (per 500). */
  private async record(batch: Batch): Promise<void> {
    if (batch.outcomes.length === 0) return;
    const outcomes = batch.outcomes;
    batch.outcomes = [];
    const done = await finishDeliveries(this.deps.db, this.id, outcomes, this.deps.clock.now());
    for (const o of outcomes) if (!done.has(o.id)) this.o.log('outcome_not_recorded_lease_lost', { deliveryId: o.id, state: o.state, workerId: this.id });
  }
}

const outcomeOf = (row: DeliveryRow, o: Partial<DeliveryOutcome> & { state: DeliveryOutcome['state'] }): DeliveryOutcome => ({
  id: row.id,
  reasons: null,
  basis: null,
  smtpReply: null,
  sentAt: null,
  dueAt: null,
  attemptsDelta: 0,
  ...o,
});

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
 * The campaign message for one delivery, in the contact's language, from the campaign compiled once per
 * campaign and language (content.ts, prepared once per batch) and personalised here.
 * @throws Error from the composer
 */
function compose(
  deps: Deps,
  row: DeliveryRow,
  campaign: CampaignRow,
  prepared: PreparedCampaign,
  org: Organisation,
  contact: ContactRow,
  reason: FooterReason,
): OutgoingMessage {
  const address = normaliseAddress(contact.email);
  return composeFor(deps, prepared, {
    campaignId: campaign.id,
    purposeId: campaign.purpose_id,
    contactId: contact.id,
    locale: contact.locale,
    recipient: { email: address.ok ? address.value.display : contact.email, firstName: contact.first_name, lastName: contact.last_name },
    reason,
    messageId: row.message_id,
    envelopeFrom: verpAddress(org.fromAddress, `d-${row.id.replace(/-/g, '').slice(0, 24)}`, deps.bounceDomain),
    listId: `${campaign.purpose_id}.${org.fromAddress.split('@')[1]}`,
  });
}

/** Marks a sending campaign sent once none of its deliveries is queued or claimed (an index probe). */
export async function finishCampaignIfDone(deps: Deps, campaignId: string): Promise<void> {
  if (await hasOpenDeliveries(deps.db, campaignId)) return;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Only the call that finishes it reports it (several workers may get here); a paused or cancelled one stays so.
    const r = await trx.updateTable('campaigns').set({ status: 'sent', finished_at: now.toISOString() }).where('id', '=', campaignId).where('status', '=', 'sending').executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) await queueWebhookEvent(trx, 'campaign.finished', { campaignId, deliveries: await deliveryCounts(trx, campaignId) }, now);
  });
}

/**
 * Runs one round with a worker of its own (held bounces are recorded at its end).
 * @returns what happened to the claimed rows (all zero when the queue is empty)
 */
export async function runSendRound(deps: Deps, opts: WorkerOptions = {}): Promise<RoundResult> {
  const worker = new SendWorker(deps, opts);
  const r = await worker.round();
  const f = await worker.flush();
  r.bounced += f.bounced;
  return r;
}

export interface DrainOptions extends WorkerOptions {
  /** Wait for retries due within this many ms (e.g. after throttling) instead of leaving them (default 0). */
  waitForRetriesMs?: number;
}

/**
 * Sends until no delivery is due (CLI `campaign send`, demo). Deliveries waiting for a retry later than
 * `waitForRetriesMs` are left to the server's worker.
 * @returns the summed round results
 */
export async function drainQueue(deps: Deps, opts: DrainOptions = {}): Promise<RoundResult> {
  const total = emptyResult();
  const worker = new SendWorker(deps, opts);
  const add = (r: RoundResult) => {
    for (const k of Object.keys(total) as Array<keyof RoundResult>) total[k] += r[k];
  };
  for (;;) {
    const r = await worker.round();
    add(r);
    if (r.claimed > 0) continue;
    const wait = await waitForRetry(deps, opts);
    if (wait === null) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  add(await worker.flush());
  return total;
}

/** ms until the next retry of a sending campaign when it is due within the wait allowed, else null. */
async function waitForRetry(deps: Deps, opts: DrainOptions): Promise<number | null> {
  if (!opts.waitForRetriesMs) return null;
  let q = deps.db.selectFrom('campaigns').select('id').where('status', '=', 'sending');
  if (opts.campaignId) q = q.where('id', '=', opts.campaignId);
  let soonest: number | null = null;
  for (const c of await q.execute()) {
    const due = await nextDueAt(deps.db, c.id);
    if (due === null) continue;
    const ms = Math.max(0, Date.parse(due) - deps.clock.now().getTime());
    if (ms <= opts.waitForRetriesMs && (soonest === null || ms < soonest)) soonest = ms;
  }
  // Look again at least every second: another worker's batch may end long before its lease does.
  return soonest === null ? null : Math.min(Math.max(soonest, 10), 1000);
}
