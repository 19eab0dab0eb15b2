/**
 * Media: files uploaded for mail (a logo, images in a campaign, the e-book a lead magnet delivers), kept in the
 * data folder and served by Consentry at a stable public URL `/media/<id>/<name>`. Only types that a browser or
 * mail client cannot run are accepted, recognised by their first bytes rather than their name (no SVG or HTML,
 * which can carry script).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MediaTable } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { invalid } from '../errors.js';

/** What media functions need: the database, the folder the files live in, the public base URL. */
export interface MediaDeps extends Data, Pick<Deps, 'baseUrl' | 'clock'> {
  mediaDir: string;
}

/** The largest file accepted, bytes (20 MB). */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

/** Accepted types: the first bytes that show them, and the extension the public name gets. */
const TYPES: Array<{ type: string; ext: string; test: (b: Buffer, name: string) => boolean }> = [
  { type: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', ext: 'gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'application/epub+zip', ext: 'epub', test: (b, n) => isZip(b) && /\.epub$/i.test(n) },
  { type: 'application/zip', ext: 'zip', test: (b) => isZip(b) },
];
const isZip = (b: Buffer) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

const typeOf = (data: Buffer, fileName: string) => TYPES.find((t) => t.test(data, fileName));

/** The content type a file would be stored with (recognised by its first bytes), or null when it is not accepted. */
export const mediaTypeOf = (data: Buffer, fileName: string): string | null => typeOf(data, fileName)?.type ?? null;

/** Whether a content type is an image (shown inline); anything else is served as a download. */
export const isImageType = (type: string) => type.startsWith('image/');

/** A file name safe in a URL path: ASCII letters, digits, `.`, `-`, `_`, with the type's extension. */
function publicName(fileName: string, ext: string): string {
  const stem = basename(fileName)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${stem || 'file'}.${ext}`;
}

/** The public URL of a stored file. */
export const mediaUrl = (baseUrl: string, m: Pick<MediaTable, 'id' | 'file_name'>) => `${baseUrl}/media/${m.id}/${m.file_name}`;

export interface StoredMedia {
  id: string;
  url: string;
  fileName: string;
  contentType: string;
  /** Bytes. */
  size: number;
}

/**
 * Stores an uploaded file. The same bytes uploaded again give the same URL.
 * @param input.fileName the name it was uploaded with (only used, cleaned, in the URL)
 * @returns where it is served
 * @throws DomainError invalid on field `file` for an empty file, one over 20 MB, or a type not accepted
 * @example await addMedia(deps, { fileName: 'Logo De Boon.png', data }) // { url: 'https://…/media/3f…/Logo-De-Boon.png', … }
 */
export async function addMedia(deps: MediaDeps, input: { fileName: string; data: Buffer }): Promise<StoredMedia> {
  const { data } = input;
  if (data.length === 0) throw invalid('file', 'file: the file is empty', 'media-empty');
  if (data.length > MAX_MEDIA_BYTES) throw invalid('file', `file: ${data.length} bytes; at most ${MAX_MEDIA_BYTES} (20 MB)`, 'media-too-large');
  const kind = typeOf(data, input.fileName);
  if (!kind) throw invalid('file', 'file: only PNG, JPEG, GIF and WebP images, PDF, EPUB and ZIP files can be uploaded (no SVG or HTML: they can carry script)', 'media-type');
  const sha256 = createHash('sha256').update(data).digest('hex');
  const existing = await deps.db.selectFrom('media').selectAll().where('sha256', '=', sha256).executeTakeFirst();
  const row: MediaTable = existing ?? {
    id: randomBytes(12).toString('hex'),
    file_name: publicName(input.fileName, kind.ext),
    content_type: kind.type,
    size: data.length,
    sha256,
    created_at: deps.clock.now().toISOString(),
  };
  if (!existing) {
    await mkdir(deps.mediaDir, { recursive: true });
    const path = join(deps.mediaDir, row.id);
    await writeFile(path, data, { flag: 'wx', mode: 0o644 });
    try {
      await deps.db.insertInto('media').values(row).execute();
    } catch (err) {
      await unlink(path).catch(() => undefined);
      throw err;
    }
  }
  return { id: row.id, url: mediaUrl(deps.baseUrl, row), fileName: row.file_name, contentType: row.content_type, size: row.size };
}

/** The files uploaded, newest first. */
export async function listMedia(deps: Omit<MediaDeps, 'clock'>): Promise<StoredMedia[]> {
  const rows = await deps.db.selectFrom('media').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, url: mediaUrl(deps.baseUrl, r), fileName: r.file_name, contentType: r.content_type, size: r.size }));
}

/**
 * One file for the public route, or null when the id or the name does not match (ids are not guessable; a
 * wrong name is a wrong link).
 */
export async function readMedia(deps: Data & { mediaDir: string }, id: string, name: string): Promise<{ contentType: string; fileName: string; data: Buffer } | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const row = await deps.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.file_name !== name) return null;
  const data = await readFile(join(deps.mediaDir, row.id)).catch(() => null);
  return data ? { contentType: row.content_type, fileName: row.file_name, data } : null;
}
