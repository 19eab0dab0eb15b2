/**
 * Checks that a webhook comes from the provider: HTTP basic auth (Postmark, Brevo), Mailgun's HMAC-SHA256 over
 * timestamp and token, SendGrid's ECDSA P-256 signature over timestamp and raw body, each with a timestamp no
 * older than the allowed age (a replay is refused). Each check returns null when it passes, or the reason.
 */
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `Authorization: Basic …` against the configured user and password. */
export function checkBasicAuth(header: string | undefined, expected: { user: string; password: string }): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return 'missing_credentials';
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return 'bad_credentials';
  const userOk = same(decoded.slice(0, i), expected.user);
  const passOk = same(decoded.slice(i + 1), expected.password);
  return userOk && passOk ? null : 'bad_credentials';
}

/**
 * A signed timestamp (seconds since 1970) that is neither older than `maxAgeSeconds` nor more than a minute ahead.
 */
export function checkTimestamp(seconds: number, nowMs: number, maxAgeSeconds: number): string | null {
  if (!Number.isFinite(seconds)) return 'bad_timestamp';
  const age = nowMs / 1000 - seconds;
  if (age > maxAgeSeconds) return 'replayed_timestamp';
  if (age < -60) return 'future_timestamp';
  return null;
}

/** Mailgun: hex HMAC-SHA256 of `timestamp + token` with the webhook signing key. */
export function checkMailgunSignature(sig: { timestamp?: unknown; token?: unknown; signature?: unknown } | undefined, signingKey: string, nowMs: number, maxAgeSeconds: number): string | null {
  if (!sig || typeof sig.timestamp !== 'string' || typeof sig.token !== 'string' || typeof sig.signature !== 'string') return 'missing_signature';
  const expected = createHmac('sha256', signingKey).update(sig.timestamp + sig.token).digest('hex');
  if (!same(expected, sig.signature.toLowerCase())) return 'bad_signature';
  return checkTimestamp(Number(sig.timestamp), nowMs, maxAgeSeconds);
}

/**
 * SendGrid's signed event webhook: base64 ECDSA (DER) signature of `timestamp + rawBody` with SHA-256, verified
 * with the account's public key (SPKI DER).
 */
export function checkSendgridSignature(signature: string | undefined, timestamp: string | undefined, rawBody: Buffer, publicKey: Buffer, nowMs: number, maxAgeSeconds: number): string | null {
  if (!signature || !timestamp) return 'missing_signature';
  let ok = false;
  try {
    const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
    ok = verify('sha256', Buffer.concat([Buffer.from(timestamp), rawBody]), key, Buffer.from(signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) return 'bad_signature';
  return checkTimestamp(Number(timestamp), nowMs, maxAgeSeconds);
}
