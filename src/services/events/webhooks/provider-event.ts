/**
 * What a provider's webhook says about one message, in one shape for every provider, and how it is recorded:
 * matched to its delivery by the original Message-ID (and the VERP envelope sender where the provider reports
 * it), never by the address in the event; the kind follows the SMTP status when there is one (core/smtp-status:
 * a provider's "permanent" 5.7.x policy refusal suppresses no one), else the provider's own word.
 */
import { classifyReply, enhancedStatus } from '../../../core/smtp-status.js';
import { contactById } from '../../../store/contacts.js';
import { deliveryByIdPrefix, deliveryByMessageId } from '../../../store/delivery-events.js';
import type { DeliveryRow } from '../../../store/schema.js';
import { DomainError } from '../../errors.js';
import { recordDeliveryEvent, type EventDeps } from '../delivery-events.js';
import type { EventLog } from '../mail-reports.js';

export interface ProviderEvent {
  /** The provider's event type as sent, for logs. */
  type: string;
  /** What it means; 'ignore' for deliveries, opens, delays and types not known. */
  kind: 'hard_bounce' | 'soft_bounce' | 'complaint' | 'ignore';
  /** Enhanced status ("5.1.1") or an SMTP reply text to read it from; null when none. */
  status: string | null;
  diagnostic: string | null;
  occurredAt: Date | null;
  /** The provider's id of this event, so a retried webhook is recorded once. */
  eventId: string | null;
  /** The original Message-ID (angle brackets optional). */
  messageId: string | null;
  /** The envelope sender when the provider reports it (SES `mail.source`). */
  envelopeFrom: string | null;
  /** The address the provider names: checked against the delivery, never used to find one. */
  recipient: string | null;
}

export interface ProviderOutcome {
  recorded: number;
  ignored: Array<{ type: string; reason: string }>;
}

const VERP_RE = /^bounces\+d-([0-9a-f]{24})@/i;

/**
 * Records a provider's events (source `webhook:<provider>`); an event that cannot be matched or checked is
 * ignored with a logged reason, never an error.
 * @param provider ses | postmark | mailgun | sendgrid | brevo
 */
export async function recordProviderEvents(deps: EventDeps, log: EventLog, provider: string, events: ProviderEvent[]): Promise<ProviderOutcome> {
  const out: ProviderOutcome = { recorded: 0, ignored: [] };
  const ignore = (e: ProviderEvent, reason: string, extra: Record<string, unknown> = {}) => {
    out.ignored.push({ type: e.type, reason });
    log.info({ route: `webhook:${provider}`, type: e.type, reason, ...extra }, 'webhook event ignored');
  };
  for (const e of events) {
    if (e.kind === 'ignore') {
      ignore(e, 'not_a_bounce_or_complaint');
      continue;
    }
    const delivery = await match(deps, e);
    if (delivery === 'conflict') {
      ignore(e, 'ambiguous_match');
      continue;
    }
    if (!delivery) {
      ignore(e, 'unknown_delivery');
      continue;
    }
    const contact = await contactById(deps.db, delivery.contact_id);
    if (!contact) {
      ignore(e, 'unknown_delivery', { deliveryId: delivery.id });
      continue;
    }
    if (e.recipient && e.recipient.trim().toLowerCase() !== contact.email.toLowerCase()) {
      ignore(e, 'recipient_mismatch', { deliveryId: delivery.id });
      continue;
    }
    // "5.1.1", "550 5.1.1 …", "smtp; 550 5.1.1 …"
    const status = e.status ? enhancedStatus(e.status.replace(/^\s*[a-z-]+\s*;\s*/i, '')) : null;
    const kind = e.kind === 'complaint' ? 'complaint' : kindOf(e.kind, status);
    const now = deps.clock.now();
    const at = e.occurredAt && !Number.isNaN(e.occurredAt.getTime()) && e.occurredAt <= now ? e.occurredAt : now;
    try {
      const r = await recordDeliveryEvent(deps, {
        deliveryId: delivery.id, kind, occurredAt: at, source: `webhook:${provider}`, status: kind === 'complaint' ? null : status,
        diagnostic: e.diagnostic, reportKey: e.eventId ? `${provider}:${e.eventId}` : null,
      });
      if (r.recorded) out.recorded++;
      log.info({ route: `webhook:${provider}`, type: e.type, deliveryId: delivery.id, kind: r.kind, suppressed: r.suppressed, duplicate: !r.recorded }, 'webhook event recorded');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      ignore(e, err.code ?? err.kind, { deliveryId: delivery.id });
    }
  }
  return out;
}

/** The kind by the SMTP status where there is one (a DSN status), else the provider's word. */
function kindOf(provider: 'hard_bounce' | 'soft_bounce', status: string | null): 'hard_bounce' | 'soft_bounce' {
  if (!status) return provider;
  return classifyReply({ stage: 'dsn', code: null, enhanced: status }).outcome === 'hard_bounce' ? 'hard_bounce' : 'soft_bounce';
}

async function match(deps: EventDeps, e: ProviderEvent): Promise<DeliveryRow | null | 'conflict'> {
  const token = e.envelopeFrom ? VERP_RE.exec(e.envelopeFrom.replace(/^<|>$/g, ''))?.[1]?.toLowerCase() : undefined;
  const byVerp = token ? await deliveryByIdPrefix(deps.db, token) : undefined;
  const id = e.messageId?.trim().replace(/^<|>$/g, '');
  const byId = id ? await deliveryByMessageId(deps.db, id) : undefined;
  if (byVerp && id && byVerp.message_id !== id) return 'conflict';
  return byVerp ?? byId ?? null;
}
