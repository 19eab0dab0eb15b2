/**
 * Sending through an SMTP server with nodemailer (pooled connections, TLS and auth from the URL, optional DKIM).
 * Each message is built once (`buildMime`), signed by `DkimSigner` when a key is set, and handed to the pool as
 * raw bytes (issue 11: nodemailer's streamed build and synchronous signing were most of a send's CPU).
 * Each message goes out with its own VERP envelope sender and its fixed Message-ID, so a retry is the same
 * message. Refusals become `TransportError` with where they came (connect, greeting, AUTH, MAIL FROM, RCPT,
 * DATA, after the message) and the reply code, which core/smtp-status.ts turns into hard bounce, soft bounce,
 * relay failure, throttle or deferred. Connection, greeting and socket timeouts are always set, so a relay that
 * stops answering frees the worker long before its lease on the delivery ends.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { NetworkFailure, SmtpStage } from '../core/smtp-status.js';
import type { Mailer, OutgoingMessage, SendResult } from './message.js';
import { TransportError } from './message.js';
import { DkimSigner } from './dkim.js';
import { buildMime } from './mime.js';
import { mailOptions } from './outbox.js';

/** DKIM signing key. The signature covers From, Subject, Date, Message-ID, List-Unsubscribe(-Post), List-Id… */
export interface DkimOptions {
  domainName: string;
  keySelector: string;
  /** PEM private key, RSA (signed as rsa-sha256; `SmtpMailer` refuses another kind). */
  privateKey: string;
}

/** SMTP timeouts in ms (nodemailer's connectionTimeout, greetingTimeout, socketTimeout). */
export interface SmtpTimeouts {
  /** To open the TCP (and TLS) connection; default 20 s. */
  connectionMs: number;
  /** For the server's greeting once connected; default 20 s. */
  greetingMs: number;
  /** Of silence on an open connection (e.g. no reply after DATA); default 30 s. */
  socketMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 20_000, greetingMs: 20_000, socketMs: 30_000 };

/**
 * The longest one SMTP transaction can take with these timeouts: connect, greeting, and silence before each of
 * EHLO/AUTH, MAIL FROM, RCPT TO, DATA and the final reply. A worker starts a transaction only when its lease
 * lasts longer than this.
 */
export const transactionLimitMs = (t: SmtpTimeouts) => t.connectionMs + t.greetingMs + 5 * t.socketMs;

export interface SmtpMailerOptions {
  dkim?: DkimOptions;
  /** Headers added to every message for this relay; default `relayHeaders(host of the URL)`. */
  relayHeaders?: Record<string, string>;
  /** Pooled connections at most (default 5). */
  maxConnections?: number;
  timeouts?: Partial<SmtpTimeouts>;
}

/**
 * Headers a relay service needs on every message to report bounces and complaints with the message's own
 * Message-ID, so a report matches its delivery: Postmark replaces the Message-ID unless `X-PM-KeepID: true`.
 * @param host the relay's host name, e.g. "smtp.postmarkapp.com"
 * @returns the headers to add (none for other relays)
 */
export function relayHeaders(host: string): Record<string, string> {
  return /(^|\.)postmarkapp\.com$/i.test(host) ? { 'X-PM-KeepID': 'true' } : {};
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
 * `send` returns `{ messageId, response }` with the server's final reply, or throws `TransportError` with
 * `detail` (stage, code, network failure) and `response` (the server's text, null without a reply).
 * @example const mailer = new SmtpMailer('smtp://relay.example:587', { dkim }); await mailer.send(message); await mailer.close()
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  readonly connections: number;
  readonly relay: string;
  private readonly extraHeaders: Record<string, string>;
  readonly dkimDomain?: string;
  private readonly signer: DkimSigner | null;

  /** @throws Error for a DKIM key that is not an RSA private key */
  constructor(url: string, options: SmtpMailerOptions = {}) {
    const t = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts };
    this.connections = options.maxConnections ?? 5;
    const u = new URL(url);
    this.relay = `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
    this.extraHeaders = options.relayHeaders ?? relayHeaders(u.hostname);
    if (options.dkim) this.dkimDomain = options.dkim.domainName;
    this.signer = options.dkim ? new DkimSigner(options.dkim, DKIM_HEADER_FIELDS) : null;
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: this.connections,
      // Many messages per connection: a new connection per 100 messages (nodemailer's default) costs a
      // handshake each time for nothing.
      maxMessages: 10_000,
      connectionTimeout: t.connectionMs,
      greetingTimeout: t.greetingMs,
      socketTimeout: t.socketMs,
    });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const options = mailOptions({ ...message, headers: { ...this.extraHeaders, ...message.headers } });
    const built = await buildMime(options);
    const raw = this.signer ? await this.signer.sign(built) : built;
    let info: { response?: string; rejected?: unknown[]; rejectedErrors?: unknown[] };
    try {
      info = (await this.transport.sendMail({ raw, envelope: options.envelope })) as typeof info;
    } catch (e) {
      throw toTransportError(e);
    }
    const response = info.response ?? '';
    if (Array.isArray(info.rejected) && info.rejected.length > 0) {
      // One recipient per message: a rejected recipient means nothing was delivered.
      throw toTransportError(info.rejectedErrors?.[0] ?? { response, responseCode: Number(response.slice(0, 3)) || undefined, command: 'RCPT TO' });
    }
    return { messageId: message.messageId, response };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** nodemailer's command names → transaction stages. */
function stageOf(command: string | undefined, hasReply: boolean): SmtpStage {
  if (!command) return 'connect';
  if (command === 'CONN') return hasReply ? 'greeting' : 'connect';
  if (command.startsWith('AUTH')) return 'auth';
  if (command === 'EHLO' || command === 'HELO' || command === 'LHLO') return 'ehlo';
  if (command === 'STARTTLS') return 'starttls';
  if (command === 'MAIL FROM') return 'mail';
  if (command === 'RCPT TO') return 'rcpt';
  if (command === 'DATA') return 'data';
  return 'message';
}

/** A failure without a reply: what kind, from the system error code. */
function networkOf(code: string | undefined, original: string | undefined, hasReply: boolean): NetworkFailure | null {
  if (hasReply) return null;
  const c = original ?? code ?? '';
  if (code === 'ETIMEDOUT' || c === 'ETIMEDOUT') return 'timeout';
  if (c === 'ECONNREFUSED' || c === 'EHOSTUNREACH' || c === 'ENETUNREACH') return 'refused';
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN' || code === 'EDNS') return 'dns';
  if (code === 'ETLS' || /^ERR_TLS|^ERR_SSL|CERT/.test(c)) return 'tls';
  if (code === 'EAUTH') return 'refused';
  return 'reset';
}

/** Maps a nodemailer error to a TransportError with its stage, reply code and network failure. */
function toTransportError(e: unknown): TransportError {
  const err = e as { message?: string; responseCode?: number; response?: string; code?: string; originalCode?: string; command?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : null;
  const response = err.response ?? null;
  const detail = { stage: stageOf(err.command, code !== null), code, network: networkOf(err.code, err.originalCode, code !== null) };
  const what = code !== null ? `SMTP ${code}` : (err.code ?? 'SMTP error');
  const error = new TransportError(`${what} at ${detail.stage}: ${response ?? err.message ?? String(e)}`, code !== null && code >= 500, response, detail);
  (error as Error).cause = e;
  return error;
}
