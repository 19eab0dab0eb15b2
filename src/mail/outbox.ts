/**
 * The built-in outbox (DESIGN.md "Mail"): when no SMTP server is configured, each message is written as one
 * .eml file in a folder, so that the whole product runs without outside services and the admin app can show
 * what would have been sent. Files are named by time (sortable) and written atomically (temp file, rename).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingMessage, SendResult } from './message.js';
import { buildMime } from './mime.js';

/** One outbox file as the admin app lists it. */
export interface OutboxEntry {
  file: string;
  /** Date header as an ISO timestamp ("" when missing). */
  date: string;
  to: string;
  subject: string;
  /** Message-ID without angle brackets. */
  messageId: string;
}

const FILE_RE = /^\d{8}T\d{9}Z-[0-9a-f]{8}\.eml$/;

/**
 * The nodemailer message options for an `OutgoingMessage`, shared by the outbox and SMTP. Extra headers are
 * emitted as given (`prepared`), so List-Unsubscribe and List-Id keep their exact form; `compose.ts` already
 * encodes them.
 * @throws Error for an extra header that is not printable ASCII on one line (header injection) or too long
 */
export function mailOptions(message: OutgoingMessage) {
  const headers: Record<string, { prepared: true; value: string }> = {};
  for (const [key, value] of Object.entries(message.headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(key) || !/^[\x20-\x7e]*$/.test(value) || key.length + value.length > 990) {
      throw new Error(`header ${JSON.stringify(key)}: must be one line of printable ASCII, at most 990 characters`);
    }
    headers[key] = { prepared: true, value };
  }
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: `<${message.messageId}>`,
    headers,
    envelope: { from: message.envelopeFrom, to: [message.to] },
  };
}

/** Builds the RFC 5322 bytes of a message, with the envelope sender as Return-Path. */
export async function buildRawMessage(message: OutgoingMessage, date = new Date()): Promise<Buffer> {
  const options = mailOptions(message);
  const returnPath = mailOptions({ ...message, headers: { 'Return-Path': `<${message.envelopeFrom}>` } }).headers;
  return buildMime({ ...options, date, headers: { ...returnPath, ...options.headers } });
}

/**
 * A `Mailer` that writes each message as `<folder>/<yyyymmddThhmmssmmmZ>-<8 hex>.eml`.
 * `send` returns `{ messageId, response: 'outbox:<file name>' }`; it throws only on a file-system error
 * (a plain Error, not a TransportError, since nothing was refused).
 * @example const mailer = new OutboxMailer('/var/lib/consentry/outbox'); await mailer.send(message)
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly folder: string) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    const now = new Date();
    const raw = await buildRawMessage(message, now);
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    const file = `${stamp}-${randomBytes(4).toString('hex')}.eml`;
    // Owner-only like the data folder it usually sits in (store/private-files.ts); it may be the first to make it.
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const tmp = join(this.folder, `.${file}.tmp`);
    try {
      await writeFile(tmp, raw, { flag: 'wx', mode: 0o600 });
      await rename(tmp, join(this.folder, file));
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return { messageId: message.messageId, response: `outbox:${file}` };
  }

  async close(): Promise<void> {}
}

/** The names in a folder; none when it does not exist (yet). */
async function filesIn(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * Lists the messages in an outbox folder, oldest first (newest last), reading only each file's header block.
 * @returns [] when the folder does not exist
 */
export async function listOutbox(folder: string): Promise<OutboxEntry[]> {
  const names = await filesIn(folder);
  const files = names.filter((n) => FILE_RE.test(n)).sort();
  // Loaded when first needed: every server and command process would otherwise hold it (issue 11, memory).
  const { simpleParser } = await import('mailparser');
  const entries: OutboxEntry[] = [];
  for (const file of files) {
    const parsed = await simpleParser(await readHeaderBlock(join(folder, file)), { skipHtmlToText: true });
    entries.push({
      file,
      date: parsed.date ? parsed.date.toISOString() : '',
      to: addressText(parsed.to),
      subject: parsed.subject ?? '',
      messageId: (parsed.messageId ?? '').replace(/^<|>$/g, ''),
    });
  }
  return entries;
}

/**
 * The raw text of one outbox message.
 * @param file a file name as `listOutbox` returns it; anything else (paths, `..`) is refused
 * @throws Error for a file name that is not an outbox name; ENOENT when it does not exist
 */
export async function readOutboxMessage(folder: string, file: string): Promise<string> {
  if (!FILE_RE.test(file)) throw new Error(`"${file}" is not an outbox file name`);
  return readFile(join(folder, file), 'utf8');
}

/** Reads a file up to and including the blank line that ends its header (at most 256 KiB). */
async function readHeaderBlock(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let text = '';
    for (;;) {
      const buf = Buffer.alloc(16 * 1024);
      const { bytesRead } = await handle.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      text = Buffer.concat(chunks).toString('utf8');
      const end = text.search(/\r?\n\r?\n/);
      if (end >= 0) return `${text.slice(0, end)}\r\n\r\n`;
      if (total >= 256 * 1024) break;
    }
    return `${text}\r\n\r\n`;
  } finally {
    await handle.close();
  }
}

function addressText(value: { text: string } | Array<{ text: string }> | undefined): string {
  if (!value) return '';
  return Array.isArray(value) ? value.map((v) => v.text).join(', ') : value.text;
}

/**
 * Deletes every outbox message that mentions one of the addresses (headers or body, any transfer encoding).
 * @param folder the outbox folder; a missing folder is fine
 * @param addresses normalised addresses (compared case-insensitively)
 * @returns the deleted file names
 */
export async function scrubOutbox(folder: string, addresses: readonly string[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const names = await filesIn(folder);
  const wanted = addresses.map((a) => a.toLowerCase());
  const deleted: string[] = [];
  const { simpleParser } = await import('mailparser');
  for (const name of names.filter((n) => n.endsWith('.eml') || n.endsWith('.tmp')).sort()) {
    const path = join(folder, name);
    const raw = await readFile(path, 'utf8');
    let hit = wanted.some((a) => raw.toLowerCase().includes(a));
    if (!hit) {
      const m = await simpleParser(raw);
      const text = [m.to, m.cc, m.bcc]
        .flatMap((x) => (Array.isArray(x) ? x : x ? [x] : []))
        .map((x) => x.text)
        .concat([m.subject ?? '', m.text ?? '', typeof m.html === 'string' ? m.html : ''])
        .join('\n')
        .toLowerCase();
      hit = wanted.some((a) => text.includes(a));
    }
    if (hit) {
      await unlink(path);
      deleted.push(name);
    }
  }
  return deleted;
}
