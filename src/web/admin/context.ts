/**
 * What every admin handler gets besides the request: the deps, the language, the signed-in session, a CSRF
 * token for its forms, the flash message of the page before, and the translator bound to the language.
 * Built once per request by the admin plugin (plugin.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLanguage, type Language } from '../../core/vocab.js';
import type { AdminSession } from '../../services/admin/sessions.js';
import type { Deps } from '../../services/deps.js';
import { DEFAULT_TIME_ZONE } from '../../services/organisation/time-zone.js';
import type { WebhookTargetPolicy } from '../../services/webhooks/endpoints.js';
import { fromAcceptLanguage, requestPath } from '../language.js';
import { at, hasAdminText, type AdminTextKey } from './texts.js';

/** Cookie names and the path they are sent on. */
export const SESSION_COOKIE = 'consentry_session';
export const LANG_COOKIE = 'consentry_lang';
export const FLASH_COOKIE = 'consentry_flash';
export const ADMIN_COOKIE_PATH = '/admin';

/** The CSRF token's user info before sign-in (the sign-in and set-up forms). */
export const ANONYMOUS = 'anonymous';

export interface AdminCtx {
  deps: Deps;
  lang: Language;
  /** The request path without the query, e.g. '/admin/users'. */
  path: string;
  /** Path and query, for coming back after signing in. */
  url: string;
  /** The signed-in person; null on public routes (sign-in, set-up) when nobody is signed in. */
  session: AdminSession | null;
  /** A CSRF token for the forms on this page (bound to the session). */
  csrf(): string;
  /** An admin text in the page's language. */
  t(key: AdminTextKey, vars?: Record<string, unknown>): string;
  /** The text key of a message from the previous request (after POST/redirect/GET), shown once. */
  flash: AdminTextKey | null;
  /** Whether webhooks may target loopback and private addresses (CONSENTRY_WEBHOOKS_ALLOW_PRIVATE). */
  webhooksOut: WebhookTargetPolicy;
  /** The folder of uploaded media (services/organisation/media.ts); null when this server serves none. */
  mediaDir: string | null;
  /** The organisation's time zone (IANA name), in which `when` shows every date and time. */
  timeZone: string;
}

/** Options of cookies the admin app sets: HttpOnly, SameSite=Lax, Secure on an https base URL, path /admin. */
export const cookieOptions = (deps: Pick<Deps, 'baseUrl'>) =>
  ({ path: ADMIN_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: deps.baseUrl.startsWith('https:') }) as const;

/** The admin language: `?lang=` first, then the language cookie, then Accept-Language. */
export function adminLanguage(req: FastifyRequest): Language {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof asked === 'string' && isLanguage(asked)) return asked;
  const kept = req.cookies[LANG_COOKIE];
  if (isLanguage(kept)) return kept;
  return fromAcceptLanguage(req.headers['accept-language']);
}

/** Where to go after signing in: a path under /admin from the `next` parameter, else the dashboard. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/|\?|$)/.test(next) && !/[\\\s]|\/\//.test(next) ? next : '/admin';
}

/** Builds the handler context; reads and clears the flash cookie. */
export function adminContext(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  webhooksOut: WebhookTargetPolicy = { allowPrivate: false },
  mediaDir: string | null = null,
  timeZone: string = DEFAULT_TIME_ZONE,
): AdminCtx {
  const lang = adminLanguage(req);
  const flashKey = req.cookies[FLASH_COOKIE];
  const flash = flashKey && hasAdminText(flashKey) ? flashKey : null;
  if (flashKey) reply.clearCookie(FLASH_COOKIE, { path: ADMIN_COOKIE_PATH });
  let token: string | undefined;
  return {
    deps,
    lang,
    path: requestPath(req),
    url: req.url,
    session: req.adminSession,
    csrf: () => (token ??= reply.generateCsrf({ userInfo: req.adminSession?.id ?? ANONYMOUS, ...cookieOptions(deps) })),
    t: (key, vars) => at(lang, key, vars),
    flash,
    webhooksOut,
    mediaDir,
    timeZone,
  };
}

/**
 * Redirects after a successful POST (303, so the browser GETs the next page), with a message to show there.
 * @param to a path under /admin
 */
export function redirectWithFlash(a: AdminCtx, reply: FastifyReply, to: string, flash?: AdminTextKey): FastifyReply {
  if (flash) reply.setCookie(FLASH_COOKIE, flash, { ...cookieOptions(a.deps), maxAge: 60 });
  return reply.redirect(to, 303);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin session of the request (admin routes only); null when nobody is signed in. */
    adminSession: AdminSession | null;
  }
}
