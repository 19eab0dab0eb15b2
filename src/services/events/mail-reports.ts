/**
 * A message that came back by mail (the SMTP receiver, the IMAP poller): read, classified in the core, matched
 * to its delivery by the VERP address and the original Message-ID only, then recorded (delivery-events.ts).
 *
 * Nothing is lost and nobody else is touched: a report that cannot be read or matched safely is kept for review
 * with its reason (`unreadable_reports`); a report for a delivery that no longer exists (never sent, or its
 * person erased) is dropped with a logged reason and not kept, since it would bring the address back; a report
 * whose named recipient is not the delivery's is kept for review and suppresses no one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { classifyReport, type ReportMatch, type ReportVerdict } from '../../core/mail-report.js';
import { readReport } from '../../mail/report-reader.js';
import { contactById } from '../../store/contacts.js';
import { addUnreadableReport, deliveryByIdPrefix, deliveryByMessageId } from '../../store/delivery-events.js';
import type { DeliveryRow } from '../../store/schema.js';
import { DomainError } from '../errors.js';
import { recordDeliveryEvent, type EventDeps } from './delivery-events.js';

/** Where log lines go (pino's or Fastify's logger fits); fields carry ids and reasons, never addresses. */
export interface EventLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export const silentLog: EventLog = { info: () => {}, warn: () => {} };

/** The largest report read, bytes (10 MB); larger ones are kept for review by their first 64 KB. */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;
/** How much of an unreadable report is kept for review, bytes. */
const KEEP_BYTES = 256 * 1024;

export type IngestResult =
  | { result: 'recorded' | 'duplicate'; deliveryId: string; kind: string; suppressed: string | null }
  | { result: 'ignored' | 'review' | 'dropped'; reason: string };

/**
 * Reads, classifies and records one message.
 * @param input raw: the message; route: smtp | imap; envelopeRecipients: the RCPT TO addresses (SMTP), or []
 *   to read Delivered-To/X-Original-To/To (IMAP); declaredSize: the whole message's size when `raw` is only
 *   its beginning (a mailbox message over the limit)
 * @returns what was done; never throws for bad input (it is kept for review or dropped with a log line)
 */
export async function ingestMailReport(
  deps: EventDeps,
  log: EventLog,
  input: { raw: Buffer; route: 'smtp' | 'imap'; envelopeRecipients?: string[]; maxBytes?: number; declaredSize?: number },
): Promise<IngestResult> {
  const { raw, route } = input;
  const review = async (reason: string, detail: string): Promise<IngestResult> => {
    await addUnreadableReport(deps.db, {
      id: randomUUID(), received_at: deps.clock.now().toISOString(), route, reason, detail: detail.slice(0, 1000),
      size: input.declaredSize ?? raw.length, raw: raw.subarray(0, KEEP_BYTES).toString('utf8'), reviewed_at: null,
    });
    // The detail (kept with the report) may quote a subject; the log gets the reason only.
    log.warn({ route, reason, size: input.declaredSize ?? raw.length }, 'mail report kept for review');
    return { result: 'review', reason };
  };
  const size = input.declaredSize ?? raw.length;
  if (size > (input.maxBytes ?? MAX_REPORT_BYTES)) return review('too_large', `${size} bytes; the limit is ${input.maxBytes ?? MAX_REPORT_BYTES}`);
  let verdict: ReportVerdict;
  try {
    verdict = classifyReport(await readReport(raw, input.envelopeRecipients ?? []));
  } catch (err) {
    return review('unparsable', (err as Error).message);
  }
  if (verdict.type === 'ignore') {
    log.info({ route, reason: verdict.reason }, 'mail report ignored');
    return { result: 'ignored', reason: verdict.reason };
  }
  if (verdict.type === 'unreadable') return review(verdict.reason, verdict.detail);

  const found = await matchDelivery(deps, verdict.match);
  if (found.kind === 'none') {
    log.warn({ route, reason: 'unknown_delivery', verpTokens: verdict.match.verpTokens.length, messageIds: verdict.match.messageIds.length }, 'mail report dropped: no such delivery (never sent, or erased)');
    return { result: 'dropped', reason: 'unknown_delivery' };
  }
  if (found.kind === 'conflict') return review('ambiguous_match', 'the VERP address and the original Message-ID name different deliveries');
  const delivery = found.delivery;
  const contact = await contactById(deps.db, delivery.contact_id);
  if (!contact) {
    log.warn({ route, reason: 'unknown_delivery', deliveryId: delivery.id }, 'mail report dropped: the delivery\'s contact was erased');
    return { result: 'dropped', reason: 'unknown_delivery' };
  }
  const named = verdict.namedRecipients;
  if (named.length > 0 && !named.includes(contact.email.toLowerCase())) {
    return review('recipient_mismatch', `the report names ${named.length} other address(es) than delivery ${delivery.id}'s recipient`);
  }
  const now = deps.clock.now();
  const at = verdict.occurredAt && Date.parse(verdict.occurredAt) <= now.getTime() ? new Date(verdict.occurredAt) : now;
  const reportKey = `${verdict.type === 'complaint' ? 'arf' : 'dsn'}:${verdict.reportId ?? createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
  try {
    const out = await recordDeliveryEvent(deps, verdict.type === 'complaint'
      ? { deliveryId: delivery.id, kind: 'complaint', occurredAt: at, source: 'arf', status: null, diagnostic: `Feedback-Type: ${verdict.feedbackType}`, reportKey }
      : { deliveryId: delivery.id, kind: verdict.kind, occurredAt: at, source: 'dsn', status: verdict.status, diagnostic: verdict.diagnostic, reportKey });
    log.info({ route, deliveryId: delivery.id, kind: out.kind, suppressed: out.suppressed, duplicate: !out.recorded }, 'mail report recorded');
    return { result: out.recorded ? 'recorded' : 'duplicate', deliveryId: delivery.id, kind: out.kind, suppressed: out.suppressed };
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') {
      log.warn({ route, reason: 'unknown_delivery', deliveryId: delivery.id }, 'mail report dropped: no such delivery');
      return { result: 'dropped', reason: 'unknown_delivery' };
    }
    if (err instanceof DomainError) return review('invalid', err.message);
    throw err;
  }
}

/**
 * The one delivery named by the report's VERP tokens and Message-IDs. When both are there they must name the
 * same delivery; an original Message-ID that is not the VERP delivery's is a conflict, not a second guess.
 */
async function matchDelivery(
  deps: EventDeps,
  m: ReportMatch,
): Promise<{ kind: 'one'; delivery: DeliveryRow } | { kind: 'none' } | { kind: 'conflict' }> {
  const byVerp = new Map<string, DeliveryRow>();
  for (const t of m.verpTokens) {
    const d = await deliveryByIdPrefix(deps.db, t);
    if (d) byVerp.set(d.id, d);
  }
  const byId = new Map<string, DeliveryRow>();
  for (const id of m.messageIds) {
    const d = await deliveryByMessageId(deps.db, id);
    if (d) byId.set(d.id, d);
  }
  if (byVerp.size > 1 || byId.size > 1) return { kind: 'conflict' };
  const verp = [...byVerp.values()][0];
  if (verp) return m.messageIds.length === 0 || m.messageIds.includes(verp.message_id) ? { kind: 'one', delivery: verp } : { kind: 'conflict' };
  const byMessageId = [...byId.values()][0];
  return byMessageId ? { kind: 'one', delivery: byMessageId } : { kind: 'none' };
}

/**
 * Whether an SMTP recipient is the VERP address of a delivery that exists (the receiver accepts nothing else).
 * @param address the RCPT TO address
 */
export async function isKnownVerpAddress(deps: EventDeps, address: string, domain: string): Promise<DeliveryRow | null> {
  const m = /^bounces\+d-([0-9a-f]{24})@(.+)$/i.exec(address.trim());
  if (!m || m[2]!.toLowerCase() !== domain.toLowerCase()) return null;
  return (await deliveryByIdPrefix(deps.db, m[1]!.toLowerCase())) ?? null;
}
