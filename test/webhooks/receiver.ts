/**
 * A webhook receiver for tests: a real node:http server on 127.0.0.1 that records each request and answers as the
 * test says — a status and body, or `hold` (no answer until `release()`).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export type Answer = { status: number; body?: string } | 'hold';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests held open, not answered yet. */
  held(): number;
  /** Answers every held request with 200. */
  release(): void;
  close(): Promise<void>;
}

/** Starts a receiver; `answer(n)` decides the answer to the n-th request (0-based). */
export async function startReceiver(answer: (n: number) => Answer): Promise<Receiver> {
  const received: Received[] = [];
  const holding: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answer(n);
      if (a === 'hold') holding.push(res);
      else res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/consentry`,
    received,
    held: () => holding.filter((r) => !r.writableEnded).length,
    release: () => {
      for (const r of holding.splice(0)) if (!r.destroyed) r.writeHead(200).end('ok');
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `cond` every 10 ms until it holds; fails after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
