/**
 * Aggregate click counting without tracking people (issue 10): the links of a campaign's body are fixed when the
 * campaign is created or edited, each by its position; a counted link in the mail points to
 * `/r/<campaign>/<position>.<signature>`, which names no contact and carries no token, and redirects only to the
 * target stored for that position (no open redirect). The signature (HMAC with the server secret) makes the
 * positions of one campaign unguessable from another's. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** http(s) URLs in text, Markdown or HTML; stops at whitespace, quotes, angle brackets and brackets. */
const URL_RE = /https?:\/\/[^\s<>"'()[\]{}]+/g;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?]+$/;

/** Each URL occurrence in `text` with its position, trailing sentence punctuation left out. */
function* urls(text: string): Generator<{ url: string; start: number; end: number }> {
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(TRAILING, '');
    yield { url, start: m.index, end: m.index + url.length };
  }
}

/**
 * The distinct link targets of a body template, in order of first appearance. A URL that holds Liquid (`{{`,
 * `{%`) differs per person and is not counted, so it is left out; so is one longer than 2,000 characters.
 * @example extractLinks('Zie https://deboon.example/oogst. En [hier](https://deboon.example/x)')
 *   // → ['https://deboon.example/oogst', 'https://deboon.example/x']
 */
export function extractLinks(body: string): string[] {
  const out: string[] = [];
  for (const { url, end } of urls(body)) {
    if (body.startsWith('{{', end) || body.startsWith('{%', end) || url.length > 2000) continue;
    if (!out.includes(url)) out.push(url);
  }
  return out;
}

/**
 * Replaces each whole URL in `text` for which `redirect` returns a string; other URLs stay as they are
 * (a URL that merely starts with a counted one is not rewritten).
 * @example rewriteLinks('Zie https://a.example/x.', (u) => (u === 'https://a.example/x' ? 'https://r/0' : null))
 *   // → 'Zie https://r/0.'
 */
export function rewriteLinks(text: string, redirect: (url: string) => string | null): string {
  let out = '';
  let at = 0;
  for (const { url, start, end } of urls(text)) {
    const to = redirect(url);
    if (to === null) continue;
    out += text.slice(at, start) + to;
    at = end;
  }
  return out + text.slice(at);
}

const key = (secret: string) => createHmac('sha256', secret).update('consentry-click-link').digest();
const mac = (secret: string, campaignId: string, position: number) =>
  createHmac('sha256', key(secret)).update(`${campaignId}:${position}`).digest('base64url').slice(0, 22);

/**
 * The path of a counted link: `/r/<campaignId>/<position>.<signature>`.
 * @example clickPath(secret, 'c1', 0) // → '/r/c1/0.Xy3…'
 */
export function clickPath(secret: string, campaignId: string, position: number): string {
  return `/r/${encodeURIComponent(campaignId)}/${position}.${mac(secret, campaignId, position)}`;
}

/**
 * Checks the `<position>.<signature>` part of a counted link.
 * @returns the position, or null when it is malformed or not signed for this campaign
 */
export function verifyClickRef(secret: string, campaignId: string, ref: string): number | null {
  const m = /^(0|[1-9][0-9]{0,4})\.([A-Za-z0-9_-]{22})$/.exec(ref);
  if (!m) return null;
  const position = Number(m[1]);
  const expected = Buffer.from(mac(secret, campaignId, position));
  const given = Buffer.from(m[2]!);
  return timingSafeEqual(expected, given) ? position : null;
}
