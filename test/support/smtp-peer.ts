/**
 * A real SMTP peer (smtp-server, in-process on 127.0.0.1) whose answers a test decides: refuse at AUTH, MAIL
 * FROM, RCPT or after DATA, hang after DATA, or throttle. It counts what it accepted per recipient without
 * parsing messages, so thousands of them stay cheap.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** A refusal: the reply code and text (the text may start with an enhanced status, "5.7.1 …"). */
export interface Refusal {
  code: number;
  text: string;
}

export interface PeerRules {
  /** Require AUTH; refuse it with this reply when set. */
  auth?: () => Refusal | null;
  mailFrom?: (from: string) => Refusal | null;
  rcpt?: (to: string) => Refusal | null;
  /** After the message: a refusal, 'hang' (never answer), or null to accept. */
  data?: (to: string) => Refusal | 'hang' | null;
}

export interface SmtpPeer {
  url: string;
  rules: PeerRules;
  /** Accepted messages per recipient address. */
  accepted: Map<string, number>;
  /** Total accepted. */
  total(): number;
  /** Replies refused, by code. */
  refused: Map<number, number>;
  /** Messages left hanging after DATA. */
  hung: number;
  close(): Promise<void>;
}

const refuse = (r: Refusal) => Object.assign(new Error(r.text), { responseCode: r.code });

/** Starts a peer on a free port of 127.0.0.1. `rules` can be changed while it runs (fix the peer). */
export async function startPeer(rules: PeerRules = {}): Promise<SmtpPeer> {
  const accepted = new Map<string, number>();
  const refused = new Map<number, number>();
  const note = (r: Refusal) => refused.set(r.code, (refused.get(r.code) ?? 0) + 1);
  const peer: SmtpPeer = {
    url: '',
    rules,
    accepted,
    refused,
    hung: 0,
    total: () => [...accepted.values()].reduce((a, b) => a + b, 0),
    close: async () => {},
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(_auth, _session, cb) {
      const r = peer.rules.auth?.() ?? null;
      if (r) {
        note(r);
        return cb(refuse(r));
      }
      cb(null, { user: 'relay-user' });
    },
    onMailFrom(address, _session, cb) {
      const r = peer.rules.mailFrom?.(address.address) ?? null;
      if (r) note(r);
      cb(r ? refuse(r) : undefined);
    },
    onRcptTo(address, _session, cb) {
      const r = peer.rules.rcpt?.(address.address) ?? null;
      if (r) note(r);
      cb(r ? refuse(r) : undefined);
    },
    onData(stream, session: SMTPServerSession, cb) {
      stream.on('data', () => {});
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const r = peer.rules.data?.(to[0]!) ?? null;
        if (r === 'hang') {
          peer.hung++;
          return;
        }
        if (r) {
          note(r);
          return cb(refuse(r));
        }
        for (const a of to) accepted.set(a, (accepted.get(a) ?? 0) + 1);
        cb(null, 'Ok: queued');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  peer.url = `smtp://relay-user:relay-pass@127.0.0.1:${port}`;
  peer.close = () => new Promise((resolve) => server.close(() => resolve()));
  return peer;
}
