/**
 * IMAP polling of a bounce mailbox (imapflow): every `pollMs` the messages not yet handled are fetched one by one,
 * handed to the caller, and marked handled (the keyword `$ConsentryHandled` where the server allows keywords, and
 * \Seen) only after the caller returns, so a crash or a database error means the message is read again, never lost
 * (recording is idempotent per report). A dropped connection is logged and opened again at the next poll.
 */
import type { ImapFlow } from 'imapflow';
import type { EventLog } from '../services/events/mail-reports.js';

export const HANDLED_KEYWORD = '$ConsentryHandled';

export interface BouncePollerOptions {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  pollMs: number;
  /** Larger messages are fetched only up to this size and handed over with their declared size. */
  maxBytes: number;
  /** One message; `declaredSize` is set when only the first `maxBytes` were fetched. A throw leaves it unhandled. */
  handle(raw: Buffer, declaredSize?: number): Promise<void>;
  log: EventLog;
}

export interface BouncePoller {
  /** Runs one poll now (also what the timer does). @returns messages handled */
  pollNow(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts polling at once and then every `pollMs`. */
export function startBouncePoller(o: BouncePollerOptions): BouncePoller {
  let client: ImapFlow | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<number> = Promise.resolve(0);

  const connect = async (): Promise<ImapFlow> => {
    if (client?.usable) return client;
    // Loaded when first needed: every server and command process would otherwise hold it (issue 11, memory).
    const imap = await import('imapflow');
    const c = new imap.ImapFlow({ host: o.host, port: o.port, secure: o.secure, auth: { user: o.user, pass: o.password }, logger: false, disableAutoIdle: true });
    c.on('error', (err: Error) => o.log.warn({ route: 'imap', reason: 'connection_error', error: err.message }, 'bounce mailbox connection error'));
    c.on('close', () => {
      if (client === c) client = null;
    });
    await c.connect();
    client = c;
    return c;
  };

  const poll = async (): Promise<number> => {
    let handled = 0;
    try {
      const c = await connect();
      const lock = await c.getMailboxLock(o.mailbox);
      try {
        await c.noop(); // an open mailbox learns of new messages (EXISTS) only by a command
        const mailbox = c.mailbox === false ? null : c.mailbox;
        const keywords = mailbox?.permanentFlags?.has('\\*') ?? false;
        // Flags of every message, then the unhandled ones (UNKEYWORD search is not reliable across servers).
        const todo: Array<{ uid: number; size: number }> = [];
        if ((mailbox?.exists ?? 0) > 0) {
          for await (const m of c.fetch('1:*', { uid: true, flags: true, size: true })) {
            const done = keywords ? m.flags?.has(HANDLED_KEYWORD) : m.flags?.has('\\Seen');
            if (!done) todo.push({ uid: m.uid, size: m.size ?? 0 });
          }
        }
        for (const { uid, size } of todo) {
          if (stopped) break;
          const msg = await c.fetchOne(String(uid), { source: size > o.maxBytes ? { maxLength: o.maxBytes } : true }, { uid: true });
          if (!msg || !msg.source) continue;
          await o.handle(msg.source, size > o.maxBytes ? size : undefined);
          await c.messageFlagsAdd(String(uid), keywords ? [HANDLED_KEYWORD, '\\Seen'] : ['\\Seen'], { uid: true });
          handled++;
        }
        if (handled > 0) o.log.info({ route: 'imap', handled, uidValidity: String(mailbox?.uidValidity ?? '') }, 'bounce mailbox read');
      } finally {
        lock.release();
      }
    } catch (err) {
      o.log.warn({ route: 'imap', reason: 'poll_failed', error: (err as Error).message }, 'bounce mailbox poll failed; trying again at the next poll');
      const c = client;
      client = null;
      c?.close();
    }
    return handled;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = current.then(poll, poll);
      void current.finally(schedule);
    }, o.pollMs);
  };
  current = poll().finally(schedule);

  return {
    pollNow: () => {
      current = current.then(poll, poll);
      return current;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.catch(() => 0);
      const c = client;
      client = null;
      if (c?.usable) await c.logout().catch(() => c.close());
    },
  };
}
