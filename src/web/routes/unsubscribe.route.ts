/**
 * The unsubscribe link (SCENARIOS E2, E3). GET shows the choice and changes nothing; when
 * the person is unsubscribed already (the link opened again, Back, reload) it says so instead of asking again. POST with `scope`
 * (purpose|all) is the page's button. POST with `List-Unsubscribe=One-Click` (RFC 8058, urlencoded or
 * multipart, no cookie or login) unsubscribes from the link's purpose at once and answers 200 with a short
 * text, never a redirect.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';
import { invalid } from '../../services/errors.js';
import { readUnsubscribeToken, unsubscribe, unsubscribeState } from '../../services/consent/unsubscribe.js';
import { pageContext } from '../language.js';
import { t } from '../texts.js';
import { unsubscribedPage, unsubscribePage } from '../views/unsubscribe.view.js';
import { purposeNames } from './confirm.route.js';
import { textField } from './form.route.js';
import { campaignById } from '../../store/campaigns.js';
import type { Language } from '../../core/vocab.js';

/**
 * What the link unsubscribes from, as the person knows it: the purpose's name, or for customer mail sent under
 * the customer exception (the person never subscribed) "offers for customers".
 */
async function mailName(deps: Deps, claims: { purposeId: string | null; campaignId: string | null }, lang: Language): Promise<string | null> {
  const campaign = claims.campaignId ? await campaignById(deps.db, claims.campaignId) : undefined;
  if (campaign?.category === 'customer_marketing') return t(lang, 'unsub.customerOffers');
  const [name = null] = await purposeNames(deps, claims.purposeId ? [claims.purposeId] : [], lang);
  return name;
}

/** GET/HEAD and POST /u/:token. */
export const unsubscribeRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const token = req.params.token;
    const name = await mailName(deps, readUnsubscribeToken(deps, token), ctx.lang);
    const state = await unsubscribeState(deps, token);
    reply.header('cache-control', 'no-store');
    return reply
      .type('text/html; charset=utf-8')
      .send(state === 'open' ? unsubscribePage(ctx, { token, purposeName: name }) : unsubscribedPage(ctx, { token, scope: state, purposeName: name, already: true }));
  });

  app.post<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const token = req.params.token;
    if (textField(req.body, 'List-Unsubscribe') === 'One-Click') {
      await unsubscribe(deps, { token, scope: 'purpose', channel: 'one-click' });
      return reply.code(200).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${t(ctx.lang, 'oneclick.done')}\n`);
    }
    const scope = textField(req.body, 'scope');
    if (scope !== 'purpose' && scope !== 'all') {
      readUnsubscribeToken(deps, token); // a bad token is reported as such first
      throw invalid('scope', 'choose "purpose" or "all"', 'bad-scope');
    }
    const claims = readUnsubscribeToken(deps, token);
    await unsubscribe(deps, { token, scope, channel: 'page' });
    const name = await mailName(deps, claims, ctx.lang);
    return reply.type('text/html; charset=utf-8').send(unsubscribedPage(ctx, { token, scope, purposeName: name }));
  });
};
