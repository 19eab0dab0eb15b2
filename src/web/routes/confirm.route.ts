/**
 * The double opt-in link (SCENARIOS A1, A7). GET (and the HEAD Fastify derives from it) only checks the token
 * and shows one button; nothing changes until that button POSTs. A second POST is 409, a bad token 400 and an
 * expired one 410 (mapped in errors.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Language } from '../../core/vocab.js';
import { confirm, readConfirmToken } from '../../services/consent/confirm.js';
import type { Deps } from '../../services/deps.js';
import { purposeById } from '../../store/purposes.js';
import { pageContext } from '../language.js';
import { confirmedPage, confirmPage } from '../views/confirm.view.js';

/** The purposes' names in a language, in the given order (unknown ids are left out). */
export async function purposeNames(deps: Pick<Deps, 'db'>, ids: string[], lang: Language): Promise<string[]> {
  const names: string[] = [];
  for (const id of ids) {
    const p = await purposeById(deps.db, id);
    if (p) names.push(lang === 'nl' ? p.name_nl : p.name_en);
  }
  return names;
}

/** GET/HEAD and POST /confirm/:token. */
export const confirmRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: { token: string } }>('/confirm/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    // Reading the token is pure: a scanner that fetches the link learns nothing and changes nothing.
    const claims = readConfirmToken(deps, req.params.token);
    const names = await purposeNames(deps, (claims.purposeId ?? '').split(',').filter(Boolean), ctx.lang);
    reply.header('cache-control', 'no-store');
    return reply.type('text/html; charset=utf-8').send(confirmPage(ctx, { token: req.params.token, purposeNames: names }));
  });

  app.post<{ Params: { token: string } }>('/confirm/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const result = await confirm(deps, {
      token: req.params.token,
      ip: req.ip ?? null,
      userAgent: req.headers['user-agent'] ?? null,
    });
    const names = await purposeNames(deps, result.confirmed, ctx.lang);
    return reply.type('text/html; charset=utf-8').send(confirmedPage(ctx, { purposeNames: names }));
  });
};
