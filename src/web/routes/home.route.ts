/**
 * The start page: the organisation, its forms and its privacy notice (or how to set up), plus the stylesheet.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';
import { formTexts } from '../../services/consent/subscribe.js';
import { listForms } from '../../store/forms.js';
import { pageContext } from '../language.js';
import { accentStylesheet, STYLESHEET, STYLESHEET_PATH } from '../public.css.js';
import { FAVICON_PATH, FAVICON_SVG } from '../favicon.js';
import { homePage } from '../views/home.view.js';

/** GET /, the site icon, the stylesheet and the accent-colour stylesheets (`/assets/accent/<rrggbb>.css`). */
export const homeRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const forms = ctx.org ? (await listForms(deps.db)).map((f) => ({ id: f.id, title: formTexts(f, ctx.lang).title })) : [];
    return reply.type('text/html; charset=utf-8').send(homePage(ctx, forms));
  });

  app.get(FAVICON_PATH, async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG),
  );
  app.get('/favicon.ico', async (_req, reply) => reply.redirect(FAVICON_PATH, 301));

  app.get(STYLESHEET_PATH, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );

  // One small stylesheet per colour: its text follows from the path alone, so it may be cached for long.
  app.get<{ Params: { file: string } }>('/assets/accent/:file', async (req, reply) => {
    const css = /^[0-9a-f]{6}\.css$/.test(req.params.file) ? accentStylesheet(req.params.file.slice(0, 6)) : null;
    if (css === null) return reply.callNotFound();
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(css);
  });
};
