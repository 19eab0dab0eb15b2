/**
 * What comes back about a delivery (issue 12), recorded in one place for every route (the SMTP send path's
 * RCPT-time refusals, DSNs and ARF reports by mail, providers' webhooks):
 *
 * - hard bounce: the address's keyed hash goes on the suppression list at once (reason `hard_bounce`);
 * - soft bounce: recorded; when the contact's soft bounces about their mailbox (core/bounce-rules.ts) reach the
 *   limit within the window (settings `bounce_settings`, default 3 deliveries in 30 days), the address is
 *   suppressed as `soft_bounce_limit`;
 * - complaint: suppressed at once (reason `complaint`) and recorded as an objection to direct marketing
 *   (GDPR 21(3), Tw 11.7(3)) in the consent ledger: marketing permissions end as `objected`, customer mail stops.
 *
 * A refusal for the sending system's own reasons (policy 5.7.x, a relay that refuses everything) is recorded as
 * a soft bounce that counts towards nothing (SCENARIOS H4; accuracy, GDPR 5(1)(d)). Each event is kept on its
 * delivery with its time, source and status, so the campaign's figures, the contact's page and the art. 15
 * export show it. The same report recorded twice changes nothing the second time.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  bounceSettingsSchema,
  countsTowardSoftLimit,
  DEFAULT_BOUNCE_SETTINGS,
  ENHANCED_STATUS_RE,
  isPolicyStatus,
  softLimitReached,
  type BounceSettings,
} from '../../core/bounce-rules.js';
import { suppressionHash } from '../../core/suppression.js';
import { isDeliveryEventKind, type DeliveryEventKind, type SuppressionReason } from '../../core/vocab.js';
import { contactById, updateContact } from '../../store/contacts.js';
import {
  countSoftBounces,
  deliveryById,
  deliveryEventByReport,
  insertDeliveryEvent,
  setEventSuppression,
} from '../../store/delivery-events.js';
import { appendEvent } from '../../store/ledger.js';
import { permissionsOf } from '../../store/permissions.js';
import { listPurposes } from '../../store/purposes.js';
import type { ContactRow, DB, DeliveryRow } from '../../store/schema.js';
import { getSetting, putSetting } from '../../store/settings.js';
import { addSuppression, suppressionOf } from '../../store/suppressions.js';
import { endPermission, objectToCustomerMail } from '../consent/permission-change.js';
import type { Data, Deps } from '../deps.js';
import { invalid, notFound } from '../errors.js';
import { queueDeliveryEventWebhook } from '../webhooks/events.js';

export type EventDeps = Data & Pick<Deps, 'clock' | 'secret'>;

/** Where a report came from: the SMTP transaction, a DSN or ARF report by mail, or a provider's webhook. */
export type DeliveryEventSource = 'smtp' | 'dsn' | 'arf' | `webhook:${string}`;

export interface DeliveryEventReport {
  deliveryId: string;
  kind: DeliveryEventKind;
  /** When it happened, by the report (the DSN's Arrival/Last-Attempt date, the webhook's timestamp…). */
  occurredAt: Date;
  source: DeliveryEventSource;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1"; null or omitted when the report gave none. */
  status?: string | null;
  /** The remote server's or provider's words; control characters removed, cut at 1,000 characters. */
  diagnostic?: string | null;
  /**
   * Identifies the report (a provider's event id, the report's Message-ID, `smtp:<attempt>`), so the same report
   * read twice is recorded once; default: derived from source, kind, status and time.
   */
  reportKey?: string | null;
}

export interface DeliveryEventOutcome {
  /** false when this report had been recorded before: nothing changed. */
  recorded: boolean;
  eventId: string;
  /** The kind recorded: a hard bounce on a policy (5.7.x) or temporary (4.x.x) status is recorded as soft. */
  kind: DeliveryEventKind;
  /** The suppression this event put on the list; null when none, or the address was suppressed already. */
  suppressed: SuppressionReason | null;
  /** Purposes objected to by a complaint. */
  objected: string[];
}

const SOURCE_RE = /^(smtp|dsn|arf|webhook:[a-z0-9-]{1,30})$/;
const MARKETING = new Set(['purpose_marketing', 'customer_marketing', 'third_party_promotion', 'repermission']);
const DAY_MS = 24 * 3600 * 1000;

/** The soft-bounce limit and window (`consentry settings`), with defaults (3 in 30 days). */
export async function getBounceSettings(db: Kysely<DB>): Promise<BounceSettings> {
  return { ...DEFAULT_BOUNCE_SETTINGS, ...((await getSetting<Partial<BounceSettings>>(db, 'bounce_settings')) ?? {}) };
}

/** @throws DomainError invalid (field softBounceLimit or softBounceWindowDays) for values out of range */
export async function putBounceSettings(db: Kysely<DB>, patch: Partial<BounceSettings>): Promise<BounceSettings> {
  const parsed = bounceSettingsSchema.safeParse({ ...(await getBounceSettings(db)), ...patch });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(String(issue.path[0] ?? 'bounce_settings'), `${String(issue.path[0])}: ${issue.message}`);
  }
  await putSetting(db, 'bounce_settings', parsed.data);
  return parsed.data;
}

/**
 * Records one bounce or complaint for a delivery and applies what follows (see the module comment), in one
 * transaction.
 * @example await recordDeliveryEvent(deps, { deliveryId, kind: 'hard_bounce', occurredAt, source: 'dsn', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown', reportKey: '<dsn-id@mx.example>' })
 * @throws DomainError not_found (code unknown-delivery) for a delivery that does not exist (never sent, or its
 *   person erased); invalid (field kind, source, status or occurredAt) for bad input
 */
export async function recordDeliveryEvent(deps: EventDeps, report: DeliveryEventReport): Promise<DeliveryEventOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute((trx) => recordDeliveryEventIn(trx, deps.secret, report, now));
}

/**
 * The same as recordDeliveryEvent inside the caller's transaction (e.g. the send path finishing a delivery).
 * @param now the recording time
 */
export async function recordDeliveryEventIn(
  trx: Kysely<DB>,
  secret: string,
  report: DeliveryEventReport,
  now: Date,
): Promise<DeliveryEventOutcome> {
  const r = checkReport(report);
  const delivery = await deliveryById(trx, r.deliveryId);
  if (!delivery) throw notFound(`no delivery "${r.deliveryId}" (never sent, or its person was erased)`, 'unknown-delivery');
  const contact = await contactById(trx, delivery.contact_id);
  if (!contact) throw notFound(`the contact of delivery "${r.deliveryId}" no longer exists`, 'unknown-delivery');

  const kind: DeliveryEventKind =
    r.kind === 'hard_bounce' && r.status !== null && (r.status.startsWith('4.') || isPolicyStatus(r.status)) ? 'soft_bounce' : r.kind;
  const reportKey = r.reportKey ?? defaultReportKey(r);
  const eventId = randomUUID();
  const inserted = await insertDeliveryEvent(trx, {
    id: eventId,
    delivery_id: delivery.id,
    campaign_id: delivery.campaign_id,
    contact_id: contact.id,
    kind,
    source: r.source,
    status: r.status,
    diagnostic: r.diagnostic,
    occurred_at: r.occurredAt.toISOString(),
    recorded_at: now.toISOString(),
    report_key: reportKey,
    suppression: null,
  });
  if (!inserted) {
    const earlier = (await deliveryEventByReport(trx, delivery.id, reportKey))!;
    return { recorded: false, eventId: earlier.id, kind: earlier.kind as DeliveryEventKind, suppressed: null, objected: [] };
  }
  if (kind !== 'complaint' && delivery.state === 'sent') {
    await trx.updateTable('deliveries').set({ state: 'bounced', updated_at: now.toISOString() }).where('id', '=', delivery.id).execute();
  }

  let reason: SuppressionReason | null = null;
  const objected: string[] = [];
  if (kind === 'hard_bounce') reason = 'hard_bounce';
  else if (kind === 'soft_bounce' && countsTowardSoftLimit(r.status)) {
    const s = await getBounceSettings(trx);
    const since = new Date(now.getTime() - s.softBounceWindowDays * DAY_MS).toISOString();
    if (softLimitReached(await countSoftBounces(trx, contact.id, since, countsTowardSoftLimit), s)) reason = 'soft_bounce_limit';
  } else if (kind === 'complaint') {
    reason = 'complaint';
    objected.push(...(await objectAfterComplaint(trx, contact, delivery, r, now)));
  }
  const suppressed = reason ? await suppress(trx, secret, contact, delivery, reason, { eventId, source: r.source, status: r.status }, now) : null;
  await queueDeliveryEventWebhook(trx, { delivery, kind, source: r.source, status: r.status, occurredAt: r.occurredAt, suppressed, objected }, now);
  return { recorded: true, eventId, kind, suppressed, objected };
}

type CheckedReport = Omit<DeliveryEventReport, 'status' | 'diagnostic' | 'reportKey'> & { status: string | null; diagnostic: string | null; reportKey: string | null };

/** Validates and cleans a report. */
function checkReport(r: DeliveryEventReport): CheckedReport {
  if (!isDeliveryEventKind(r.kind)) throw invalid('kind', `kind must be hard_bounce, soft_bounce or complaint, not "${String(r.kind)}"`);
  if (!SOURCE_RE.test(r.source)) throw invalid('source', `source must be smtp, dsn, arf or webhook:<provider>, not "${r.source}"`);
  if (!(r.occurredAt instanceof Date) || Number.isNaN(r.occurredAt.getTime())) throw invalid('occurredAt', 'occurredAt must be a valid time');
  const status = r.status ?? null;
  if (status !== null && !ENHANCED_STATUS_RE.test(status)) throw invalid('status', `status must be an enhanced status code such as 5.1.1, not "${status}"`);
  // eslint-disable-next-line no-control-regex
  const diagnostic = r.diagnostic ? r.diagnostic.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 1000) || null : null;
  const reportKey = r.reportKey ? r.reportKey.slice(0, 200) : null;
  return { deliveryId: r.deliveryId, kind: r.kind, occurredAt: r.occurredAt, source: r.source, status, diagnostic, reportKey };
}

const defaultReportKey = (r: { source: string; kind: string; status: string | null; occurredAt: Date }) =>
  `derived:${createHash('sha256').update(`${r.source}|${r.kind}|${r.status ?? ''}|${r.occurredAt.toISOString()}`).digest('hex').slice(0, 32)}`;

/**
 * A complaint is the person's objection to this direct marketing (GDPR 21(3)): every marketing permission on
 * consent or legitimate interest ends as `objected`, and customer mail stops (objectToCustomerMail).
 * @returns the purposes objected to
 */
async function objectAfterComplaint(
  trx: Kysely<DB>,
  contact: ContactRow,
  delivery: DeliveryRow,
  r: { source: string; occurredAt: Date },
  now: Date,
): Promise<string[]> {
  const details = { channel: 'complaint', source: r.source, deliveryId: delivery.id, campaignId: delivery.campaign_id, objection: 'direct marketing (GDPR 21(3))' };
  const categories = new Map((await listPurposes(trx)).map((p) => [p.id, p.category]));
  const done: string[] = [];
  for (const p of await permissionsOf(trx, contact.id)) {
    if (!MARKETING.has(categories.get(p.purpose_id) ?? '') || p.status === 'objected' || p.status === 'withdrawn') continue;
    if (p.basis === 'A6-1-b' || p.basis === 'A6-1-c') continue;
    await endPermission(trx, p, { event: 'objected', occurredAt: r.occurredAt, details }, now);
    done.push(p.purpose_id);
  }
  if (contact.customer_opted_out === 0) await objectToCustomerMail(trx, contact.id, { purposeId: null, occurredAt: r.occurredAt, details }, now);
  return done;
}

/**
 * Puts the address's keyed hash on the suppression list with a `suppressed` ledger event (no personal data), and
 * marks the event that caused it. An address already listed keeps its first reason.
 * @returns the reason added, or null when the address was listed already
 */
async function suppress(
  trx: Kysely<DB>,
  secret: string,
  contact: ContactRow,
  delivery: DeliveryRow,
  reason: SuppressionReason,
  cause: { eventId: string; source: string; status: string | null },
  now: Date,
): Promise<SuppressionReason | null> {
  const hash = suppressionHash(secret, contact.email);
  if (await suppressionOf(trx, hash)) return null;
  await addSuppression(trx, hash, reason, `${cause.source}:delivery:${delivery.id}`, now);
  await updateContact(trx, contact.id, { suppression: reason, updated_at: now.toISOString() });
  await appendEvent(
    trx,
    {
      subjectId: contact.id,
      type: 'suppressed',
      purposeId: null,
      basis: null,
      occurredAt: now,
      details: { reason, source: cause.source, status: cause.status, deliveryId: delivery.id, campaignId: delivery.campaign_id },
    },
    now,
  );
  await setEventSuppression(trx, cause.eventId, reason);
  return reason;
}
