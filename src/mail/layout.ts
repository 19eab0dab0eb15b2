/**
 * The one HTML layout of every mail (campaigns, welcome mail, double opt-in, service mail): a centred column of
 * at most 600 px that narrows to a phone's width, built from tables with inline styles because Outlook (Word's
 * renderer) and Gmail ignore most CSS; the organisation's logo and accent colour at the top; the body; our legal
 * footer below it, outside anything the body can reach. Long words and links wrap instead of widening the page.
 */
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import { esc } from './texts.js';

/** The accent colour when the organisation set none. */
export const DEFAULT_ACCENT = '#1a56a6';

export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** The organisation's accent colour, or the default. */
export const accentOf = (org: Organisation): string => org.accentColour ?? DEFAULT_ACCENT;

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return l > 0.35 ? '#111827' : '#ffffff';
}

/** A link styled as a button in the accent colour (or `org`'s), in its own block; `url` is escaped here, `labelHtml` must be escaped already. */
export function buttonHtml(orgOrAccent: Organisation | string, url: string, labelHtml: string): string {
  const accent = typeof orgOrAccent === 'string' ? orgOrAccent : accentOf(orgOrAccent);
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0"><tr><td style="border-radius:6px;background:${accent}">` +
    `<a href="${esc(url)}" style="display:inline-block;padding:12px 22px;border-radius:6px;background:${accent};color:${textOn(accent)};` +
    `font-family:${FONT};font-size:16px;font-weight:bold;text-decoration:none">${labelHtml}</a></td></tr></table>`;
}

/** A long URL shown as text under a button: small, and broken anywhere so it never widens the mail. */
export function urlLineHtml(url: string): string {
  return `<p style="margin:0 0 16px 0;font-size:13px;line-height:1.5;color:#6b7280;word-break:break-all;overflow-wrap:anywhere">${esc(url)}</p>`;
}

/** The top of the column: the logo (at most 200 × 60 px), or the organisation's name in the accent colour. */
function header(org: Organisation): string {
  const accent = accentOf(org);
  const brand = org.logoUrl
    ? `<img src="${esc(org.logoUrl)}" alt="${esc(org.name)}" height="48" style="display:block;height:48px;width:auto;max-width:200px;border:0;font-family:${FONT};font-size:18px;font-weight:bold;color:${accent}">`
    : `<span style="font-family:${FONT};font-size:18px;font-weight:bold;color:${accent}">${esc(org.name)}</span>`;
  return `<tr><td style="height:4px;line-height:4px;font-size:4px;background:${accent};border-radius:8px 8px 0 0">&nbsp;</td></tr>
<tr><td class="px" style="padding:24px 32px 8px 32px">${brand}</td></tr>`;
}

export interface LayoutParts {
  /** The document up to where the title goes. */
  head: string;
  /** From after the title to where the body goes. */
  beforeBody: string;
  /** From after the body to the end (footer included). */
  afterBody: string;
}

/**
 * The layout cut where the per-message parts go (title, body), so composing a message is string concatenation.
 * @param footerHtml our footer, already escaped HTML
 */
export function layoutParts(lang: Language, org: Organisation, footerHtml: string): LayoutParts {
  const cell = `font-family:${FONT};font-size:16px;line-height:1.6;color:#1f2937;word-break:break-word;overflow-wrap:anywhere`;
  return {
    head: `<!DOCTYPE html>
<html lang="${lang}" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light"><meta name="supported-color-schemes" content="light"><title>`,
    beforeBody: `</title>
<style>@media (max-width:480px){.px{padding-left:20px!important;padding-right:20px!important}.outer{padding:12px 8px!important}}</style>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;-webkit-text-size-adjust:100%">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;table-layout:fixed"><tr><td class="outer" align="center" style="padding:24px 12px">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;table-layout:fixed">
${header(org)}
<tr><td class="px" style="padding:16px 32px 16px 32px;${cell}">
`,
    afterBody: `
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;table-layout:fixed">
<tr><td class="px" style="padding:20px 32px 8px 32px;font-family:${FONT};font-size:12px;line-height:1.6;color:#6b7280;word-break:break-word;overflow-wrap:anywhere">
${footerHtml}
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body></html>
`,
  };
}

/** The whole document for one message. */
export function layout(lang: Language, org: Organisation, titleText: string, bodyHtml: string, footerHtml: string): string {
  const l = layoutParts(lang, org, footerHtml);
  return l.head + esc(titleText) + l.beforeBody + bodyHtml + l.afterBody;
}

/** Footer paragraph style (small print, links underlined in grey so they read as ours, not the body's). */
export const FOOTER_P = 'margin:0 0 10px 0';
export const footerLink = (url: string, labelHtml: string) =>
  `<a href="${esc(url)}" style="color:#4b5563;text-decoration:underline">${labelHtml}</a>`;
