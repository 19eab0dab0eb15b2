/**
 * Reads a message that came back (a bounce, a complaint, an auto-reply) into the plain data the core
 * classifier takes (core/mail-report.ts). MIME is parsed by postal-mime, which keeps report parts
 * (message/delivery-status, message/feedback-report) as parts; the original message is kept as an attachment
 * so its headers (Message-ID, Return-Path) stay readable.
 */
import PostalMime from 'postal-mime';
import type { ReportInput } from '../core/mail-report.js';

const REPORT_TYPES = ['message/delivery-status', 'message/global-delivery-status', 'message/feedback-report'];

/**
 * @param raw the whole message as received
 * @param envelopeRecipients where it was delivered: the SMTP RCPT TO addresses; for a mailbox read by IMAP
 *   pass [] and the Delivered-To, X-Original-To and To headers are used
 * @throws Error from the MIME parser for a message it cannot read (nesting, header size)
 */
export async function readReport(raw: Buffer | string, envelopeRecipients: string[] = []): Promise<ReportInput> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8', forceRfc822Attachments: true, maxNestingDepth: 20 });
  const headers = email.headers.map((h) => ({ key: h.key, value: h.value }));
  const recipients = envelopeRecipients.length > 0
    ? envelopeRecipients
    : headers.filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to' || h.key === 'to' || h.key === 'envelope-to').map((h) => h.value);
  return {
    headers,
    text: email.text ?? '',
    parts: email.attachments.map((a) => ({ mimeType: a.mimeType.toLowerCase(), content: typeof a.content === 'string' ? a.content : Buffer.from(a.content as ArrayBuffer).toString('utf8') })),
    encodedReportParts: encodedReportParts(typeof raw === 'string' ? raw : raw.toString('latin1')),
    envelopeRecipients: recipients,
  };
}

/**
 * MIME types of report parts whose part header says base64 or quoted-printable. postal-mime decodes such parts
 * silently; RFC 3464 2.1 and RFC 5965 say they MUST be 7bit, so the classifier keeps such a report for review.
 */
function encodedReportParts(raw: string): string[] {
  const found = new Set<string>();
  // Every header block that follows a boundary line: "--boundary\r\nContent-Type: …\r\n…\r\n\r\n".
  for (const m of raw.matchAll(/\n--[^\r\n]+\r?\n((?:[^\r\n]+\r?\n)+?)\r?\n/g)) {
    const block = m[1]!.replace(/\r?\n[ \t]+/g, ' ');
    const type = /^content-type:\s*([^;\s]+)/im.exec(block)?.[1]?.toLowerCase();
    const cte = /^content-transfer-encoding:\s*([^\s;]+)/im.exec(block)?.[1]?.toLowerCase();
    if (type && REPORT_TYPES.includes(type) && cte && cte !== '7bit' && cte !== '8bit') found.add(type);
  }
  return [...found];
}
