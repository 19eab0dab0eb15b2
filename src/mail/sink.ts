/**
 * A small SMTP server that keeps every message it receives in memory, for the demo and the end-to-end tests
 * (a real SMTP conversation, on 127.0.0.1 only).
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { ParsedMail } from 'mailparser';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM). */
  mailFrom: string;
  rcptTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> */
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` messages in all have arrived. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts the sink on a free port of 127.0.0.1. */
export async function startSmtpSink(): Promise<SmtpSink> {
  // Loaded when first needed: every server and command process would otherwise hold it (issue 11, memory).
  const { simpleParser } = await import('mailparser');
  const received: ReceivedMail[] = [];
  const events = new EventEmitter();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom;
            received.push({ mailFrom: from ? from.address : '', rcptTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            events.emit('mail');
            callback(null, `Ok: queued as SINK${received.length}`);
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (received.length >= count) {
            events.off('mail', check);
            resolve(received.slice(0, count));
          }
        };
        events.on('mail', check);
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
