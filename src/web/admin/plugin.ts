/**
 * The admin app under /admin: body parsing, CSRF protection, the session, the route table (routes.ts) with the
 * one role check, error and not-found pages in the admin layout, and the stylesheet.
 *
 * Per request: `onRequest` reads the session cookie; each route's preHandlers then (1) send a visitor without
 * an active session to the sign-in page (and back afterwards), (2) refuse a role below the route's access with
 * 403, (3) on POST check the CSRF token (a missing or wrong `_csrf` is 403); only then does the handler run.
 * GET handlers never change anything. After a successful POST (status below 400) by a signed-in person the
 * `onResponse` hook writes the action log: the route pattern, its first path segment and `:id` as the object.
 */
import { getTimeZone } from '../../services/organisation/time-zone.js';
import { createHmac } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { mayAccess } from '../../core/admin/roles.js';
import { logAction } from '../../services/admin/action-log.js';
import { sessionFromToken } from '../../services/admin/sessions.js';
import type { Deps } from '../../services/deps.js';
import type { WebhookTargetPolicy } from '../../services/webhooks/endpoints.js';
import { DomainError } from '../../services/errors.js';
import { html } from '../html.js';
import { statusOf } from '../errors.js';
import { ADMIN_STYLESHEET, ADMIN_STYLESHEET_PATH } from './admin.css.js';
import { adminContext, ANONYMOUS, cookieOptions, SESSION_COOKIE, type AdminCtx } from './context.js';
import { domainMessage } from './handler.js';
import { adminPage } from './layout.js';
import { ADMIN_ROUTES, type AdminRoute } from './routes.js';
import { hasAdminText } from './texts.js';

const HTML = 'text/html; charset=utf-8';

/** An error page in the admin layout. */
export function adminErrorPage(a: AdminCtx, status: number, message?: string): string {
  const s = [400, 403, 404, 409, 429, 500, 503].includes(status) ? status : status >= 500 ? 500 : 400;
  const title = `error.title.${s}`;
  const body = `error.body.${s}`;
  return adminPage(
    a,
    hasAdminText(title) ? a.t(title) : String(s),
    html`<div class="card narrow"><p>${message ?? (hasAdminText(body) ? a.t(body) : '')}</p>
<p><a href="/admin">${a.t('error.toDashboard')}</a></p></div>`,
  );
}

/** The sign-in page for a visitor without an active session, coming back to `req.url` afterwards. */
const toSignIn = (req: FastifyRequest, reply: FastifyReply) => {
  const hadCookie = SESSION_COOKIE in req.cookies;
  const next = req.method === 'GET' ? req.url : '/admin';
  return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}${hadCookie ? '&expired=1' : ''}`, 303);
};

export const adminApp: FastifyPluginAsync<{ deps: Deps; webhooksOut?: WebhookTargetPolicy; mediaDir?: string }> = async (app, { deps, webhooksOut, mediaDir }) => {
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // File uploads (the Imports and Media pages): one file of at most 50 MB, read into the body as { filename, data } next to
  // the text fields, so the CSRF check reads `_csrf` as on every other form.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fileSize: 50 * 1024 * 1024, fields: 40, fieldSize: 64 * 1024 },
    onFile: async (part) => {
      (part as unknown as { value: UploadedFile }).value = { filename: part.filename, data: await part.toBuffer() };
    },
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: cookieOptions(deps),
    getUserInfo: (req) => req.adminSession?.id ?? ANONYMOUS,
    csrfOpts: { hmacKey: createHmac('sha256', deps.secret).update('consentry admin csrf').digest() },
  });
  app.decorateRequest('adminSession', null);

  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    req.adminSession = token ? await sessionFromToken(deps, token) : null;
  });
  app.addHook('onSend', async (_req, reply) => {
    // Admin pages hold personal data: never kept by a browser cache or a proxy.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  /** The one role check (STYLE.md 11): the route's access level against the session's role. */
  const guard =
    (route: AdminRoute): preHandlerHookHandler =>
    async (req, reply) => {
      if (route.access === 'public') return;
      const s = req.adminSession;
      if (!s || s.state !== 'active') return toSignIn(req, reply);
      if (!mayAccess(s.role, route.access)) {
        return reply.code(403).type(HTML).send(adminErrorPage(adminContext(deps, req, reply), 403));
      }
    };

  app.addHook('onResponse', async (req, reply) => {
    const { config, url } = req.routeOptions;
    const s = req.adminSession;
    if (req.method !== 'POST' || !s || reply.statusCode >= 400 || !config.access || config.access === 'public' || config.log === false) return;
    const pattern = url ?? '';
    await logAction(deps, {
      actor: { kind: 'user', id: s.userId, name: s.email },
      action: `POST ${pattern}`,
      object: { kind: pattern.split('/')[2] ?? 'admin', id: (req.params as { id?: string }).id ?? null },
      status: reply.statusCode,
    }).catch((err: unknown) => req.log.error({ err }, 'action log write failed'));
  });

  for (const route of ADMIN_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      config: { access: route.access, ...(route.log === false ? { log: false } : {}) },
      preHandler: route.method === 'POST' ? [guard(route), app.csrfProtection] : [guard(route)],
      handler: async (req, reply) => {
        const out = await route.handler(adminContext(deps, req, reply, webhooksOut, mediaDir ?? null, await getTimeZone(deps)), req, reply);
        return typeof out === 'string' ? reply.type(HTML).send(out) : out;
      },
    });
  }

  app.get(ADMIN_STYLESHEET_PATH.slice('/admin'.length), async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ADMIN_STYLESHEET),
  );

  app.setErrorHandler(async (err: FastifyError | DomainError, req, reply) => {
    const a = adminContext(deps, req, reply);
    if (err instanceof DomainError) return reply.code(statusOf(err.kind)).type(HTML).send(adminErrorPage(a, statusOf(err.kind), domainMessage(a, err)));
    const s = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (s >= 500) req.log.error({ err }, 'admin request failed');
    return reply.code(s).type(HTML).send(adminErrorPage(a, s));
  });
  app.setNotFoundHandler(async (req, reply) => reply.code(404).type(HTML).send(adminErrorPage(adminContext(deps, req, reply), 404)));
};

/** A file field of a multipart admin form. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The access level of an admin route (routes.ts). */
    access?: AdminRoute['access'];
    /** false: a successful POST on this route is not written to the action log. */
    log?: false;
  }
}
