/**
 * Input sources of an import: plain files and the entries of a zip archive (streamed with yauzl, never
 * unpacked to disk or memory), plus the SHA-256 digest that recognises a re-run of the same input.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { invalid } from '../../errors.js';
import type { ByteSource } from './csv-stream.js';

/**
 * A file on disk as a re-openable source.
 * @throws DomainError invalid (field 'file') when the file does not exist or is not a file
 */
export function fileSource(path: string): ByteSource {
  let ok = false;
  try {
    ok = statSync(path).isFile();
  } catch {
    ok = false;
  }
  if (!ok) throw invalid('file', `${path} does not exist or is not a file`);
  return { name: basename(path), open: async () => createReadStream(path) };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

/**
 * Lists the file entries of a zip archive as sources; each `open()` streams one entry from a fresh handle.
 * @returns sources named by the entry's base name (folders and macOS metadata skipped)
 * @throws DomainError invalid (field 'file') when the archive cannot be read
 */
export async function zipSources(path: string): Promise<ByteSource[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    throw invalid('file', `${path} is not a readable zip archive: ${(err as Error).message}`);
  }
  const names: string[] = await new Promise((resolve, reject) => {
    const out: string[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/') && !e.fileName.startsWith('__MACOSX/')) out.push(e.fileName);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return names.map((fileName) => ({ name: basename(fileName), open: () => openEntry(path, fileName) }));
}

/** Opens one entry's decompressed stream; the archive handle closes when the stream ends. */
async function openEntry(path: string, fileName: string): Promise<Readable> {
  const zip = await openZip(path);
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (e.fileName !== fileName) return zip.readEntry();
      zip.openReadStream(e, (err, stream) => {
        if (err) return reject(err);
        stream.on('close', () => zip.close());
        resolve(stream);
      });
    });
    zip.on('end', () => reject(new Error(`${fileName} vanished from ${path}`)));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * SHA-256 over the sources' names and bytes, in the order given (stream-read, bounded memory).
 * @returns 64 hex characters
 */
export async function inputDigest(sources: ReadonlyArray<ByteSource>): Promise<string> {
  const h = createHash('sha256');
  for (const s of sources) {
    h.update(`${s.name}\0`);
    for await (const chunk of await s.open()) h.update(chunk as Buffer);
    h.update('\0');
  }
  return h.digest('hex');
}
