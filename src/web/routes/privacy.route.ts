/**
 * The privacy notice: the current published version, or a given published version (drafts stay hidden).
 */
import type { FastifyPluginAsync } from 'fastify';
import { renderNotice } from '../../core/notice-render.js';
import type { NoticeContent } from '../../core/notice.js';
import type { Deps } from '../../services/deps.js';
import { notFound } from '../../services/errors.js';
import { currentNotice, noticeByVersion } from '../../store/notices.js';
import { pageContext } from '../language.js';
import { privacyPage } from '../views/privacy.view.js';

/** GET /privacy and GET /privacy/:version. */
export const privacyRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const show = async (req: Parameters<typeof pageContext>[1], version: number | null) => {
    const ctx = await pageContext(deps, req);
    const current = await currentNotice(deps.db);
    const row = version === null ? current : await noticeByVersion(deps.db, version);
    if (!row || !row.published_at) throw notFound('no such published privacy notice', 'no-privacy');
    const notice = renderNotice(JSON.parse(row.content) as NoticeContent, ctx.lang, String(row.version));
    return privacyPage(ctx, { notice, version: row.version, publishedAt: row.published_at, current: row.version === current?.version });
  };

  app.get('/privacy', async (req, reply) => reply.type('text/html; charset=utf-8').send(await show(req, null)));

  app.get<{ Params: { version: string } }>('/privacy/:version', async (req, reply) => {
    const { version } = req.params;
    if (!/^[1-9][0-9]{0,8}$/.test(version)) throw notFound('no such privacy notice version', 'no-privacy');
    return reply.type('text/html; charset=utf-8').send(await show(req, Number(version)));
  });
};
