/**
 * What an SMTP reply means for a delivery (RFC 5321 reply codes, RFC 3463 enhanced status codes), as a pure
 * function of where in the transaction it came and what it said. The send path and the DSN reader share it, so
 * one rule decides whether an address is suppressed:
 *
 * - Only a recipient-specific permanent reply is a **hard bounce** (suppresses): enhanced 5.1.x (bad mailbox or
 *   domain, RFC 3463 3.2), 5.2.1 (mailbox disabled, 3.3), or a plain 550/551/553 at RCPT without an enhanced code
 *   (or with the catch-all 5.0.0).
 * - A refusal before the recipient (connect, greeting, EHLO, STARTTLS, AUTH, MAIL FROM), any 5.7.x (security or
 *   policy, 3.8), or a permanent refusal of the message content after DATA is a **relay failure**: the relay or
 *   our account is at fault, not the address, so nobody is suppressed and the campaign pauses.
 * - 552 / 5.2.2 (mailbox full; RFC 5321 4.5.3.1.10 says treat 552 at RCPT as temporary) and any 4xx about the
 *   recipient or message are a **soft bounce**: retried with backoff and counted against the address.
 * - 421 (service closing) and 4.7.x or "throttling"/"rate" 4xx replies are **throttle**: slow down and retry
 *   within seconds, not counted against the address.
 * - 4xx before the recipient, timeouts and dropped connections are **deferred**: retried, not counted.
 */

/** Where a reply came. `dsn` is a Status field of a delivery status notification (RFC 3464 2.3.4). */
export const SMTP_STAGES = ['connect', 'greeting', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'message', 'dsn'] as const;
export type SmtpStage = (typeof SMTP_STAGES)[number];

export const SMTP_OUTCOMES = ['success', 'hard_bounce', 'soft_bounce', 'relay_failure', 'throttle', 'deferred'] as const;
export type SmtpOutcome = (typeof SMTP_OUTCOMES)[number];

/** A failure below SMTP: no reply at all. */
export const NETWORK_FAILURES = ['refused', 'dns', 'tls', 'timeout', 'reset'] as const;
export type NetworkFailure = (typeof NETWORK_FAILURES)[number];

export interface SmtpReply {
  stage: SmtpStage;
  /** Basic reply code (250, 550…); null for a DSN status or when there was no reply. */
  code: number | null;
  /** Reply text, possibly starting with the code and an enhanced status ("550 5.1.1 User unknown"). */
  text?: string | null;
  /** Enhanced status ("5.1.1"); read from `text` when not given. */
  enhanced?: string | null;
  /** Set when the connection failed without a reply. */
  network?: NetworkFailure | null;
}

export interface SmtpMeaning {
  outcome: SmtpOutcome;
  /** The enhanced status used, or null. */
  enhanced: string | null;
}

const ENHANCED = /^\s*(?:\d{3}[ -])?\s*([245])\.(\d{1,3})\.(\d{1,3})(?!\d)/;
const THROTTLE_TEXT = /throttl|rate limit|sending rate|too many (messages|mails|connections|recipients)|slow down/i;
const BEFORE_RECIPIENT: ReadonlySet<SmtpStage> = new Set(['connect', 'greeting', 'ehlo', 'starttls', 'auth', 'mail']);

/**
 * The enhanced status code in a reply text, normalised ("5.01.001" → "5.1.1"), or null.
 * @example enhancedStatus('550 5.1.1 <a@b.nl>: user unknown') // '5.1.1'
 */
export function enhancedStatus(text: string | null | undefined): string | null {
  const m = text ? ENHANCED.exec(text) : null;
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

/** The basic reply code at the start of a text ("554 …" → 554), or null. */
export function replyCode(text: string | null | undefined): number | null {
  const m = text ? /^\s*([2-5]\d\d)(?![\d])/.exec(text) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Classifies one reply (see the module comment for the rules and their sources).
 * @example classifyReply({ stage: 'rcpt', code: 550, text: '550 5.1.1 user unknown' }) // { outcome: 'hard_bounce', enhanced: '5.1.1' }
 * @example classifyReply({ stage: 'mail', code: 554, text: '554 sender address not verified' }).outcome // 'relay_failure'
 */
export function classifyReply(r: SmtpReply): SmtpMeaning {
  const enhanced = r.enhanced ?? enhancedStatus(r.text);
  const meaning = (outcome: SmtpOutcome): SmtpMeaning => ({ outcome, enhanced });
  if (r.network) return meaning(r.network === 'timeout' || r.network === 'reset' ? 'deferred' : 'relay_failure');
  const klass = r.code !== null ? Math.floor(r.code / 100) : enhanced ? Number(enhanced[0]) : null;
  if (klass === null) return meaning('deferred');
  if (klass === 2 || klass === 3) return meaning('success');
  const [, subject, detail] = enhanced ? enhanced.split('.').map(Number) : [null, null, null];
  if (klass === 4) {
    if (r.code === 421 || subject === 7 || THROTTLE_TEXT.test(r.text ?? '')) return meaning('throttle');
    return meaning(BEFORE_RECIPIENT.has(r.stage) ? 'deferred' : 'soft_bounce');
  }
  // Permanent (5xx, or a 5.x.x DSN status).
  if (BEFORE_RECIPIENT.has(r.stage) || subject === 7) return meaning('relay_failure');
  const recipientSpecific = subject === 1 || (subject === 2 && detail === 1);
  if (recipientSpecific) return meaning('hard_bounce');
  if (r.code === 552 || (subject === 2 && detail === 2)) return meaning('soft_bounce');
  if (r.stage === 'rcpt') {
    const plain = enhanced === null || enhanced === '5.0.0';
    if (plain && (r.code === 550 || r.code === 551 || r.code === 553)) return meaning('hard_bounce');
    // Permanent but not about this mailbox (5.3 system, 5.4 routing, 5.5 protocol, 554 …): counted, not suppressed.
    return meaning('soft_bounce');
  }
  if (r.stage === 'dsn') return meaning('soft_bounce');
  // After DATA every recipient gets the same content: a permanent refusal of it is the relay's, not the address's.
  return meaning('relay_failure');
}

/**
 * A key under which permanent replies count as "the same reply": code, enhanced status and text with addresses,
 * numbers and quoting removed, so "550 5.1.1 <a@x.nl> unknown" and "550 5.1.1 <b@y.nl> unknown" match.
 */
export function replyKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/\S+@\S+/g, '')
    .replace(/\b[0-9a-f]{6,}\b/g, '')
    .replace(/[^a-z0-9.]+/g, ' ')
    .trim();
}
