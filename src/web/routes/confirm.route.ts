/**
 * The double opt-in link (SCENARIOS A1, A3, A7). GET (and the HEAD Fastify derives from it) only reads the token
 * and the ledger: it shows one button while the link's sign-up request is open, else what the state is. Nothing
 * changes, and no requested item is sent, until that button POSTs. A POST whose request is closed is 409 with the same truthful page, a bad token
 * 400 and an expired one 410 (mapped in errors.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Language } from '../../core/vocab.js';
import { CLOSED_STATES, confirm, deliveredItemsOf, inspectConfirmToken, readConfirmToken, type ClosedState } from '../../services/consent/confirm.js';
import type { Deps } from '../../services/deps.js';
import { DomainError } from '../../services/errors.js';
import { purposeById } from '../../store/purposes.js';
import { pageContext } from '../language.js';
import { confirmClosedPage, confirmedPage, confirmPage } from '../views/confirm.view.js';

/** The purposes' names in a language, in the given order (unknown ids are left out). */
export async function purposeNames(deps: Pick<Deps, 'db'>, ids: string[], lang: Language): Promise<string[]> {
  const names: string[] = [];
  for (const id of ids) {
    const p = await purposeById(deps.db, id);
    if (p) names.push(lang === 'nl' ? p.name_nl : p.name_en);
  }
  return names;
}

const isClosedState = (code: string | undefined): code is ClosedState => (CLOSED_STATES as readonly string[]).includes(code ?? '');

/** The items an already confirmed link's request delivered, named, for its page (a second press shows them again). */
async function itemsAgain(deps: Deps, token: string, state: ClosedState, lang: Language) {
  if (state !== 'already-confirmed') return [];
  const items = [];
  for (const i of await deliveredItemsOf(deps, token)) items.push({ name: (await purposeNames(deps, [i.purposeId], lang))[0] ?? i.purposeId, url: i.url });
  return items;
}

/** GET/HEAD and POST /confirm/:token. */
export const confirmRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: { token: string } }>('/confirm/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    // Reading is pure: a scanner that fetches the link learns nothing and changes nothing.
    const link = await inspectConfirmToken(deps, req.params.token);
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    if (link.closed) {
      const items = await itemsAgain(deps, req.params.token, link.closed, ctx.lang);
      return reply.send(confirmClosedPage(ctx, { state: link.closed, purposeNames: await purposeNames(deps, link.purposeIds, ctx.lang), items }));
    }
    const names = await purposeNames(deps, link.open, ctx.lang);
    return reply.send(confirmPage(ctx, { token: req.params.token, purposeNames: names, itemNames: await purposeNames(deps, link.items, ctx.lang) }));
  });

  app.post<{ Params: { token: string } }>('/confirm/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    try {
      const result = await confirm(deps, {
        token: req.params.token,
        ip: req.ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
      });
      const names = await purposeNames(deps, result.confirmed, ctx.lang);
      const items = [];
      for (const i of result.items) items.push({ name: (await purposeNames(deps, [i.purposeId], ctx.lang))[0] ?? i.purposeId, url: i.url, mailed: i.mailed });
      return reply.type('text/html; charset=utf-8').send(confirmedPage(ctx, { purposeNames: names, items }));
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'conflict' || !isClosedState(err.code)) throw err;
      const names = await purposeNames(deps, (readConfirmToken(deps, req.params.token).purposeId ?? '').split(','), ctx.lang);
      const items = await itemsAgain(deps, req.params.token, err.code, ctx.lang);
      return reply.code(409).type('text/html; charset=utf-8').send(confirmClosedPage(ctx, { state: err.code, purposeNames: names, items }));
    }
  });
};
