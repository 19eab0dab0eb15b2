/**
 * One classifier for what comes back by mail (issue 12): RFC 3464 delivery status notifications, RFC 5965 ARF
 * complaints, the human-readable bounces of older MTAs (Exim, qmail, Yahoo, Microsoft's and Google's older
 * forms) and RFC 3834 auto-replies. Pure: the mail layer (mail/report-reader.ts) parses the MIME structure and
 * hands the parts over as data.
 *
 * The verdict names the delivery only by what Consentry itself put in the message: the VERP envelope sender
 * (`bounces+d-<24 hex>@…`) and the original Message-ID. Addresses written in the report (Final-Recipient,
 * X-Failed-Recipients) are returned only so the caller can check them against the delivery, never to find one.
 * A DSN status is read by core/smtp-status.ts, the same rule as the send path's replies.
 */
import { classifyReply, enhancedStatus, replyCode } from './smtp-status.js';

export interface ReportHeader {
  /** Lower-case field name. */
  key: string;
  value: string;
}

/** A MIME message as the mail layer read it. */
export interface ReportInput {
  headers: ReportHeader[];
  /** The text/plain body (the human-readable part of a report), '' when none. */
  text: string;
  /** The parts other than the text, in order, with their decoded content. */
  parts: Array<{ mimeType: string; content: string }>;
  /**
   * MIME types of report parts (message/delivery-status, message/feedback-report) that came with a
   * Content-Transfer-Encoding other than 7bit/8bit: RFC 3464 and RFC 5965 say those parts MUST be 7bit.
   */
  encodedReportParts: string[];
  /** Addresses the report was delivered to (SMTP RCPT TO, or Delivered-To/X-Original-To by IMAP). */
  envelopeRecipients: string[];
}

/** What names the delivery: VERP tokens and original Message-IDs (without angle brackets) found in the report. */
export interface ReportMatch {
  /** The 24 hex digits of `bounces+d-<hex>@` addresses, lower case, distinct. */
  verpTokens: string[];
  messageIds: string[];
}

export type ReportVerdict =
  | {
      type: 'bounce';
      kind: 'hard_bounce' | 'soft_bounce';
      /** Enhanced status (RFC 3463) or null when the report gave only a basic code or words. */
      status: string | null;
      diagnostic: string | null;
      /** When it happened by the report (ISO), or null. */
      occurredAt: string | null;
      /** Addresses the report says failed (to check, never to match). */
      namedRecipients: string[];
      form: 'dsn' | 'text';
      match: ReportMatch;
      /** The report's own Message-ID, to recognise it when read again. */
      reportId: string | null;
    }
  | {
      type: 'complaint';
      feedbackType: string;
      occurredAt: string | null;
      namedRecipients: string[];
      match: ReportMatch;
      reportId: string | null;
    }
  | { type: 'ignore'; reason: IgnoreReason; detail: string }
  | { type: 'unreadable'; reason: UnreadableReason; detail: string };

/** A report that changes nothing: a delay, a success notice, an auto-reply, a feedback type other than abuse. */
export type IgnoreReason = 'delayed' | 'delivered' | 'auto_reply' | 'feedback_not_abuse';
/** A report kept for review. */
export type UnreadableReason = 'encoded_report_part' | 'no_recipient_status' | 'no_status' | 'not_a_report' | 'no_feedback_report';

const VERP_RE = /bounces\+d-([0-9a-f]{24})@/gi;

/** Fields of a header block (`Name: value` with folded continuation lines), lower-case names, first wins. */
export function parseFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let name: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name) {
      fields.set(name, `${fields.get(name)!} ${line.trim()}`);
      continue;
    }
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    name = m ? m[1]!.toLowerCase() : null;
    if (m && !fields.has(name!)) fields.set(name!, m[2]!.trim());
  }
  return fields;
}

/** The groups of an RFC 3464 delivery-status body: the per-message fields, then one map per recipient. */
export function statusGroups(body: string): { perMessage: Map<string, string>; recipients: Array<Map<string, string>> } {
  const groups = body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/).map((g) => g.trim()).filter(Boolean).map(parseFields);
  const [perMessage = new Map<string, string>(), ...rest] = groups;
  // Some MTAs omit the blank line after the per-message fields: a first group with Final-Recipient is a recipient.
  if (perMessage.has('final-recipient')) return { perMessage: new Map(), recipients: groups };
  return { perMessage, recipients: rest.filter((g) => g.has('final-recipient') || g.has('status') || g.has('action')) };
}

const header = (h: ReportHeader[], key: string) => h.find((x) => x.key === key)?.value ?? null;
const unbracket = (id: string) => id.trim().replace(/^<|>$/g, '').trim();
/** The address of an RFC 3464 address field ("rfc822; a@b.nl"), lower case. */
const typedAddress = (v: string | undefined) => (v ? v.replace(/^\s*[a-z0-9-]+\s*;\s*/i, '').replace(/^<|>$/g, '').trim().toLowerCase() : null);
const isoDate = (v: string | null | undefined) => {
  if (!v) return null;
  const t = Date.parse(v.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** VERP tokens and Message-IDs in the report's envelope recipients, the original's headers and ARF fields. */
function findMatch(input: ReportInput, extra: string[], inlineCopy = false): ReportMatch {
  const verp = new Set<string>();
  const ids = new Set<string>();
  const scan = (s: string | null | undefined) => {
    for (const m of (s ?? '').matchAll(VERP_RE)) verp.add(m[1]!.toLowerCase());
  };
  for (const r of input.envelopeRecipients) scan(r);
  for (const s of extra) scan(s);
  for (const part of input.parts) {
    if (part.mimeType !== 'message/rfc822' && part.mimeType !== 'text/rfc822-headers') continue;
    const headerBlock = part.content.replace(/\r\n/g, '\n').split(/\n\n/)[0] ?? '';
    const f = parseFields(headerBlock);
    scan(f.get('return-path'));
    const id = f.get('message-id');
    if (id) ids.add(unbracket(id));
  }
  // Older MTAs quote the original below a line ("copy of the message") in the text itself.
  if (inlineCopy) {
    for (const m of input.text.matchAll(/^Message-ID:\s*<?([^\s<>]+@[^\s<>]+)>?\s*$/gim)) ids.add(m[1]!);
    for (const m of input.text.matchAll(/^Return-Path:\s*(.+)$/gim)) scan(m[1]);
  }
  return { verpTokens: [...verp], messageIds: [...ids] };
}

const AUTO_REPLY_SUBJECT = /^\s*(auto(matic)?[ -]?(reply|response|antwoord)|automatisch(e)? (antwoord|reactie)|out of (the )?office|afwezig|niet aanwezig|abwesenheit|abwesend|réponse automatique|absence|vacation|on leave|auto:)/i;
const BOUNCE_SUBJECT = /undeliver|returned mail|delivery (status notification|failure|has failed|failed)|mail delivery (failed|failure|system)|failure notice|non[- ]?delivery|unzustellbar|onbestelbaar|niet (afgeleverd|bezorgd)|could not be delivered/i;
const DAEMON_FROM = /(^|[<\s"])(mailer-daemon|postmaster|mail delivery (subsystem|system))/i;
const PERMANENT_WORDS = /permanent(ly)? (error|failure|fatal)|given up|failed permanently|will not (try|be retried)|not be delivered/i;
const UNKNOWN_MAILBOX = /user unknown|unknown user|no such (user|mailbox|recipient)|does not exist|doesn'?t have an? [^\n]{0,40}account|recipient not found|address rejected|mailbox unavailable|invalid (mailbox|recipient)|not our customer/i;

/**
 * Classifies one message that came back.
 * @example classifyReport({ headers, text, parts: [{ mimeType: 'message/delivery-status', content: 'Final-Recipient: rfc822; a@b.nl\nAction: failed\nStatus: 5.1.1' }], encodedReportParts: [], envelopeRecipients: ['bounces+d-0123…@deboon.example'] })
 *   // { type: 'bounce', kind: 'hard_bounce', status: '5.1.1', … }
 */
export function classifyReport(input: ReportInput): ReportVerdict {
  const contentType = (header(input.headers, 'content-type') ?? '').toLowerCase();
  const reportId = header(input.headers, 'message-id');
  const reportType = /report-type\s*=\s*"?([a-z-]+)/.exec(contentType)?.[1] ?? null;
  const dsnPart = input.parts.find((p) => p.mimeType === 'message/delivery-status' || p.mimeType === 'message/global-delivery-status');
  const arfPart = input.parts.find((p) => p.mimeType === 'message/feedback-report');

  if (input.encodedReportParts.length > 0) {
    return { type: 'unreadable', reason: 'encoded_report_part', detail: `report part ${input.encodedReportParts.join(', ')} is transfer-encoded; RFC 3464/5965 require 7bit` };
  }
  if (reportType === 'feedback-report' || arfPart) {
    if (!arfPart) return { type: 'unreadable', reason: 'no_feedback_report', detail: 'multipart/report of type feedback-report without a message/feedback-report part' };
    const f = parseFields(arfPart.content);
    const feedbackType = (f.get('feedback-type') ?? '').toLowerCase();
    if (feedbackType !== 'abuse') return { type: 'ignore', reason: 'feedback_not_abuse', detail: `Feedback-Type: ${feedbackType || '(none)'}` };
    const match = findMatch(input, [f.get('original-mail-from') ?? '']);
    const named = [typedAddress(f.get('original-rcpt-to'))].filter((a): a is string => !!a);
    return { type: 'complaint', feedbackType, occurredAt: isoDate(f.get('arrival-date') ?? f.get('received-date')) ?? isoDate(header(input.headers, 'date')), namedRecipients: named, match, reportId };
  }
  if (reportType === 'delivery-status' || dsnPart) {
    if (!dsnPart) return { type: 'unreadable', reason: 'no_recipient_status', detail: 'multipart/report of type delivery-status without a message/delivery-status part' };
    return dsnVerdict(input, dsnPart.content, reportId);
  }
  const subject = header(input.headers, 'subject') ?? '';
  const from = header(input.headers, 'from') ?? '';
  const failed = header(input.headers, 'x-failed-recipients');
  if (failed || DAEMON_FROM.test(from) || BOUNCE_SUBJECT.test(subject)) return textVerdict(input, failed, reportId);
  if (isAutoReply(input.headers)) return { type: 'ignore', reason: 'auto_reply', detail: `auto-reply: ${subject.slice(0, 80)}` };
  return { type: 'unreadable', reason: 'not_a_report', detail: `neither a bounce, a complaint nor an auto-reply (subject "${subject.slice(0, 80)}")` };
}

/** RFC 3834 Auto-Submitted (any value but "no"), the common vendor headers, or a vacation-style subject. */
export function isAutoReply(headers: ReportHeader[]): boolean {
  const auto = header(headers, 'auto-submitted');
  if (auto && !/^\s*no\b/i.test(auto)) return true;
  if (header(headers, 'x-autoreply') || header(headers, 'x-autorespond') || header(headers, 'x-autoresponse')) return true;
  if (/^\s*auto[_-]?reply/i.test(header(headers, 'precedence') ?? '')) return true;
  return AUTO_REPLY_SUBJECT.test(header(headers, 'subject') ?? '');
}

function dsnVerdict(input: ReportInput, body: string, reportId: string | null): ReportVerdict {
  const { perMessage, recipients } = statusGroups(body);
  if (recipients.length === 0) return { type: 'unreadable', reason: 'no_recipient_status', detail: 'delivery-status part without a per-recipient group' };
  const actions = recipients.map((r) => (r.get('action') ?? '').toLowerCase().trim());
  const failedAt = actions.findIndex((a) => a === 'failed');
  const match = findMatch(input, [perMessage.get('x-postfix-sender') ?? '']);
  const named = recipients.flatMap((r) => [typedAddress(r.get('final-recipient')), typedAddress(r.get('original-recipient'))]).filter((a): a is string => !!a);
  if (failedAt < 0) {
    if (actions.includes('delayed')) return { type: 'ignore', reason: 'delayed', detail: 'Action: delayed' };
    return { type: 'ignore', reason: 'delivered', detail: `Action: ${actions.join(', ') || '(none)'}` };
  }
  const r = recipients[failedAt]!;
  const diagnostic = r.get('diagnostic-code')?.replace(/^\s*smtp\s*;\s*/i, '') ?? null;
  const status = enhancedStatus(r.get('status') ?? '') ?? enhancedStatus(diagnostic);
  if (!status) return { type: 'unreadable', reason: 'no_status', detail: `Action: failed without a readable Status ("${(r.get('status') ?? '').slice(0, 40)}")` };
  const meaning = classifyReply({ stage: 'dsn', code: null, enhanced: status, text: diagnostic });
  const kind = meaning.outcome === 'hard_bounce' ? 'hard_bounce' : 'soft_bounce';
  const occurredAt = isoDate(r.get('last-attempt-date')) ?? isoDate(perMessage.get('arrival-date')) ?? isoDate(header(input.headers, 'date'));
  return { type: 'bounce', kind, status, diagnostic, occurredAt, namedRecipients: [...new Set(named)], form: 'dsn', match, reportId };
}

/**
 * A human-readable bounce: the SMTP reply quoted in the text decides, by the same rule as the send path
 * (a reply at RCPT); a permanent reply whose words say the mailbox does not exist is hard even without an
 * enhanced code (Yahoo's "554 delivery error: dd This user doesn't have a … account").
 */
function textVerdict(input: ReportInput, failedHeader: string | null, reportId: string | null): ReportVerdict {
  const text = input.text.replace(/\r\n/g, '\n');
  const match = findMatch(input, [], true);
  const named = (failedHeader ?? '').split(',').map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase()).filter((a) => a.includes('@'));
  const date = isoDate(header(input.headers, 'date'));
  // "550 5.1.1 …", "550-5.1.1 …", "#5.1.1", "Remote Server returned '550 5.1.10 …'"
  const withEnhanced = /\b([245]\d\d)[ -]#?([245]\.\d{1,3}\.\d{1,3})\b[^\n]*/.exec(text) ?? /#([245]\.\d{1,3}\.\d{1,3})\b[^\n]*/.exec(text);
  const plain = /\b([45]\d\d)[ -](?![\d.])[^\n]*/.exec(text);
  const line = (withEnhanced ?? plain)?.[0] ?? null;
  if (!line) {
    if (/\b(delay(ed)?|will (retry|keep trying)|still trying|not yet been delivered)\b/i.test(text)) return { type: 'ignore', reason: 'delayed', detail: 'delay notice' };
    return { type: 'unreadable', reason: 'no_status', detail: 'bounce text without an SMTP reply code' };
  }
  const status = enhancedStatus(line.replace(/#/, '')) ?? (withEnhanced?.[2] ?? null);
  const code = replyCode(line);
  const diagnostic = line.trim().slice(0, 500);
  const meaning = classifyReply({ stage: 'rcpt', code, enhanced: status, text: line });
  let kind: 'hard_bounce' | 'soft_bounce' = meaning.outcome === 'hard_bounce' ? 'hard_bounce' : 'soft_bounce';
  const permanent = code !== null ? code >= 500 : status?.startsWith('5.') ?? PERMANENT_WORDS.test(text);
  if (kind === 'soft_bounce' && permanent && (status === null || status === '5.0.0') && UNKNOWN_MAILBOX.test(line)) kind = 'hard_bounce';
  if (/\b(delay(ed)?|will (retry|keep trying)|still trying)\b/i.test(text) && code !== null && code < 500) {
    return { type: 'ignore', reason: 'delayed', detail: 'delay notice' };
  }
  return { type: 'bounce', kind, status, diagnostic, occurredAt: date, namedRecipients: named, form: 'text', match, reportId };
}
