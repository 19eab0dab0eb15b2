/**
 * The bounce and complaint events of Postmark, Mailgun, SendGrid and Brevo read into ProviderEvents. Any other
 * event type (delivered, opened, clicked, deferred …) becomes `ignore`; a field of the wrong type is read as
 * absent, never an error.
 */
import type { ProviderEvent } from './provider-event.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const date = (v: unknown): Date | null => {
  if (typeof v === 'number') return new Date(v * 1000);
  const s = str(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
};
const base = (type: string): ProviderEvent => ({ type, kind: 'ignore', status: null, diagnostic: null, occurredAt: null, eventId: null, messageId: null, envelopeFrom: null, recipient: null });

/**
 * Postmark's bounce and spam-complaint webhooks (one event a request). Blocked (the receiving server's policy) is
 * a soft bounce with a policy status, so it never suppresses; AutoResponder, Transient delays and the rest are
 * ignored. Postmark reports the Message-ID it was given when the message was sent with `X-PM-KeepID: true`.
 */
export function postmarkEvents(body: unknown): ProviderEvent[] {
  const b = obj(body);
  const recordType = str(b.RecordType) ?? 'unknown';
  const type = str(b.Type) ?? recordType;
  const e: ProviderEvent = {
    ...base(`${recordType}/${type}`),
    diagnostic: str(b.Details) ?? str(b.Description),
    occurredAt: date(b.BouncedAt) ?? date(b.ReceivedAt),
    eventId: b.ID === undefined ? null : String(b.ID),
    messageId: str(b.MessageID),
    recipient: str(b.Email),
  };
  if (recordType === 'SpamComplaint' || type === 'SpamComplaint') return [{ ...e, kind: 'complaint' }];
  if (recordType !== 'Bounce') return [e];
  if (type === 'HardBounce' || type === 'BadEmailAddress') return [{ ...e, kind: 'hard_bounce', status: str(b.Details) }];
  if (type === 'SoftBounce' || type === 'DnsError') return [{ ...e, kind: 'soft_bounce', status: str(b.Details) }];
  if (type === 'Blocked') return [{ ...e, kind: 'soft_bounce', status: '5.7.1' }];
  return [e];
}

/**
 * Mailgun's webhooks: `failed` (severity permanent: hard; temporary: soft) and `complained`; the original
 * Message-ID is `event-data.message.headers.message-id`.
 */
export function mailgunEvents(body: unknown): ProviderEvent[] {
  const d = obj(obj(body)['event-data']);
  const event = str(d.event) ?? 'unknown';
  const ds = obj(d['delivery-status']);
  const e: ProviderEvent = {
    ...base(event),
    occurredAt: date(d.timestamp),
    eventId: str(d.id),
    messageId: str(obj(obj(d.message).headers)['message-id']),
    recipient: str(d.recipient),
    diagnostic: [ds.code, str(ds.message) ?? str(ds.description)].filter((x) => x !== undefined && x !== null && x !== '').join(' ') || str(d.reason),
    status: str(ds['enhanced-code']) ?? str(ds.message) ?? str(ds.description),
  };
  if (event === 'complained') return [{ ...e, kind: 'complaint', status: null }];
  if (event === 'failed') return [{ ...e, kind: d.severity === 'permanent' ? 'hard_bounce' : 'soft_bounce' }];
  return [e];
}

/**
 * SendGrid's event webhook (an array): `bounce` (type bounce: hard; type blocked: soft), `spamreport`; `smtp-id`
 * is the original Message-ID. `dropped` (SendGrid did not send), `deferred` and the rest are ignored.
 */
export function sendgridEvents(body: unknown): ProviderEvent[] {
  if (!Array.isArray(body)) return [];
  return body.map((raw) => {
    const b = obj(raw);
    const event = str(b.event) ?? 'unknown';
    const e: ProviderEvent = {
      ...base(event),
      occurredAt: date(b.timestamp),
      eventId: str(b.sg_event_id),
      messageId: str(b['smtp-id']),
      recipient: str(b.email),
      diagnostic: str(b.reason),
      status: str(b.status),
    };
    if (event === 'spamreport') return { ...e, kind: 'complaint', status: null };
    if (event === 'bounce') return { ...e, kind: b.type === 'blocked' ? 'soft_bounce' : 'hard_bounce' };
    return e;
  });
}

/** Brevo's transactional webhook: `hard_bounce`, `soft_bounce`, `spam` (a complaint); `message-id` is the Message-ID. */
export function brevoEvents(body: unknown): ProviderEvent[] {
  const b = obj(body);
  const event = str(b.event) ?? 'unknown';
  const e: ProviderEvent = {
    ...base(event),
    occurredAt: date(b.ts_event) ?? date(b.date),
    // `id` names the webhook, not the event: the message, the event and its time do.
    eventId: [str(b['message-id']), event, b.ts_event ?? b.ts ?? b.date].filter((x) => x !== null && x !== undefined).join(':'),
    messageId: str(b['message-id']),
    recipient: str(b.email),
    diagnostic: str(b.reason),
    status: str(b.reason),
  };
  if (event === 'spam') return [{ ...e, kind: 'complaint', status: null }];
  if (event === 'hard_bounce') return [{ ...e, kind: 'hard_bounce' }];
  if (event === 'soft_bounce') return [{ ...e, kind: 'soft_bounce' }];
  return [e];
}
