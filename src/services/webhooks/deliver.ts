/**
 * The webhook worker: delivers due messages of the outbox (`webhook_messages`), signed per endpoint (core
 * signWebhook), and records each attempt's answer. 2xx is delivered; anything else (another status, a timeout,
 * a refused connection, a redirect — never followed) is tried again on the Standard Webhooks schedule
 * (RETRY_DELAYS_MS) and given up after the last attempt (`failed`).
 *
 * A slow or silent receiver cannot hold up sending: this runs as its own job (server.ts), each request has a
 * deadline (default 10 s) and a round sends at most `concurrency` messages at once.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, isPrivateAddress, nextAttemptAt, RETRY_DELAYS_MS, signWebhook } from '../../core/webhooks.js';
import { contactById } from '../../store/contacts.js';
import { claimWebhookMessage, dueWebhookMessages, updateWebhookMessage, webhookEndpointById } from '../../store/webhooks.js';
import type { WebhookMessageRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import type { WebhookTargetPolicy } from './endpoints.js';

export interface WebhookWorkerOptions extends WebhookTargetPolicy {
  /** Deadline of one request, ms (default 10,000). */
  timeoutMs?: number;
  /** Messages sent at once in a round (default 4). */
  concurrency?: number;
  /** Waits after failed attempts, ms (default RETRY_DELAYS_MS). */
  delays?: readonly number[];
}

export interface WebhookRound {
  attempted: number;
  delivered: number;
  retried: number;
  failed: number;
}

type Answer = { status: number; body: string } | { error: string };

const MAX_BODY = 500;

/** A DNS lookup that refuses private addresses, so the check holds for the address actually connected to. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const inside = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (inside) return callback(new Error(`${hostname} resolves to ${inside.address}, a private address`), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * POSTs one body and reads the start of the answer.
 * @returns the status and the first 500 characters of the body, or why there was no answer
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<Answer> {
  const checked = checkWebhookUrl(url, opts.allowPrivate);
  if (!checked.ok) return Promise.resolve({ error: checked.error });
  const target = checked.url;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve) => {
    let done = false;
    const finish = (a: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Consentry-Webhooks/1' },
        lookup: guardedLookup(opts.allowPrivate),
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const end = () => {
          const text = Buffer.concat(chunks).toString('utf8').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').slice(0, MAX_BODY);
          finish({ status: res.statusCode ?? 0, body: text });
          res.destroy();
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          size += c.length;
          if (size >= MAX_BODY * 4) end();
        });
        res.on('end', end);
        res.on('error', end);
      },
    );
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err) => finish({ error: err.message.slice(0, MAX_BODY) }));
    req.end(body);
  });
}

/** The body of a message: `{ type, timestamp, data }`, the address added while the contact exists. */
async function bodyOf(deps: Data, m: WebhookMessageRow): Promise<string> {
  const data = JSON.parse(m.data) as Record<string, unknown>;
  if (m.contact_id && m.event_type !== 'contact.erased') {
    const c = await contactById(deps.db, m.contact_id);
    data.email = c ? c.email : null;
  }
  return JSON.stringify({ type: m.event_type, timestamp: m.occurred_at, data });
}

/** Sends one claimed message and records the outcome. */
async function attempt(deps: Data & Pick<Deps, 'clock'>, m: WebhookMessageRow, opts: Required<WebhookWorkerOptions>): Promise<'delivered' | 'retried' | 'failed'> {
  const endpoint = await webhookEndpointById(deps.db, m.endpoint_id);
  if (!endpoint) return 'failed'; // removed meanwhile; its messages went with it
  const body = await bodyOf(deps, m);
  const started = deps.clock.now();
  const timestamp = Math.floor(started.getTime() / 1000);
  const headers = { 'webhook-id': m.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(endpoint.secret, m.id, timestamp, body) };
  const answer = await postWebhook(endpoint.url, headers, body, opts);
  const now = deps.clock.now();
  const attempts = m.attempts + 1;
  const ok = 'status' in answer && answer.status >= 200 && answer.status < 300;
  const next = ok ? null : nextAttemptAt(attempts, now, opts.delays);
  const state = ok ? 'delivered' : next ? 'pending' : 'failed';
  await updateWebhookMessage(deps.db, m.id, {
    state,
    attempts,
    next_attempt_at: next?.toISOString() ?? null,
    lease_until: null,
    last_attempt_at: started.toISOString(),
    last_status: 'status' in answer ? answer.status : null,
    last_response: 'status' in answer ? answer.body : null,
    last_error: 'error' in answer ? answer.error : null,
    delivered_at: ok ? now.toISOString() : null,
  });
  return ok ? 'delivered' : next ? 'retried' : 'failed';
}

/**
 * One round: claims up to `concurrency` due messages and sends them at once.
 * @returns counts of what happened; `attempted` 0 means nothing was due
 */
export async function deliverDueWebhooks(deps: Data & Pick<Deps, 'clock'>, options: WebhookWorkerOptions): Promise<WebhookRound> {
  const opts: Required<WebhookWorkerOptions> = { timeoutMs: 10_000, concurrency: 4, delays: RETRY_DELAYS_MS, ...options };
  const now = deps.clock.now();
  const lease = new Date(now.getTime() + opts.timeoutMs + 60_000).toISOString();
  const claimed: WebhookMessageRow[] = [];
  for (const id of await dueWebhookMessages(deps.db, now.toISOString(), opts.concurrency)) {
    const m = await claimWebhookMessage(deps.db, id, now.toISOString(), lease);
    if (m) claimed.push(m);
  }
  const outcomes = await Promise.all(claimed.map((m) => attempt(deps, m, opts)));
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  return { attempted: claimed.length, delivered: count('delivered'), retried: count('retried'), failed: count('failed') };
}
