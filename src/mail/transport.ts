/**
 * Chooses the transport at start-up: SMTP when a server URL is configured, else the built-in outbox.
 */
import type { Mailer } from './message.js';
import { OutboxMailer } from './outbox.js';
import { SmtpMailer, type DkimOptions, type SmtpTimeouts } from './smtp.js';

export interface MailerOptions {
  /** `smtp://…` or `smtps://…`; null means the built-in outbox. */
  smtpUrl: string | null;
  /** Folder of the outbox .eml files. */
  outboxDir: string;
  /** DKIM key; used with SMTP (outbox files are not signed). */
  dkim?: DkimOptions;
  /** SMTP pool size (default 5). */
  connections?: number;
  timeouts?: SmtpTimeouts;
}

/**
 * @returns an `SmtpMailer` when `smtpUrl` is set, else an `OutboxMailer` writing to `outboxDir`
 * @example const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: join(config.dataDir, 'outbox') })
 */
export function createMailer(opts: MailerOptions): Mailer {
  if (opts.smtpUrl) {
    return new SmtpMailer(opts.smtpUrl, {
      ...(opts.dkim && { dkim: opts.dkim }),
      ...(opts.connections && { maxConnections: opts.connections }),
      ...(opts.timeouts && { timeouts: opts.timeouts }),
    });
  }
  return new OutboxMailer(opts.outboxDir);
}
