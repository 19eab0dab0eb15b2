/** Fills the sample reports in test/fixtures/bounces/ with a delivery's VERP address, Message-ID and recipient. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'bounces');

export interface ReportFor {
  verp: string;
  messageId: string;
  rcpt: string;
  other?: string;
}

/** The VERP envelope sender the send path gives a delivery (services/campaigns/send.ts). */
export const verpOf = (deliveryId: string, domain = 'deboon.example') => `bounces+d-${deliveryId.replace(/-/g, '').slice(0, 24)}@${domain}`;

/** A fixture with its placeholders filled in and CRLF line ends, as it travels by SMTP. */
export function report(name: string, r: ReportFor): Buffer {
  const text = readFileSync(join(DIR, name), 'utf8')
    .replaceAll('%VERP%', r.verp)
    .replaceAll('%MSGID%', r.messageId)
    .replaceAll('%RCPT%', r.rcpt)
    .replaceAll('%OTHER%', r.other ?? 'iemand.anders@example.nl');
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'));
}
