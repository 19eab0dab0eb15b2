/**
 * The RFC 5322 bytes of a message, built by nodemailer's MailComposer. nodemailer streams every part through
 * transforms and timers (≈ 1 ms CPU for a 7 KB campaign message, most of a send; issue 11); for the messages the
 * product composes (string parts, no attachments) `buildMime` joins the same tree synchronously with
 * nodemailer's own header builder and encoders, byte for byte what its stream yields (test/mail/mime.test.ts
 * compares both), and falls back to the stream for anything else.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import * as qp from 'nodemailer/lib/qp/index.js';

/** The parts of nodemailer's MimeNode the synchronous build reads (not in its public types). */
interface Node {
  content?: unknown;
  multipart?: string | false;
  boundary?: string;
  childNodes: Node[];
  _raw?: unknown;
  _transforms: unknown[];
  _processFuncs: unknown[];
  newline?: unknown;
  getHeader(key: string): unknown;
  buildHeaders(): string;
  build(): Promise<Buffer>;
}

/**
 * nodemailer draws 8 random bytes for every MIME part's boundary (≈ 5 % of a send's CPU); a random prefix per
 * process and a counter are as unique, and a boundary only has to be absent from the parts it separates.
 */
const boundaryPrefix = randomBytes(6).toString('hex');
let boundaries = 0;

/** nodemailer's QP encoder works in 64 KiB slices; larger parts take its stream. */
const SLICE = 64 * 1024;

/**
 * Builds a message.
 * @param options nodemailer message options (as `mailOptions` returns them); `date` sets the Date header,
 *   `baseBoundary` (nodemailer's option) fixes the boundaries
 * @returns the message bytes, CRLF line ends, ending in CRLF
 * @throws Error from nodemailer for unusable options
 * @example const raw = await buildMime({ ...mailOptions(message), date: new Date() })
 */
export async function buildMime(options: Mail.Options): Promise<Buffer> {
  const root = new MailComposer({ baseBoundary: `${boundaryPrefix}${(boundaries++).toString(36)}`, ...options } as Mail.Options).compile() as unknown as Node;
  const plain = root._transforms.length === 0 && root._processFuncs.length === 0 && !root.newline;
  return (plain && joined(root)) || root.build();
}

/** The tree as nodemailer's `createReadStream` writes it, or null when a part is not a short string. */
function joined(root: Node): Buffer | null {
  const out: string[] = [];
  const emit = (node: Node): boolean => {
    if (node._raw || (node.content !== undefined && node.content !== false && typeof node.content !== 'string')) return false;
    // buildHeaders sets Content-Transfer-Encoding from getTransferEncoding (which scans the content): read once.
    const headers = node.buildHeaders();
    const encoding = String(node.getHeader('Content-Transfer-Encoding') ?? '').toLowerCase().trim();
    const content = node.content as string | undefined | false;
    if (content && encoding !== 'quoted-printable' && encoding !== '7bit' && encoding !== '8bit') return false;
    out.push(`${headers}\r\n\r\n`);
    if (content) {
      if (encoding !== 'quoted-printable') out.push(content);
      else {
        const bytes = Buffer.from(content);
        if (bytes.length > SLICE) return false;
        out.push(quotedPrintable(bytes));
      }
    }
    if (node.multipart) {
      for (let i = 0; i < node.childNodes.length; i++) {
        out.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
        if (!emit(node.childNodes[i]!)) return false;
      }
      out.push(`\r\n--${node.boundary}--\r\n`);
    }
    return true;
  };
  if (!emit(root)) return null;
  let text = out.join('');
  // nodemailer's LastNewline: the message ends with a line break.
  if (!text.endsWith('\n')) text += text.endsWith('\r') ? '\n' : '\r\n';
  // nodemailer writes its strings as UTF-8 (headers and QP are ASCII; a 7bit part too).
  return Buffer.from(text, 'utf8');
}

/**
 * nodemailer's qp.Encoder on one chunk of text: the whitespace that ends the input is encoded after the rest
 * (its `_transform` holds it back, `_flush` encodes it onto the last line).
 */
function quotedPrintable(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const head = qp.wrap(qp.encode(bytes.subarray(0, end)), 76);
  if (end === bytes.length) return head;
  const lastLine = head.lastIndexOf('\n') + 1;
  return head.slice(0, lastLine) + qp.wrap(head.slice(lastLine) + qp.encode(bytes.subarray(end)), 76);
}
