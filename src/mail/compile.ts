/**
 * A campaign prepared once per campaign and language (issue 10, "Benchmark"): the Markdown rendered, sanitised
 * and set in the layout, the footer texts translated, the Liquid templates parsed. Composing one message for one
 * contact is then three template renders and string concatenation (`composeCompiled`). Pure: no I/O.
 */
import { Liquid, type Template } from 'liquidjs';
import type { Organisation } from '../core/organisation.js';
import type { Language } from '../core/vocab.js';
import { checkAddress, checkListId, checkSubject, checkUrl, envelope, liquidStep, quotePhrase, renderParsed } from './checks.js';
import { accentOf, FOOTER_P, footerLink, layoutParts } from './layout.js';
import { renderBody, MAX_LINE, wrapText, type BodyFormat } from './markdown.js';
import type { OutgoingMessage } from './message.js';
import { esc, identityLines, sentence, tHtml, tText } from './texts.js';

/** The footer's "why you receive this" sentence (Tw 11.7; the decision's basis). */
export type FooterReason = 'consent' | 'customer' | 'staff' | 'business' | 'repermission';

/** The variables a template may use; the names are nullable, the rest always set. */
export const TEMPLATE_VARIABLES = ['first_name', 'last_name', 'email', 'organisation'] as const;
export const NULLABLE_VARIABLES = ['first_name', 'last_name'] as const;

const common = { strictFilters: true, strictVariables: true, templates: {}, parseLimit: 3_000_000, renderLimit: 2_000, memoryLimit: 50_000_000 };
/** No file access (`templates: {}` makes include/render fail), strict, bounded. */
const liquidText = new Liquid(common);
/** The same for HTML: every output HTML-escaped. */
const liquidHtml = new Liquid({ ...common, outputEscape: 'escape' });

export interface CampaignContent {
  org: Organisation;
  /** The language of the body; the footer and link texts follow it. */
  language: Language;
  format: BodyFormat;
  /** Liquid templates. */
  subject: string;
  body: string;
  /** The purpose's name in `language`, for the footer. */
  purposeName: string;
  /** Links the same for every recipient: https (http only on localhost). */
  links: { privacy: string; manage?: string };
  /** Image sources allowed over http (our own media on a localhost base URL); https is always allowed. */
  httpImagesFrom?: string;
  /**
   * Rewrites the body's source before it is rendered: counted links become their `/r/…` redirect
   * (services/campaigns/click-links.ts). Absent when the campaign's purpose does not count clicks.
   */
  rewriteLinks?: (body: string) => string;
}

export interface CompiledCampaign {
  language: Language;
  /** Variables used without a `default` filter that may be empty for a contact (first_name, last_name). */
  needs: string[];
  subject: Template[];
  html: Template[];
  text: Template[];
  /** The layout cut where the title, the body and the footer go. */
  layout: { head: string; beforeBody: string; beforeFooter: string; afterFooter: string };
  footer: (reason: FooterReason) => { text: [string, string]; html: [string, string] };
  org: Organisation;
}

export interface Recipient {
  /** Display form of the address. */
  email: string;
  firstName: string | null;
  lastName: string | null;
}

export interface PerMessage {
  contact: Recipient;
  reason?: FooterReason;
  /** https URL carrying a signed token; goes into the footer and List-Unsubscribe. */
  unsubscribe: string;
  messageId: string;
  envelopeFrom: string;
  /** RFC 2919 list identifier without angle brackets, e.g. "tips.koffie.example". */
  listId: string;
}

/**
 * `Hallo {{ first_name }},` would read "Hallo ," for a contact without a name: the space goes inside a condition,
 * so it reads "Hallo,". Only a bare variable between a space and punctuation is rewritten.
 */
function tidyEmptyNames(source: string): string {
  return source.replace(/(?:[ \t]+\{\{-?\s*(?:first_name|last_name)\s*-?\}\})+(?=[,.;:!?])/g, (run) =>
    [...run.matchAll(/\{\{-?\s*(first_name|last_name)\s*-?\}\}/g)].map(([out, name]) => `{% if ${name} != blank %} ${out}{% endif %}`).join(''),
  );
}

/** The nullable variables a template outputs without a `default` filter. */
function variablesWithoutDefault(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/\{\{-?\s*([a-z_]+)\s*(\|[^}]*)?-?\}\}/g)) {
    if ((NULLABLE_VARIABLES as readonly string[]).includes(m[1]!) && !/\|\s*default\b/.test(m[2] ?? '')) found.add(m[1]!);
  }
  return [...found];
}

/** The longest body accepted, characters (about 200 KB: far more than any mail client shows; Gmail clips at 102 KB). */
export const MAX_BODY = 200_000;

const SAMPLE = { first_name: 'Voorbeeld', last_name: 'Persoon', email: 'voorbeeld@example.com', organisation: 'Organisatie' };

/**
 * Prepares a campaign for one language.
 * @returns the compiled campaign, reused for every message of that language
 * @throws Error starting "subject" or "body" for a body over 200,000 characters, a Liquid syntax error, an unknown variable or filter (with line
 *   and column), an image whose URL is not https, or a subject that renders empty, multi-line or too long;
 *   Error naming the link for an unusable privacy or manage URL
 * @example const c = compileCampaign({ org, language: 'nl', format: 'markdown', subject: 'Hallo {{ first_name }}', body: '# Nieuws', purposeName: 'Tips', links: { privacy } })
 */
export function compileCampaign(content: CampaignContent): CompiledCampaign {
  const { org, language: lang } = content;
  const privacy = checkUrl('links.privacy', content.links.privacy);
  const manage = content.links.manage === undefined ? null : checkUrl('links.manage', content.links.manage);
  if (content.body.length > MAX_BODY) {
    throw new Error(`body: is ${content.body.length.toLocaleString('en')} characters; at most ${MAX_BODY.toLocaleString('en')} (a mail that long is clipped or refused by mail clients)`);
  }
  // Errors are reported against what the author wrote: parse and try the original first.
  for (const [part, src] of [['subject', content.subject], ['body', content.body]] as const) {
    const parsed = liquidStep(part, () => liquidText.parse(src));
    renderParsed(liquidText, part, parsed, { ...SAMPLE, organisation: org.name });
  }
  const subjectSrc = tidyEmptyNames(content.subject);
  const body = content.rewriteLinks ? content.rewriteLinks(content.body) : content.body;
  const rendered = renderBody(content.format, tidyEmptyNames(body), accentOf(org));
  for (const src of rendered.images) {
    const ok = src.startsWith('https://') || (content.httpImagesFrom !== undefined && src.startsWith(content.httpImagesFrom));
    if (!ok) throw new Error(`body: the image "${src.slice(0, 100)}" must be an https:// URL (or a file uploaded with \`consentry media add\`)`);
  }
  const compiled: CompiledCampaign = {
    language: lang,
    needs: [...new Set([...variablesWithoutDefault(content.subject), ...variablesWithoutDefault(content.body)])],
    subject: liquidStep('subject', () => liquidText.parse(subjectSrc)),
    html: liquidStep('body', () => liquidHtml.parse(rendered.html)),
    text: liquidStep('body', () => liquidText.parse(rendered.text)),
    layout: cutLayout(layoutParts(lang, org, '\u0000FOOTER\u0000')),
    footer: footers(org, lang, content.purposeName, privacy, manage),
    org,
  };
  checkSubject(renderParsed(liquidText, 'subject', compiled.subject, { ...SAMPLE, organisation: org.name }));
  return compiled;
}

function cutLayout(l: ReturnType<typeof layoutParts>): CompiledCampaign['layout'] {
  const [beforeFooter, afterFooter] = l.afterBody.split('\u0000FOOTER\u0000') as [string, string];
  return { head: l.head, beforeBody: l.beforeBody, beforeFooter, afterFooter };
}

/** The footers per reason, built once each, cut where the unsubscribe URL goes. */
function footers(org: Organisation, lang: Language, purpose: string, privacy: string, manage: string | null) {
  const cache = new Map<FooterReason, { text: [string, string]; html: [string, string] }>();
  const MARK = '\u0000UNSUB\u0000';
  return (reason: FooterReason) => {
    let f = cache.get(reason);
    if (f) return f;
    const v = { purpose, org: org.name };
    const text = [
      sentence(tText(lang, `footer.reason.${reason}`, v)),
      `${tText(lang, 'footer.unsubscribeLead')} ${MARK}`,
      ...(manage ? [`${tText(lang, 'footer.manage')}: ${manage}`] : []),
      `${tText(lang, 'footer.privacy')}: ${privacy}`,
      '',
      ...identityLines(org, lang),
    ].join('\n');
    const links = [
      `<a href="${MARK}" style="color:#4b5563;text-decoration:underline;font-weight:bold">${tHtml(lang, 'footer.unsubscribe')}</a>`,
      ...(manage ? [footerLink(manage, tHtml(lang, 'footer.manage'))] : []),
      footerLink(privacy, tHtml(lang, 'footer.privacy')),
    ].join(' &nbsp;&middot;&nbsp; ');
    const html = [
      `<p style="${FOOTER_P}">${sentence(tHtml(lang, `footer.reason.${reason}`, v))}</p>`,
      `<p style="${FOOTER_P}">${links}</p>`,
      `<p style="${FOOTER_P}">${identityLines(org, lang).map(esc).join('<br>')}</p>`,
    ].join('\n');
    const cut = (s: string): [string, string] => {
      const i = s.indexOf(MARK);
      return [s.slice(0, i), s.slice(i + MARK.length)];
    };
    f = { text: cut(wrapText(text, MAX_LINE)), html: cut(html) };
    cache.set(reason, f);
    return f;
  };
}

/**
 * Composes one message of a compiled campaign for one contact: subject and both parts personalised, our footer
 * with this contact's unsubscribe link, and the headers List-Unsubscribe, List-Unsubscribe-Post (RFC 8058) and
 * List-Id (RFC 2919).
 * @returns the message; To is the bare address, From `"fromName or org name" <fromAddress>`
 * @throws Error for a subject that renders empty or too long, a render error (e.g. the render limit), or an
 *   unusable address, URL or list id
 */
export function composeCompiled(c: CompiledCampaign, m: PerMessage): OutgoingMessage {
  const unsubscribe = checkUrl('links.unsubscribe', m.unsubscribe);
  const listId = checkListId(m.listId);
  const vars = { first_name: m.contact.firstName ?? null, last_name: m.contact.lastName ?? null, email: m.contact.email, organisation: c.org.name };
  const subject = checkSubject(renderParsed(liquidText, 'subject', c.subject, vars));
  const text = renderParsed(liquidText, 'body', c.text, vars).trim();
  const html = renderParsed(liquidHtml, 'body', c.html, vars);
  const f = c.footer(m.reason ?? 'consent');
  const footerHtml = f.html[0] + esc(unsubscribe) + f.html[1];
  return {
    ...envelope({ email: checkAddress('email', m.contact.email), messageId: m.messageId, envelopeFrom: m.envelopeFrom }, c.org),
    subject,
    text: `${text}\n\n---\n${f.text[0]}${unsubscribe}${f.text[1]}\n`,
    html: c.layout.head + esc(subject) + c.layout.beforeBody + html + c.layout.beforeFooter + footerHtml + c.layout.afterFooter,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${quotePhrase(c.org.name)} <${listId}>`,
    },
  };
}
