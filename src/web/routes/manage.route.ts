/**
 * "Manage my data" (GDPR 12(2), 15–17, 20, 21(3)). GET /manage asks for an address; POST /manage always gives
 * the same answer and mails a link when the address is known. Behind /manage/:token, GET and HEAD only show;
 * every change is a POST: /purpose (withdraw|subscribe), /name, /export (json|csv, as an attachment), /object,
 * /erase (asks to confirm first). A bad or expired link gets a 4xx page through the shared error handler.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';
import { invalid, DomainError } from '../../services/errors.js';
import {
  correctName, eraseMe, exportMyData, manageOverview, manageSubject, objectToMarketing, requestManageLink, resubscribePurpose, withdrawPurpose,
} from '../../services/rights/manage.js';
import { pageContext } from '../language.js';
import { textField } from './form.route.js';
import {
  manageAskPage, manageDonePage, manageErasedPage, manageEraseConfirmPage, manageOverviewPage, manageSentPage,
} from '../views/manage.view.js';

export interface ManageRouteOptions {
  deps: Deps;
  /** The built-in outbox folder, cleaned on erasure; default: the mailer's own when it is the outbox. */
  outboxDir?: string | null;
  /** Link requests allowed per IP address per minute (default 10). */
  requestsPerMinute?: number;
}

const DONE = {
  withdraw: { nl: 'U bent afgemeld.', en: 'You have been unsubscribed.' },
  subscribe: { nl: 'Wij hebben u een bevestigingsmail gestuurd. Pas als u op de link klikt, bent u aangemeld.', en: 'We have sent you a confirmation mail. You are subscribed once you click its link.' },
  name: { nl: 'Uw naam is aangepast.', en: 'Your name has been corrected.' },
  object: { nl: 'U krijgt geen reclame meer van ons.', en: 'You will receive no more marketing from us.' },
} as const;

export const manageRoutes: FastifyPluginAsync<ManageRouteOptions> = async (app, { deps, outboxDir, requestsPerMinute }) => {
  const html = 'text/html; charset=utf-8';
  app.get('/manage', async (req, reply) => reply.type(html).send(manageAskPage(await pageContext(deps, req))));

  app.post('/manage', { config: { rateLimit: { max: requestsPerMinute ?? 10, timeWindow: 60_000 } } }, async (req, reply) => {
    const ctx = await pageContext(deps, req);
    try {
      await requestManageLink(deps, { email: textField(req.body, 'email'), language: ctx.lang });
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'invalid') return reply.code(400).type(html).send(manageAskPage(ctx, e.message));
      throw e;
    }
    return reply.type(html).header('cache-control', 'no-store').send(manageSentPage(ctx));
  });

  app.get<{ Params: { token: string } }>('/manage/:token', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const view = await manageOverview(deps, req.params.token, ctx.lang);
    return reply.type(html).header('cache-control', 'no-store').send(manageOverviewPage(ctx, { token: req.params.token, ...view }));
  });

  app.post<{ Params: { token: string } }>('/manage/:token/purpose', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const { token } = req.params;
    const action = textField(req.body, 'action');
    const purposeId = textField(req.body, 'purposeId');
    if (action === 'withdraw') await withdrawPurpose(deps, token, purposeId);
    else if (action === 'subscribe') await resubscribePurpose(deps, token, purposeId, ctx.lang);
    else {
      await manageSubject(deps, token);
      throw invalid('action', 'choose "withdraw" or "subscribe"', 'bad-action');
    }
    return reply.type(html).send(manageDonePage(ctx, token, DONE[action][ctx.lang]));
  });

  app.post<{ Params: { token: string } }>('/manage/:token/name', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    await correctName(deps, req.params.token, { firstName: textField(req.body, 'firstName'), lastName: textField(req.body, 'lastName') });
    return reply.type(html).send(manageDonePage(ctx, req.params.token, DONE.name[ctx.lang]));
  });

  app.post<{ Params: { token: string } }>('/manage/:token/export', async (req, reply) => {
    const format = textField(req.body, 'format');
    if (format !== 'json' && format !== 'csv') {
      await manageSubject(deps, req.params.token);
      throw invalid('format', 'choose "json" or "csv"', 'bad-format');
    }
    const file = await exportMyData(deps, req.params.token, format);
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.body);
  });

  app.post<{ Params: { token: string } }>('/manage/:token/object', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    await objectToMarketing(deps, req.params.token);
    return reply.type(html).send(manageDonePage(ctx, req.params.token, DONE.object[ctx.lang]));
  });

  app.post<{ Params: { token: string } }>('/manage/:token/erase', async (req, reply) => {
    const ctx = await pageContext(deps, req);
    const { token } = req.params;
    if (textField(req.body, 'confirm') !== 'yes') {
      await manageSubject(deps, token);
      return reply.type(html).send(manageEraseConfirmPage(ctx, token));
    }
    await eraseMe(deps, token, outboxDir);
    return reply.type(html).send(manageErasedPage(ctx));
  });
};
