/**
 * File modes for what holds personal data: the data folder Consentry creates is 0700 and the SQLite database
 * 0600, like the evidence export and the outbox's messages. Without this the database would be 0644 in a 0755
 * folder (SQLite's default and the usual umask 022): readable by every account on the machine.
 */
import { chmodSync, closeSync, fchmodSync, fstatSync, mkdirSync, openSync, statSync } from 'node:fs';

/** Owner only: folders Consentry creates. */
export const PRIVATE_FOLDER = 0o700;
/** Owner read and write: the database file. */
export const PRIVATE_FILE = 0o600;

/**
 * Creates a folder (and its missing parents) owner-only. A folder that already exists keeps its mode: the user
 * made it and may share it on purpose (a backup group, a mounted volume), and the files Consentry writes in it
 * are private themselves, so a listing shows no more than their names.
 * @example privateFolder('/var/lib/consentry') // created 0700 when missing
 */
export function privateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER });
}

/**
 * Makes sure a SQLite database file is not readable by others before SQLite opens it: a missing file is created
 * empty with mode 0600 (SQLite takes an empty file as a new database and creates its -wal and -shm files with
 * the database file's mode; left to itself it would create 0644). An existing file, and -wal/-shm files left
 * next to it, lose access for others (an earlier version made them 0644); owner and group bits stay as the
 * user set them. Failing to change a file someone else owns is not fatal: it is their file's mode.
 * @param path the database file; its folder must exist
 */
export function privateDatabaseFile(path: string): void {
  const fd = openSync(path, 'a', PRIVATE_FILE);
  try {
    withoutOthers(fstatSync(fd).mode, (mode) => fchmodSync(fd, mode));
  } finally {
    closeSync(fd);
  }
  for (const extra of [`${path}-wal`, `${path}-shm`]) {
    let mode: number;
    try {
      mode = statSync(extra).mode;
    } catch {
      continue;
    }
    withoutOthers(mode, (m) => chmodSync(extra, m));
  }
}

/**
 * Opens a file Consentry writes personal data to at the user's request (`export evidence --out`), truncated and
 * 0600 whether it existed or not: `open`'s mode applies only to a file it creates, so a file that was there keeps
 * its 0644 unless changed here, before anything is written (GDPR 32: it holds the whole contact list).
 * @param path the file to write
 * @returns an open file descriptor, for `createWriteStream(path, { fd })`
 * @throws Error naming the file when its mode cannot be changed (another user's file): nothing is written to it
 */
export function privateOutputFile(path: string): number {
  const fd = openSync(path, 'w', PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
  } catch (err) {
    closeSync(fd);
    throw new Error(`cannot make ${path} readable by its owner only (${(err as Error).message}); write the export to a file of your own`);
  }
  return fd;
}

/** Calls `chmod` with `mode` minus the others' bits when it has any; EPERM (not the owner) is ignored. */
function withoutOthers(mode: number, chmod: (mode: number) => void): void {
  if ((mode & 0o007) === 0) return;
  try {
    chmod(mode & 0o770);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
  }
}
