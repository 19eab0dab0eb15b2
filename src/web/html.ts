/**
 * HTML for the public pages: a tagged template that escapes every interpolated value unless it is marked safe,
 * and the one page layout (language switch, sender identity in the footer). No JavaScript on any page.
 */
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import { FAVICON_PATH } from './favicon.js';
import { accentStylesheetPath, isAccentColour, STYLESHEET_PATH } from './public.css.js';
import { t } from './texts.js';

/** A piece of HTML that is already safe to insert as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Marks a string as safe HTML; only for markup this module's callers built themselves. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Builds HTML; every interpolated value is escaped unless it is `SafeHtml` (nested `html` results are).
 * Arrays are joined; null, undefined and false render as nothing.
 * @example html`<p>${name}</p>` // name "<b>" gives "<p>&lt;b&gt;</p>"
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Postal address lines (stored with line breaks) joined for one line of text. */
export const oneLine = (address: string): string =>
  address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(', ');

/** How a page looks when it belongs to a form with its own appearance (the form's logo and accent colour). */
export interface PageAppearance {
  /** https URL of the logo shown in the header instead of the name (its text alternative is the name). */
  logoUrl?: string;
  /** `#rrggbb`; anything else is ignored. */
  accentColour?: string;
}

/** What the layout needs about the request and the page. */
export interface PageFrame {
  lang: Language;
  /** The request path without query, for the language switch. */
  path: string;
  title: string;
  org: Organisation | null;
  /** A form's own look; absent: the site's. */
  appearance?: PageAppearance;
}

function languageSwitch(lang: Language, path: string): SafeHtml {
  const link = (code: Language, label: string) =>
    code === lang
      ? html`<span aria-current="true" lang="${code}">${label}</span>`
      : html`<a href="${path}?lang=${code}" lang="${code}" hreflang="${code}">${label}</a>`;
  return html`<nav class="lang" aria-label="${t(lang, 'layout.language')}">${link('nl', 'NL')}<span aria-hidden="true"> | </span>${link('en', 'EN')}</nav>`;
}

/**
 * The full page: doctype, `lang`, viewport, title, stylesheet, header with the organisation's name and the
 * language switch, the content, and a footer naming the sender (Tw 11.7) with a link to the privacy notice.
 */
export function layout(frame: PageFrame, body: SafeHtml): string {
  const { lang, org, appearance } = frame;
  const siteName = org?.name ?? 'Consentry';
  const accent = isAccentColour(appearance?.accentColour) ? html`\n<link rel="stylesheet" href="${accentStylesheetPath(appearance.accentColour)}">` : '';
  const brand = appearance?.logoUrl?.startsWith('https://')
    ? html`<img class="logo" src="${appearance.logoUrl}" alt="${siteName}">`
    : html`<span class="brand">${siteName}</span>`;
  const footer = org
    ? html`<p><strong>${org.name}</strong> · ${oneLine(org.postalAddress)}${
        org.chamberOfCommerce ? html` · ${t(lang, 'layout.kvk', { kvk: org.chamberOfCommerce })}` : ''
      }</p>
      <p><a href="/privacy?lang=${lang}">${t(lang, 'layout.privacy')}</a></p>`
    : html``;
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${frame.title} · ${siteName}</title>
<link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="${STYLESHEET_PATH}">${accent}
</head>
<body>
<header class="top"><div class="wrap">
${brand}
${languageSwitch(lang, frame.path)}
</div></header>
<main class="wrap" id="main">
${body}
</main>
<footer class="wrap foot">${footer}</footer>
</body>
</html>`.value}\n`;
}
