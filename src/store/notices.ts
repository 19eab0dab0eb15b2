/**
 * Privacy notices, versioned. A version is never changed once published; a new text is a new version.
 */
import type { Kysely } from 'kysely';
import type { DB, PrivacyNoticeRow } from './schema.js';

/** The newest published version, or undefined when none is published. */
export async function currentNotice(db: Kysely<DB>): Promise<PrivacyNoticeRow | undefined> {
  return db
    .selectFrom('privacy_notices')
    .selectAll()
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every version, newest first, without its content. */
export async function listNoticeVersions(db: Kysely<DB>): Promise<Array<Pick<PrivacyNoticeRow, 'version' | 'created_at' | 'published_at'>>> {
  return db.selectFrom('privacy_notices').select(['version', 'created_at', 'published_at']).orderBy('version', 'desc').execute();
}

export async function noticeByVersion(db: Kysely<DB>, version: number): Promise<PrivacyNoticeRow | undefined> {
  return db.selectFrom('privacy_notices').selectAll().where('version', '=', version).executeTakeFirst();
}

/**
 * Stores a new version (the next number) and optionally publishes it.
 * @param content JSON text of the notice content
 * @returns the version number
 */
export async function addNotice(db: Kysely<DB>, content: string, publishAt: Date | null, now: Date): Promise<number> {
  const top = await db.selectFrom('privacy_notices').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  const version = Number(top?.v ?? 0) + 1;
  await db
    .insertInto('privacy_notices')
    .values({ version, content, published_at: publishAt?.toISOString() ?? null, created_at: now.toISOString() })
    .execute();
  return version;
}

/** Publishes a stored version once: a version's text never changes, only its publication time is set. */
export async function markNoticePublished(db: Kysely<DB>, version: number, publishedAt: string): Promise<void> {
  await db
    .updateTable('privacy_notices')
    .set({ published_at: publishedAt })
    .where('version', '=', version)
    .where('published_at', 'is', null)
    .execute();
}
