/**
 * Domain errors become HTTP statuses here, and only here (STYLE.md 8): invalid 400, forbidden 403,
 * not_found 404, conflict 409, gone 410, unavailable 503. Pages get an error page in their language; paths
 * under /api/ get JSON (unless the API plugin answers its own errors first).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../services/errors.js';
import type { Deps } from '../services/deps.js';
import { html } from './html.js';
import { pageContext, requestLanguage, requestPath, type PageContext } from './language.js';
import { hasText, t } from './texts.js';
import { messagePage } from './views/message.view.js';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unavailable: 503,
};

/** The HTTP status for a kind of domain error. */
export const statusOf = (kind: DomainErrorKind): number => STATUS[kind];

const KNOWN_STATUSES = [400, 403, 404, 409, 410, 413, 429, 500, 503] as const;

/**
 * Renders an error page: a title for the status and a message for the error's code (when the page texts know
 * it) or for the status.
 */
export function errorPage(ctx: PageContext, status: number, code?: string): string {
  const s = (KNOWN_STATUSES as readonly number[]).includes(status) ? status : status >= 500 ? 500 : 400;
  const codeKey = `error.code.${code ?? ''}`;
  const genericKey = `error.generic.${s}`;
  const titleKey = `error.${s}`;
  const message = hasText(codeKey) ? t(ctx.lang, codeKey) : hasText(genericKey) ? t(ctx.lang, genericKey) : '';
  return messagePage(ctx, {
    title: hasText(titleKey) ? t(ctx.lang, titleKey) : String(s),
    tone: s === 409 ? 'plain' : 'error',
    paragraphs: [message],
    extra: html`<p><a href="/?lang=${ctx.lang}">${t(ctx.lang, 'error.home')}</a></p>`,
  });
}

/** Sends an error page for a status and code, in the request's language. */
export async function sendErrorPage(
  deps: Pick<Deps, 'db'>,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code?: string,
): Promise<FastifyReply> {
  let ctx: PageContext;
  try {
    ctx = await pageContext(deps, req);
  } catch {
    // The database may be the problem: show the page without the organisation.
    ctx = { lang: requestLanguage(req), path: requestPath(req), org: null };
  }
  return reply.code(status).type('text/html; charset=utf-8').send(errorPage(ctx, status, code));
}

const isApi = (req: FastifyRequest) => requestPath(req).startsWith('/api/');

/**
 * Installs the error and not-found handlers: domain errors with their status, Fastify's own client errors
 * (bad body, too large, rate limit) with theirs, anything else as 500 (logged).
 */
export function registerErrorPages(app: FastifyInstance, deps: Pick<Deps, 'db'>): void {
  app.setErrorHandler(async (err: FastifyError | DomainError, req, reply) => {
    let status: number;
    let code: string | undefined;
    if (err instanceof DomainError) {
      status = statusOf(err.kind);
      code = err.code;
    } else {
      const s = (err as FastifyError).statusCode;
      status = typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
      code = undefined;
      if (status >= 500) req.log.error({ err }, 'request failed');
    }
    if (isApi(req)) {
      return reply.code(status).send({ error: { code: code ?? (status >= 500 ? 'internal' : 'bad-request'), message: status >= 500 ? 'internal error' : err.message } });
    }
    return sendErrorPage(deps, req, reply, status, code);
  });
  app.setNotFoundHandler(async (req, reply) => {
    if (isApi(req)) return reply.code(404).send({ error: { code: 'not-found', message: 'no such endpoint' } });
    return sendErrorPage(deps, req, reply, 404);
  });
}
