/**
 * Amazon SES notifications through Amazon SNS: the SNS message signature is checked with node:crypto against
 * the signing certificate (fetched through a small port, so tests run offline with a test certificate, and
 * cached), only from `https://sns.<region>.amazonaws.com/…pem` and only for the configured topics; a subscription
 * is confirmed only after its signature checks. SES bounce and complaint notifications (both the notification
 * and the event-publishing format) are read into ProviderEvents.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import type { ProviderEvent } from './provider-event.js';

/** The network side of SNS: fetching a signing certificate and visiting a SubscribeURL. */
export interface SnsPort {
  fetchCertificate(url: string): Promise<string>;
  confirmSubscription(url: string): Promise<void>;
}

/** The real port: plain HTTPS GETs with a 10 s timeout. */
export const httpSnsPort: SnsPort = {
  fetchCertificate: async (url) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`certificate fetch answered ${res.status}`);
    return res.text();
  },
  confirmSubscription: async (url) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`subscription confirmation answered ${res.status}`);
  },
};

type Json = Record<string, unknown>;
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Whether a URL is an HTTPS URL on an SNS host (certificates and SubscribeURLs come only from there). */
export function isSnsUrl(url: unknown, pathEnd = ''): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && SNS_HOST.test(u.hostname) && !u.username && !u.port && u.pathname.endsWith(pathEnd);
  } catch {
    return false;
  }
}

/** The string SNS signs (its documented field order; Subject only when present). */
export function snsStringToSign(m: Json): string | null {
  const fields = m.Type === 'Notification'
    ? ['Message', 'MessageId', ...(typeof m.Subject === 'string' ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let out = '';
  for (const f of fields) {
    if (typeof m[f] !== 'string') return null;
    out += `${f}\n${m[f] as string}\n`;
  }
  return out;
}

const certCache = new Map<string, string>();

/**
 * Checks an SNS message: topic allowed, certificate URL on SNS, signature (SignatureVersion 1: SHA1withRSA,
 * 2: SHA256withRSA) by a certificate valid now, timestamp within `maxAgeSeconds`.
 * @returns null when it passes, else the reason
 */
export async function checkSnsMessage(m: Json, o: { topicArns: string[]; port: SnsPort; nowMs: number; maxAgeSeconds: number }): Promise<string | null> {
  if (typeof m.TopicArn !== 'string' || !o.topicArns.includes(m.TopicArn)) return 'unknown_topic';
  if (!isSnsUrl(m.SigningCertURL, '.pem')) return 'bad_certificate_url';
  const toSign = snsStringToSign(m);
  if (!toSign || typeof m.Signature !== 'string') return 'missing_signature';
  const algorithm = m.SignatureVersion === '2' ? 'RSA-SHA256' : m.SignatureVersion === '1' ? 'RSA-SHA1' : null;
  if (!algorithm) return 'bad_signature_version';
  const url = m.SigningCertURL as string;
  let pem = certCache.get(url);
  if (!pem) {
    try {
      pem = await o.port.fetchCertificate(url);
    } catch {
      return 'certificate_unavailable';
    }
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'bad_certificate';
  }
  if (Date.parse(cert.validTo) < o.nowMs || Date.parse(cert.validFrom) > o.nowMs) return 'expired_certificate';
  certCache.set(url, pem);
  const ok = createVerify(algorithm).update(toSign, 'utf8').verify(cert.publicKey, m.Signature, 'base64');
  if (!ok) return 'bad_signature';
  const age = (o.nowMs - Date.parse(String(m.Timestamp))) / 1000;
  if (!Number.isFinite(age) || age > o.maxAgeSeconds) return 'replayed_timestamp';
  if (age < -60) return 'future_timestamp';
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

/**
 * The events of one SES notification (the SNS Message, parsed): one per bounced or complaining recipient.
 * Permanent bounces are hard, Transient and Undetermined soft; a complaint whose feedback type is not abuse
 * (e.g. not-spam) is ignored.
 */
export function sesEvents(message: unknown): ProviderEvent[] {
  const n = obj(message);
  const type = str(n.notificationType) ?? str(n.eventType) ?? 'unknown';
  const mail = obj(n.mail);
  const common = {
    type, status: null, diagnostic: null, occurredAt: null, eventId: null,
    messageId: str(obj(mail.commonHeaders).messageId), envelopeFrom: str(mail.source), recipient: null,
  } satisfies Omit<ProviderEvent, 'kind'>;
  if (type === 'Bounce') {
    const b = obj(n.bounce);
    const kind = b.bounceType === 'Permanent' ? 'hard_bounce' : 'soft_bounce';
    const at = str(b.timestamp);
    return arr(b.bouncedRecipients).map((r, i) => ({
      ...common, kind, status: str(r.status) ?? str(r.diagnosticCode), diagnostic: str(r.diagnosticCode) ?? str(b.bounceSubType),
      occurredAt: at ? new Date(at) : null, eventId: `${str(b.feedbackId) ?? 'bounce'}:${i}`, recipient: str(r.emailAddress),
    }));
  }
  if (type === 'Complaint') {
    const c = obj(n.complaint);
    const feedback = str(c.complaintFeedbackType);
    const at = str(c.timestamp);
    return arr(c.complainedRecipients).map((r, i) => ({
      ...common, kind: feedback === null || feedback === 'abuse' ? 'complaint' : 'ignore', diagnostic: feedback ? `Feedback-Type: ${feedback}` : null,
      occurredAt: at ? new Date(at) : null, eventId: `${str(c.feedbackId) ?? 'complaint'}:${i}`, recipient: str(r.emailAddress),
    }));
  }
  return [{ ...common, kind: 'ignore' }];
}
