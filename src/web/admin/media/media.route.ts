/**
 * Handlers of the Media page (access in routes.ts): the files uploaded for mail, and an upload through the same
 * service as `consentry media add` (services/organisation/media.ts decides size and type).
 */
import { addMedia, listMedia } from '../../../services/organisation/media.js';
import { DomainError, invalid } from '../../../services/errors.js';
import { freshForm } from '../components.js';
import { redirectWithFlash } from '../context.js';
import { domainMessage, type AdminHandler } from '../handler.js';
import type { UploadedFile } from '../plugin.js';
import { mediaPage } from './media.view.js';

/** GET /admin/media */
export const mediaList: AdminHandler = async (a) =>
  mediaPage(a, a.mediaDir ? await listMedia({ ...a.deps, mediaDir: a.mediaDir }) : null, freshForm());

/** POST /admin/media (multipart): stores the file, or shows the page again with the reason next to the field. */
export const mediaUpload: AdminHandler = async (a, req, reply) => {
  if (!a.mediaDir) return mediaPage(a, null, freshForm());
  const deps = { ...a.deps, mediaDir: a.mediaDir };
  const file = (req.body as Record<string, unknown> | undefined)?.file as UploadedFile | undefined;
  try {
    if (!file || typeof file !== 'object' || !('data' in file) || !file.filename) throw invalid('file', 'file: choose a file', 'media-missing');
    await addMedia(deps, { fileName: file.filename, data: file.data });
  } catch (err) {
    if (!(err instanceof DomainError) || err.field !== 'file') throw err;
    reply.code(400);
    return mediaPage(a, await listMedia(deps), { values: {}, errors: { file: domainMessage(a, err) } });
  }
  return redirectWithFlash(a, reply, '/admin/media', 'media.uploaded');
};
