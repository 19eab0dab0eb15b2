/**
 * The HTTP application: public pages, the admin app under /admin, the JSON API under /api/v1 and /healthz. Built here, started elsewhere
 * (the CLI calls `listen()`), so tests drive it with `app.inject()` (STYLE.md 8).
 */
import type { LogLevel } from '../config.js';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { Deps } from '../services/deps.js';
import { adminApp } from './admin/plugin.js';
import type { WebhookTargetPolicy } from '../services/webhooks/endpoints.js';
import { DEFAULT_SIGNUP_LIMITS, type SignupLimits } from '../services/consent/signup-limits.js';
import { apiRoutes } from './api/index.js';
import { registerErrorPages, sendErrorPage } from './errors.js';
import type { WebhookConfig } from '../config-inbound.js';
import type { SnsPort } from '../services/events/webhooks/ses.js';
import { webhookRoutes } from './routes/webhooks.route.js';
import { confirmRoutes } from './routes/confirm.route.js';
import { formRoutes } from './routes/form.route.js';
import { healthRoutes } from './routes/health.route.js';
import { homeRoutes } from './routes/home.route.js';
import { manageRoutes } from './routes/manage.route.js';
import { mediaRoutes } from './routes/media.route.js';
import { privacyRoutes } from './routes/privacy.route.js';
import { clickRoutes } from './routes/click.route.js';
import { unsubscribeRoutes } from './routes/unsubscribe.route.js';

/**
 * A URL as logged: the query cut off, and the path segments that act for or name a person replaced by `…` —
 * signed tokens (`/u/eyJ…` → `/u/…`) and the contact in API paths (which may be an address). The path is decoded
 * first, so `/%75/<token>` is caught too.
 */
export function redactTokens(url: string): string {
  let path = url.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    return '(malformed url)';
  }
  return path.replace(/\/(confirm|u|manage)\/[^/]+/, '/$1/…').replace(/^\/api\/v1\/contacts\/[^/]+/, '/api/v1/contacts/…');
}

/** Options of `buildApp`. */
export interface AppOptions {
  /** Log requests with pino (default false). */
  logger?: boolean;
  /** The lowest level written when logging (LOG_LEVEL; default 'info'): 'warn' leaves out the request lines. */
  logLevel?: LogLevel;
  /**
   * The reverse proxies (addresses, CIDR ranges; TRUST_PROXY) whose X-Forwarded-For is believed. The client is
   * the right-most address in the chain that is not one of them, so a client cannot choose its own address by
   * sending the header. Default none: the socket's address counts.
   */
  trustProxy?: string[];
  /** Sign-up POSTs allowed per IP address per minute (default 30). */
  signupsPerMinute?: number;
  /** Webhooks out: whether their URLs may be loopback and private addresses (default: not). */
  webhooksOut?: WebhookTargetPolicy;
  /** Limits against bots and list bombing (default DEFAULT_SIGNUP_LIMITS; `perHour` is SIGNUP_MAX_PER_HOUR). */
  signupLimits?: Partial<SignupLimits>;
  /** Called for each route as it is registered (tests check that every API route is documented). */
  onRoute?: (route: RouteOptions) => void;
  /** Providers whose bounce and complaint webhooks are accepted (issue 12); default none. */
  webhooks?: WebhookConfig;
  /** The folder of uploaded media, served at /media/… (services/organisation/media.ts); unset: not served. */
  mediaDir?: string;
  /** How SNS certificates are fetched and subscriptions confirmed (tests pass an offline one). */
  snsPort?: SnsPort;
}

/**
 * Builds the application without listening.
 * @example const app = await buildApp(ctx.deps); await app.listen({ port: 3000, host: '127.0.0.1' })
 */
export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request logs name the method, the route and the status only: no link tokens (they act for a person), no
    // IP address, no body, so the log holds no personal data that an erasure would have to find.
    logger: opts.logger && opts.logLevel !== 'silent'
      ? {
          level: opts.logLevel ?? 'info',
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: redactTokens(req.url) }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
    trustProxy: opts.trustProxy && opts.trustProxy.length > 0 ? opts.trustProxy : false,
    bodyLimit: 1024 * 1024,
    // Signed link tokens are longer than the router's default limit of 100 characters per parameter.
    routerOptions: { maxParamLength: 2100 },
    // A malformed or overlong URL (e.g. a mangled link) gets the error page too, not Fastify's JSON.
    frameworkErrors: (err, req, reply) => {
      void sendErrorPage(deps, req, reply, err.statusCode && err.statusCode < 500 ? err.statusCode : 400);
    },
  });

  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(rateLimit, { global: false });
  await app.register(cookie);
  registerErrorPages(app, deps);

  await app.register(healthRoutes, { deps });
  if (opts.mediaDir) await app.register(mediaRoutes, { deps, mediaDir: opts.mediaDir });

  // Public pages: urlencoded forms everywhere, multipart only where RFC 8058 one-click POSTs arrive.
  await app.register(async (pages) => {
    await pages.register(formbody, { bodyLimit: 64 * 1024 });
    await pages.register(homeRoutes, { deps });
    await pages.register(formRoutes, { deps, signupsPerMinute: opts.signupsPerMinute ?? 30, limits: { ...DEFAULT_SIGNUP_LIMITS, ...opts.signupLimits } });
    await pages.register(confirmRoutes, { deps });
    await pages.register(privacyRoutes, { deps });
    await pages.register(clickRoutes, { deps });
    await pages.register(manageRoutes, { deps });
    await pages.register(async (oneClick) => {
      await oneClick.register(multipart, {
        attachFieldsToBody: 'keyValues',
        limits: { files: 0, fields: 10, fieldSize: 1024, parts: 10 },
      });
      await oneClick.register(unsubscribeRoutes, { deps });
    });
  });

  await app.register(adminApp, { prefix: '/admin', deps, webhooksOut: opts.webhooksOut ?? { allowPrivate: false }, ...(opts.mediaDir && { mediaDir: opts.mediaDir }) });
  await app.register(apiRoutes, { prefix: '/api/v1', deps, webhooksOut: opts.webhooksOut ?? { allowPrivate: false } });
  if (opts.webhooks) await app.register(webhookRoutes, { deps, webhooks: opts.webhooks, ...(opts.snsPort ? { snsPort: opts.snsPort } : {}) });
  return app;
}
