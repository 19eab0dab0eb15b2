/**
 * Sending through an SMTP server with nodemailer (pooled connections, TLS and auth from the URL, optional DKIM).
 * Each message goes out with its own VERP envelope sender and its fixed Message-ID, so a retry is the same
 * message. Refusals become `TransportError`: permanent for 5xx replies, temporary for 4xx and connection trouble.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, OutgoingMessage, SendResult } from './message.js';
import { TransportError } from './message.js';
import { mailOptions } from './outbox.js';

/** DKIM signing key. The signature covers From, Subject, Date, Message-ID, List-Unsubscribe(-Post), List-Id… */
export interface DkimOptions {
  domainName: string;
  keySelector: string;
  /** PEM private key (RSA or Ed25519). */
  privateKey: string;
}

export interface SmtpMailerOptions {
  dkim?: DkimOptions;
  /** Pooled connections at most (default 5). */
  maxConnections?: number;
}

/** Headers DKIM signs: RFC 6376 5.4.1's list plus the List-* headers (RFC 8058 asks for both unsubscribe ones). */
export const DKIM_HEADER_FIELDS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'In-Reply-To', 'References', 'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post',
].join(':');

/**
 * A pooled SMTP `Mailer`.
 * @param url `smtp://user:pass@host:587` or `smtps://…:465`; nodemailer URL query options apply
 *   (e.g. `?ignoreTLS=true` for a local test server)
 * `send` returns `{ messageId, response }` with the server's final reply, or throws `TransportError`
 * (`permanent` when the reply code is 5xx; `response` the server's text, null without a reply).
 * @example const mailer = new SmtpMailer('smtp://relay.example:587', { dkim }); await mailer.send(message); await mailer.close()
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(url: string, options: SmtpMailerOptions = {}) {
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: options.maxConnections ?? 5,
      ...(options.dkim ? { dkim: { ...options.dkim, headerFieldNames: DKIM_HEADER_FIELDS } } : {}),
    });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const options = mailOptions(message);
    let info: { response?: string; rejected?: unknown[] };
    try {
      info = (await this.transport.sendMail(options)) as typeof info;
    } catch (e) {
      throw toTransportError(e);
    }
    const response = info.response ?? '';
    if (Array.isArray(info.rejected) && info.rejected.length > 0) {
      throw new TransportError(`recipient refused: ${response}`, /^5/.test(response), response || null);
    }
    return { messageId: message.messageId, response };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Maps a nodemailer error to a TransportError: 5xx is permanent; 4xx, timeouts and socket errors are not. */
function toTransportError(e: unknown): TransportError {
  const err = e as { message?: string; responseCode?: number; response?: string; code?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  const permanent = code !== null && code >= 500;
  const response = err.response ?? null;
  const what = code !== null ? `SMTP ${code}` : (err.code ?? 'SMTP error');
  const error = new TransportError(`${what}: ${response ?? err.message ?? String(e)}`, permanent, response);
  (error as Error).cause = e;
  return error;
}
