/**
 * A campaign body (Markdown, or plain text) turned into the two parts of a mail: an HTML fragment that mail
 * clients render the same way (every element styled inline, raw HTML through an allow-list) and a plain-text
 * alternative with links written out. Done once per campaign and language (`compile.ts`); Liquid tags stay in
 * both results, so personalising one message is one template render per part.
 * Libraries: marked (Markdown, GFM: bare URLs become links), sanitize-html (allow-list), html-to-text.
 */
import { randomBytes } from 'node:crypto';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { convert } from 'html-to-text';
import { esc } from './texts.js';
import { buttonHtml } from './layout.js';

export const BODY_FORMATS = ['markdown', 'text'] as const;
export type BodyFormat = (typeof BODY_FORMATS)[number];

/** The longest line any part may carry (RFC 5322 2.1.1 allows 998); we stay well below so names fit in. */
export const MAX_LINE = 900;

export interface RenderedBody {
  /** HTML fragment with Liquid tags; image sources found (for the https check). */
  html: string;
  text: string;
  images: string[];
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Inline styles per element, so Gmail, Outlook and Apple Mail show the same thing without a style sheet. */
function styles(accent: string): Record<string, string> {
  const heading = 'margin:24px 0 12px 0;font-weight:bold;line-height:1.3;color:#111827';
  return {
    h1: `${heading};font-size:26px;margin-top:8px`,
    h2: `${heading};font-size:21px`,
    h3: `${heading};font-size:18px`,
    h4: `${heading};font-size:16px`,
    p: 'margin:0 0 16px 0;line-height:1.6',
    a: `color:${accent};text-decoration:underline;word-break:break-word`,
    ul: 'margin:0 0 16px 0;padding-left:24px;line-height:1.6',
    ol: 'margin:0 0 16px 0;padding-left:24px;line-height:1.6',
    li: 'margin:0 0 6px 0',
    blockquote: `margin:0 0 16px 0;padding:4px 0 4px 16px;border-left:4px solid ${accent};color:#4b5563`,
    pre: 'margin:0 0 16px 0;padding:12px;background:#f3f4f6;border-radius:4px;font-family:Menlo,Consolas,monospace;font-size:14px;white-space:pre-wrap;word-break:break-all',
    code: 'font-family:Menlo,Consolas,monospace;font-size:14px;background:#f3f4f6;padding:1px 4px;border-radius:3px',
    img: 'display:block;max-width:100%;height:auto;border:0;margin:0 0 16px 0',
    hr: 'border:0;border-top:1px solid #e5e7eb;margin:24px 0',
    table: 'border-collapse:collapse;margin:0 0 16px 0;width:100%',
    th: 'border:1px solid #e5e7eb;padding:6px 8px;text-align:left;background:#f9fafb',
    td: 'border:1px solid #e5e7eb;padding:6px 8px;vertical-align:top',
  };
}

/** The allow-list: what raw HTML in a body may keep. No script, no event attributes, no style sheets, no forms. */
function sanitizeOptions(accent: string): sanitizeHtml.IOptions {
  const css = styles(accent);
  const styled = (tag: string): sanitizeHtml.Transformer => (_name, attribs) => ({ tagName: tag, attribs: { ...attribs, style: css[tag]! } });
  const transformTags: Record<string, sanitizeHtml.Transformer> = Object.fromEntries(Object.keys(css).map((t) => [t, styled(t)]));
  // Inline code inside a code block keeps the block's look.
  transformTags.h5 = styled('h4');
  transformTags.h6 = styled('h4');
  return {
    allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'br', 'hr', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'a', 'ul', 'ol', 'li',
      'blockquote', 'code', 'pre', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'sup', 'sub', 'wbr'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      th: ['align', 'colspan', 'rowspan'],
      td: ['align', 'colspan', 'rowspan'],
      ol: ['start'],
      '*': ['style'],
    },
    allowedSchemes: ['https', 'http', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['https', 'http'] },
    allowProtocolRelative: false,
    // Our styles replace the author's: a body cannot hide the footer or break the layout with CSS.
    transformTags,
    allowedStyles: {},
    disallowedTagsMode: 'discard',
  };
}

/**
 * Replaces every Liquid output and tag by a word Markdown and HTML leave alone, and gives back the function that
 * restores them. A random prefix per call, so a body cannot forge one.
 */
function shieldLiquid(source: string): { shielded: string; restore: (s: string) => string } {
  const prefix = `LQ${randomBytes(4).toString('hex').toUpperCase()}`;
  const parts: string[] = [];
  const shielded = source.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (m) => `${prefix}N${parts.push(m) - 1}X`);
  const pattern = new RegExp(`${prefix}N(\\d+)X`, 'g');
  return { shielded, restore: (s) => s.replace(pattern, (_m, i: string) => parts[Number(i)]!) };
}

/** Plain text (the old format): paragraphs at blank lines, line breaks kept, tags shown as text, URLs linked. */
function textToHtml(text: string, accent: string): string {
  const a = styles(accent).a;
  const linkify = (escaped: string) =>
    escaped.replace(/\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g, (u) => `<a href="${u}" style="${a}">${u}</a>`);
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => `<p style="${styles(accent).p}">${linkify(esc(x)).replace(/\r?\n/g, '<br>\n')}</p>`)
    .join('\n');
}

const textOptions = {
  wordwrap: 76,
  selectors: [
    { selector: 'a', options: { linkBrackets: ['<', '>'] as [string, string], hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'image', options: { linkBrackets: ['<', '>'] as [string, string] } },
    ...['h1', 'h2', 'h3', 'h4'].map((h) => ({ selector: h, options: { uppercase: false } })),
    { selector: 'ul', options: { itemPrefix: ' - ' } },
    { selector: 'table', format: 'dataTable' },
  ],
};

/**
 * Renders a body once, Liquid tags kept. Markdown: headings, emphasis, lists, links (bare URLs too), images,
 * tables and raw HTML, the HTML through the allow-list. Text: paragraphs, HTML shown as text, URLs linked.
 * Lines are kept under MAX_LINE in both parts: HTML is broken between words or inside tags (`<wbr\n>` in a long
 * word), the text part at spaces, a longer word hard.
 * @param accent `#rrggbb`, the organisation's accent colour for links and quotes
 * @returns the HTML fragment, the text and the image sources (for the caller's https check)
 * @example renderBody('markdown', '# Hi {{ first_name }}\n\nSee https://example.com', '#1a56a6')
 */
export function renderBody(format: BodyFormat, source: string, accent: string): RenderedBody {
  const { shielded, restore } = shieldLiquid(source);
  const raw = format === 'markdown' ? (marked.parse(shielded) as string) : textToHtml(shielded, accent);
  const images: string[] = [];
  const clean = sanitizeHtml(raw, {
    ...sanitizeOptions(accent),
    exclusiveFilter: (frame) => {
      if (frame.tag === 'img') images.push(restore(frame.attribs.src ?? ''));
      return false;
    },
  });
  // A text body is its own text part; Markdown's is written from the clean HTML (links written out).
  const text = format === 'markdown' ? convert(clean, textOptions) : shielded.replace(/\r\n/g, '\n').trim();
  const html = format === 'markdown' ? callToAction(clean, accent) : clean;
  return { html: restore(wrapHtml(html, MAX_LINE)), text: restore(wrapText(text, MAX_LINE)), images };
}

/**
 * A paragraph that holds nothing but one link with its own words (`[Bestel nu](https://…)`) becomes a button in
 * the accent colour: a call to action. A bare URL stays a link.
 */
function callToAction(html: string, accent: string): string {
  return html.replace(/<p style="[^"]*"><a href="([^"]+)" style="[^"]*">([^<]{1,80})<\/a><\/p>/g, (whole, href: string, label: string) =>
    label === href ? whole : buttonHtml(accent, unescapeHtml(href), label));
}

const unescapeHtml = (s: string) =>
  s.replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Breaks lines longer than `max`: at a space outside tags and <pre>, at whitespace inside a tag, else `<wbr\n>`. */
export function wrapHtml(html: string, max: number): string {
  if (!html.split('\n').some((l) => l.length > max)) return html;
  let out = '';
  let line = 0;
  let pre = 0;
  // Tags, entities, shielded Liquid and single characters: a break never falls inside one of them.
  for (const [tok] of html.matchAll(/<[^>]*>|&[#A-Za-z0-9]+;|LQ[0-9A-F]{8}N\d+X|[\s\S]/g)) {
    if (tok === '\n') {
      out += tok;
      line = 0;
      continue;
    }
    if (tok.startsWith('<') && tok.length > 1) {
      if (/^<pre\b/i.test(tok)) pre++;
      if (/^<\/pre>/i.test(tok)) pre = Math.max(0, pre - 1);
      let t = tok;
      if (line + t.length > max) {
        // Whitespace between attributes may be a newline.
        t = t.replace(/ (?=[a-z-]+=")/gi, '\n');
        const last = t.lastIndexOf('\n');
        out += t;
        line = last >= 0 ? t.length - last - 1 : line + t.length;
        continue;
      }
      out += t;
      line += t.length;
      continue;
    }
    if (line >= max) {
      if (tok === ' ' && pre === 0) {
        out += '\n';
        line = 0;
        continue;
      }
      if (line >= max + 80 || pre > 0) {
        out += '<wbr\n>';
        line = 1;
      }
    }
    out += tok;
    line += tok.length;
  }
  return out;
}

/** Breaks text lines longer than `max` at the last space before it, or hard when one word is longer. */
export function wrapText(text: string, max: number): string {
  if (!text.split('\n').some((l) => l.length > max)) return text;
  return text
    .split('\n')
    .map((l) => {
      const out: string[] = [];
      let rest = l;
      while (rest.length > max) {
        const cut = rest.lastIndexOf(' ', max);
        const at = cut > max / 2 ? cut : max;
        out.push(rest.slice(0, at));
        rest = rest.slice(at).replace(/^ /, '');
      }
      out.push(rest);
      return out.join('\n');
    })
    .join('\n');
}
