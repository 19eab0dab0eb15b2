/**
 * Uploaded media at their stable public URL, for images in mail and the items lead magnets deliver:
 * GET /media/<id>/<name>. Images are shown inline, anything else is a download; the content type is the one
 * recognised at upload, never sniffed (nosniff), and mail clients on other origins may load them.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Deps } from '../../services/deps.js';
import { isImageType, readMedia } from '../../services/organisation/media.js';

/** GET /media/:id/:name. */
export const mediaRoutes: FastifyPluginAsync<{ deps: Deps; mediaDir: string }> = async (app, { deps, mediaDir }) => {
  app.get<{ Params: { id: string; name: string } }>('/media/:id/:name', async (req, reply) => {
    const file = await readMedia({ ...deps, mediaDir }, req.params.id, req.params.name);
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `${isImageType(file.contentType) ? 'inline' : 'attachment'}; filename="${file.fileName}"`)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.data);
  });
};
