/**
 * The checks every outgoing message passes before it reaches a transport: addresses, URLs, the subject, the
 * List-Id, header phrases, and the Liquid render with errors that name the part and the line. Pure.
 */
import type { Liquid, Template } from 'liquidjs';
import type { Organisation } from '../core/organisation.js';
import type { OutgoingMessage } from './message.js';

const MAX_SUBJECT = 250;

/** From, To, Reply-To, Message-ID and envelope sender of a message, each checked. */
export function envelope(
  input: { email: string; messageId: string; envelopeFrom: string },
  org: Organisation,
): Pick<OutgoingMessage, 'from' | 'to' | 'replyTo' | 'messageId' | 'envelopeFrom'> {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(input.messageId)) throw new Error('messageId: expected "<random>@<domain>" without brackets');
  return {
    from: `${quoteName(org.fromName ?? org.name)} <${checkAddress('org.fromAddress', org.fromAddress)}>`,
    to: checkAddress('email', input.email),
    replyTo: checkAddress('org.replyTo', org.replyTo),
    messageId: input.messageId,
    envelopeFrom: checkAddress('envelopeFrom', input.envelopeFrom),
  };
}

/**
 * Runs `fn` (a Liquid parse or render) and rewrites its error as "<part> template error at line L, column C: …".
 * @throws Error naming the part
 */
export function liquidStep<T>(part: 'subject' | 'body', fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = e as Error & { token?: { getPosition?: () => [number, number] } };
    const pos = err.token?.getPosition?.();
    const where = pos ? ` at line ${pos[0]}, column ${pos[1]}` : '';
    const msg = (err.message ?? String(e)).replace(/, line:\d+, col:\d+$/, '');
    throw new Error(`${part} template error${where}: ${msg}`, { cause: e });
  }
}

/** Renders parsed templates; errors as `liquidStep`. */
export function renderParsed(engine: Liquid, part: 'subject' | 'body', templates: Template[], vars: Record<string, unknown>): string {
  return liquidStep(part, () => engine.renderSync(templates, vars) as string);
}

/**
 * A subject as sent: one line, whitespace collapsed (an empty variable leaves no double or trailing space),
 * not empty, at most 250 characters.
 * @throws Error "subject: …" for a line break, a control character, an empty or an overlong subject
 */
export function checkSubject(raw: string): string {
  if (/[\r\n]/.test(raw)) throw new Error('subject: must be one line (it contains a line break, CR or LF)');
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new Error('subject: contains a control character');
  const s = raw.replace(/\s+/g, ' ').replace(/ ([,.;:!?])/g, '$1').trim();
  if (s === '') throw new Error('subject: is empty after rendering');
  if (s.length > MAX_SUBJECT) throw new Error(`subject: is ${s.length} characters; at most ${MAX_SUBJECT} allowed`);
  return s;
}

/** A bare address usable in a header. @throws Error naming the field */
export function checkAddress(field: string, address: string): string {
  if (!/^[^\s<>,;:"()\\[\]@]+@[^\s<>,;:"()\\[\]@]+$/u.test(address)) {
    throw new Error(`${field}: "${address}" is not a usable e-mail address`);
  }
  return address;
}

/** A plain ASCII host name, lower-cased. @throws Error */
export function checkDomain(domain: string): string {
  const d = domain.toLowerCase();
  if (!/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(d)) {
    throw new Error(`domain "${domain}" is not a plain host name (use punycode for international names)`);
  }
  return d;
}

/** https only (RFC 8058 requires it for one-click unsubscribe); plain http is allowed for localhost development. */
export function checkUrl(field: string, url: string): string {
  if (/[\s<>"'\\\u0000-\u001f\u007f]/.test(url)) throw new Error(`${field}: URL contains spaces, quotes, <, > or control characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${field}: "${url}" is not an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new Error(`${field}: must be an https:// URL (http:// only for localhost), got "${url}"`);
  }
  return url;
}

/** An RFC 2919 list identifier. @throws Error */
export function checkListId(listId: string): string {
  if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(listId) || listId.length > 255) {
    throw new Error(`listId: "${listId}" must be a dotted identifier such as "tips.koffie.example"`);
  }
  return listId;
}

/** A display name as a quoted string on one line (nodemailer encodes it for the From header when not ASCII). */
export function quoteName(name: string): string {
  return `"${name.replace(/\s+/g, ' ').trim().replace(/["\\]/g, '\\$&')}"`;
}

/** A header phrase on one line: a quoted string, or RFC 2047 encoded words (UTF-8, base64) when not ASCII. */
export function quotePhrase(name: string): string {
  const one = name.replace(/\s+/g, ' ').trim();
  if (/^[\x20-\x7e]*$/.test(one)) return quoteName(one);
  const words: string[] = [];
  let chunk = '';
  for (const ch of one) {
    if (Buffer.byteLength(chunk + ch) > 45) (words.push(chunk), (chunk = ''));
    chunk += ch;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}
