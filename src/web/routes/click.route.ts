/**
 * GET /r/:campaign/:ref — a counted link (services/campaigns/click-links.ts): redirects to the target stored for
 * that campaign and position only (no open redirect), adding 1 to the link's total on GET. Records no contact,
 * token or IP; HEAD only redirects.
 */
import type { FastifyPluginAsync } from 'fastify';
import { followLink } from '../../services/campaigns/click-links.js';
import type { Deps } from '../../services/deps.js';

export const clickRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  app.get<{ Params: { campaign: string; ref: string } }>('/r/:campaign/:ref', async (req, reply) => {
    const url = await followLink(deps, req.params.campaign, req.params.ref, req.method === 'GET');
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  });
};
