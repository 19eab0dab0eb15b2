/**
 * Signed link tokens (DESIGN.md "Mail"). A token names one action on one data subject, scoped to a purpose and
 * a campaign, and is signed with HMAC-SHA256 under a key derived from the server secret for that action, so a
 * confirm token cannot be used to unsubscribe and a token for one person never acts on another. URLs carry no
 * address and no guessable id. Pure: the secret and the time are arguments.
 *
 * Format: base64url(JSON payload) "." base64url(HMAC) — about 120 characters.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOKEN_ACTIONS = ['confirm', 'unsubscribe', 'manage', 'manage-request'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];

export interface TokenClaims {
  action: TokenAction;
  /** The contact (data subject) id. */
  subjectId: string;
  /** Purpose the token acts on, or null (manage links cover all purposes). */
  purposeId: string | null;
  /** Campaign the link was sent in, or null. */
  campaignId: string | null;
  /** Expiry as ms since the epoch, or null for links that must keep working (unsubscribe). */
  expiresAt: number | null;
  /**
   * The sign-up request a confirm link was sent for (the `request` in its `requested` ledger events), so that the
   * link confirms that request only; absent on other tokens and on confirm links issued before it existed.
   */
  requestId?: string | null;
}

interface Payload {
  a: TokenAction;
  s: string;
  p: string | null;
  c: string | null;
  x: number | null;
  r?: string;
}

/** Why a token was refused; the web layer maps each to a 4xx page. */
export type TokenError = 'malformed' | 'bad-signature' | 'wrong-action' | 'expired';

const actionKey = (secret: string, action: TokenAction) =>
  createHmac('sha256', secret).update(`consentry-token:${action}`).digest();

const sign = (secret: string, action: TokenAction, body: string) =>
  createHmac('sha256', actionKey(secret, action)).update(body).digest('base64url');

/**
 * Signs claims into a token.
 * @example signToken(secret, { action: 'unsubscribe', subjectId: id, purposeId: 'tips', campaignId: c, expiresAt: null })
 */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload: Payload = {
    a: claims.action,
    s: claims.subjectId,
    p: claims.purposeId,
    c: claims.campaignId,
    x: claims.expiresAt,
    ...(claims.requestId ? { r: claims.requestId } : {}),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(secret, claims.action, body)}`;
}

/**
 * Checks a token for one expected action.
 * @param now ms since the epoch
 * @returns the claims, or the reason it is refused
 */
export function verifyToken(
  secret: string,
  token: string,
  action: TokenAction,
  now: number,
): { ok: true; claims: TokenClaims } | { ok: false; error: TokenError } {
  const m = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, error: 'malformed' };
  const [, body, mac] = m as unknown as [string, string, string];
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
  } catch {
    return { ok: false, error: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.s !== 'string') {
    return { ok: false, error: 'malformed' };
  }
  const expected = Buffer.from(sign(secret, action, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    // A valid token for another action fails here too (its key differs); say which, for a clearer page.
    return { ok: false, error: payload.a !== action ? 'wrong-action' : 'bad-signature' };
  }
  if (payload.x !== null && payload.x < now) return { ok: false, error: 'expired' };
  return {
    ok: true,
    claims: {
      action,
      subjectId: payload.s,
      purposeId: payload.p,
      campaignId: payload.c,
      expiresAt: payload.x,
      requestId: typeof payload.r === 'string' ? payload.r : null,
    },
  };
}
