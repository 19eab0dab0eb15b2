/**
 * Webhooks out, the pure part: the event types an operator can subscribe to, the signature in the style of the
 * Standard Webhooks specification (https://www.standardwebhooks.com, "Signature scheme"), the retry schedule, and
 * which target URLs and addresses are allowed.
 *
 * Signature: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, where
 * the key is the base64 part of the endpoint's secret `whsec_<base64>` and the timestamp is in Unix seconds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export const WEBHOOK_EVENTS = [
  'contact.confirmed',
  'contact.unsubscribed',
  'contact.erased',
  'delivery.bounced',
  'delivery.complained',
  'campaign.finished',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const isWebhookEvent = (v: unknown): v is WebhookEvent => (WEBHOOK_EVENTS as readonly unknown[]).includes(v);

/**
 * Waits after a failed attempt before the next, ms: the Standard Webhooks schedule (attempts at once, after
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). After the 8th failed attempt the message is given up ("failed").
 */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000];

/**
 * When to try again after `attempts` failed attempts, or null when that was the last one.
 * @param delays the schedule (default RETRY_DELAYS_MS); attempts allowed = delays.length + 1
 * @example nextAttemptAt(1, new Date('2026-01-01T00:00:00Z')) // → 2026-01-01T00:00:05Z
 */
export function nextAttemptAt(attempts: number, now: Date, delays: readonly number[] = RETRY_DELAYS_MS): Date | null {
  const d = delays[attempts - 1];
  return d === undefined ? null : new Date(now.getTime() + d);
}

/** The signing key inside a secret `whsec_<base64>`. @throws Error for a secret of another form */
function keyOf(secret: string): Buffer {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) throw new Error('a webhook secret looks like whsec_<base64>');
  return Buffer.from(m[1]!, 'base64');
}

/**
 * The `webhook-signature` header value for one message.
 * @param timestamp Unix seconds, as sent in `webhook-timestamp`
 * @example signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
 *   // → 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' (the specification's example)
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Whether one of the space-separated signatures in a `webhook-signature` header is right (what a receiver does). */
export function verifyWebhook(secret: string, id: string, timestamp: number, body: string, header: string): boolean {
  const want = Buffer.from(signWebhook(secret, id, timestamp, body));
  return header.split(' ').some((s) => s.length === want.length && timingSafeEqual(Buffer.from(s), want));
}

// Addresses a webhook must not reach unless the operator allows private targets: loopback, private networks
// (RFC 1918, RFC 4193), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, "this network",
// benchmarking, multicast and reserved ranges.
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

/**
 * Whether an IP address is loopback, private, link-local or otherwise not on the public internet.
 * @example isPrivateAddress('10.1.2.3') // → true; isPrivateAddress('::ffff:127.0.0.1') // → true; isPrivateAddress('93.184.216.34') // → false
 */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const v = isIP(ip);
  if (v === 0) return true;
  return PRIVATE.check(ip, v === 4 ? 'ipv4' : 'ipv6');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a webhook URL's form: https, or http only for localhost / 127.0.0.1 / [::1]; no user name or password
 * in it; at most 2,000 characters. An IP address written in the URL is checked here too; names are checked when
 * they resolve (services/webhooks).
 * @param allowPrivate allow loopback and private addresses (CONSENTRY_WEBHOOKS_ALLOW_PRIVATE)
 * @returns the normalised URL, or the reason it is refused
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  if (raw.length > 2000) return { ok: false, error: 'the URL is longer than 2,000 characters' };
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `"${raw}" is not a URL` };
  }
  if (url.username || url.password) return { ok: false, error: 'put no user name or password in the URL; verify the signature instead' };
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) return { ok: false, error: 'use https:// (http:// only for localhost)' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: 'use an https:// URL' };
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (url.hostname === 'localhost' || (isIP(literal) !== 0 && isPrivateAddress(literal)))) {
    return { ok: false, error: `${url.hostname} is a local or private address; set CONSENTRY_WEBHOOKS_ALLOW_PRIVATE=true to allow it` };
  }
  url.hash = '';
  return { ok: true, url };
}
