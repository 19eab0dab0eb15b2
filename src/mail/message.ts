import type { NetworkFailure, SmtpStage } from '../core/smtp-status.js';

/**
 * The shapes that pass between composing and sending: an outgoing message and the small `Mailer` interface
 * every transport (built-in outbox, SMTP) implements.
 */

export interface OutgoingMessage {
  /** "Name <address>" or a bare address. */
  from: string;
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  /** Message-ID without angle brackets, fixed before sending so that a retry is the same message. */
  messageId: string;
  /** Envelope sender (MAIL FROM), a VERP address that names the delivery for bounce handling. */
  envelopeFrom: string;
  /** Extra headers, e.g. List-Unsubscribe, List-Unsubscribe-Post, List-Id. */
  headers: Record<string, string>;
}

export interface SendResult {
  messageId: string;
  /** The server's final reply ("250 2.0.0 Ok: queued as …") or the outbox file written. */
  response: string;
}

/** A transport. `send` throws `TransportError` for a refused message, with `permanent` set for 5xx. */
export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
  /** Messages it can carry at the same time (an SMTP pool's connections); 1 when absent. */
  readonly connections?: number;
  /** The relay it sends through, as host:port without credentials (pacing budgets are kept per relay). */
  readonly relay?: string;
  /** The domain it signs for with DKIM (d=); absent when it does not sign. */
  readonly dkimDomain?: string;
}

/** Where an SMTP refusal came and what it was, for core/smtp-status.ts `classifyReply`. */
export interface RefusalDetail {
  stage: SmtpStage;
  /** Basic reply code, or null when there was no reply. */
  code: number | null;
  network: NetworkFailure | null;
}

/** A send that failed; `permanent` means 5xx (hard), otherwise 4xx or a connection problem (retry). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly response: string | null,
    readonly detail: RefusalDetail | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
