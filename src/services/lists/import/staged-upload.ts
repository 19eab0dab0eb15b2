/**
 * Files uploaded in the admin app wait here between the preview and the import: one private folder (0700) in
 * the system's temporary directory, one file per upload (0600) named by a random id. A file is removed when its
 * import ran, and any file older than an hour when the next one is staged, so no list with addresses lingers.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { invalid } from '../../errors.js';

const DIR = join(tmpdir(), 'consentry-imports');
const MAX_AGE_MS = 3600_000;
const ID = /^[0-9a-f]{32}$/;
const EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx', '.zip'] as const;

/** A staged upload: its id (for the next form), the name it had and where it lies. */
export interface StagedUpload {
  id: string;
  name: string;
  path: string;
}

/**
 * Stages an uploaded file.
 * @param name the file name as uploaded (only its extension is used: .csv, .tsv, .txt, .xlsx or .zip)
 * @param data the file's bytes
 * @throws DomainError invalid 'file' for an empty file or another extension
 */
export function stageUpload(name: string, data: Buffer): StagedUpload {
  const ext = extname(name).toLowerCase();
  if (!(EXTENSIONS as readonly string[]).includes(ext)) throw invalid('file', `${name}: upload a .csv, .tsv, .xlsx or Mailchimp .zip file`, 'import-file-type');
  if (data.length === 0) throw invalid('file', `${name} is empty`, 'import-file-empty');
  mkdirSync(DIR, { recursive: true, mode: 0o700 });
  for (const f of readdirSync(DIR)) {
    const p = join(DIR, f);
    if (Date.now() - statSync(p).mtimeMs > MAX_AGE_MS) rmSync(p, { force: true });
  }
  const id = randomBytes(16).toString('hex');
  // The name keeps its extension (the importer reads .xlsx and .zip by it) and loses everything else.
  const path = join(DIR, `${id}${ext}`);
  writeFileSync(path, data, { mode: 0o600 });
  return { id, name: name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120), path };
}

/**
 * The staged file for an id from a form.
 * @throws DomainError invalid 'upload' when the id is malformed or the file is gone (imported, or older than an hour)
 */
export function stagedUpload(id: string, name: string): StagedUpload {
  if (!ID.test(id)) throw invalid('upload', 'the uploaded file is not known; upload it again', 'import-upload-gone');
  mkdirSync(DIR, { recursive: true, mode: 0o700 });
  const file = readdirSync(DIR, { withFileTypes: true }).find((f) => f.name.startsWith(`${id}.`));
  if (!file) throw invalid('upload', 'the uploaded file is gone (imported, or older than an hour); upload it again', 'import-upload-gone');
  return { id, name, path: join(DIR, file.name) };
}

/** Removes a staged file (after its import ran). */
export function discardUpload(upload: StagedUpload): void {
  rmSync(upload.path, { force: true });
}
