/**
 * The language of a page request (`?lang=` first, then `Accept-Language`, default Dutch) and the little that
 * every page needs to know about its request: language, path and the organisation shown as sender.
 */
import type { FastifyRequest } from 'fastify';
import type { Organisation } from '../core/organisation.js';
import type { PageAppearance } from './html.js';
import { isLanguage, type Language } from '../core/vocab.js';
import type { Deps } from '../services/deps.js';
import { getOrganisation } from '../store/settings.js';

/**
 * Picks nl or en from an Accept-Language header by quality; nl when neither is acceptable.
 * @example fromAcceptLanguage('de-DE, en;q=0.8, nl;q=0.5') // 'en'
 */
export function fromAcceptLanguage(header: string | undefined): Language {
  if (!header) return 'nl';
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    if (!isLanguage(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? 'nl';
}

/** The language of a request: `?lang=nl|en` when given, else Accept-Language, else nl. */
export function requestLanguage(req: FastifyRequest): Language {
  const query = req.query as Record<string, unknown> | undefined;
  const asked = query?.lang;
  if (typeof asked === 'string' && isLanguage(asked)) return asked;
  return fromAcceptLanguage(req.headers['accept-language']);
}

/** The request's path without its query string. */
export const requestPath = (req: FastifyRequest): string => req.url.split('?')[0] ?? '/';

/** What every page needs from its request. */
export interface PageContext {
  lang: Language;
  path: string;
  org: Organisation | null;
  /** A form's own logo and accent colour, on that form's pages. */
  appearance?: PageAppearance;
}

/** Reads the language, path and organisation for a page. */
export async function pageContext(deps: Pick<Deps, 'db'>, req: FastifyRequest): Promise<PageContext> {
  return { lang: requestLanguage(req), path: requestPath(req), org: await getOrganisation(deps.db) };
}
