/**
 * The SMTP receiver for the bounce domain (smtp-server): takes mail only for recipients the caller accepts (the
 * VERP addresses of deliveries that exist), at most `maxBytes` a message and `perMinute` messages a minute from
 * one client address, and hands each accepted message to the caller. No AUTH, no relaying: it is the end
 * point for mail to `bounces+…@<bounce domain>`.
 */
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface BounceReceiverOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Name in the greeting. */
  hostname: string;
  /** Largest message, bytes; announced with SIZE and refused with 552 beyond it. */
  maxBytes: number;
  /** Messages a minute from one client address; more are answered 451 4.7.1 (try later). */
  perMinute: number;
  /** Whether to take mail for this RCPT TO address; a refusal is answered 550 5.1.1. */
  accepts(address: string): Promise<boolean>;
  /** One accepted message; a thrown error is answered 451 4.3.0 so the sender retries. */
  deliver(raw: Buffer, recipients: string[], remoteAddress: string): Promise<void>;
  /** Refusals with their reason (no addresses). */
  onRefusal?(reason: string, remoteAddress: string): void;
}

export interface BounceReceiver {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Starts the receiver. @throws Error when the port cannot be bound */
export async function startBounceReceiver(o: BounceReceiverOptions): Promise<BounceReceiver> {
  const recent = new Map<string, number[]>();
  const refuse = (reason: string, session: SMTPServerSession) => o.onRefusal?.(reason, session.remoteAddress);
  const server = new SMTPServer({
    name: o.hostname,
    banner: 'Consentry bounce receiver',
    size: o.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const now = Date.now();
      const times = (recent.get(session.remoteAddress) ?? []).filter((t) => now - t < 60_000);
      if (times.length >= o.perMinute) {
        refuse('rate_limit', session);
        return cb(smtpError(451, '4.7.1 Too many messages from your address; try again later'));
      }
      times.push(now);
      recent.set(session.remoteAddress, times);
      if (recent.size > 10_000) for (const [k, v] of recent) if (v.every((t) => now - t >= 60_000)) recent.delete(k);
      cb();
    },
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      o.accepts(address.address).then(
        (ok) => {
          if (ok) return cb();
          refuse('unknown_recipient', session);
          cb(smtpError(550, '5.1.1 No such delivery here'));
        },
        () => cb(smtpError(451, '4.3.0 Temporary failure; try again later')),
      );
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= o.maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > o.maxBytes) {
          refuse('too_large', session);
          return cb(smtpError(552, `5.3.4 Message too big; the limit is ${o.maxBytes} bytes`));
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        o.deliver(Buffer.concat(chunks), recipients, session.remoteAddress).then(
          () => cb(),
          () => cb(smtpError(451, '4.3.0 Temporary failure; try again later')),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => {}); // a client's broken connection must not end the process
  const port = (server.server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
