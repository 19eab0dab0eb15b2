/**
 * Queries behind the sign-up limits and the proof-of-work replay check (migration 010). Each check is one atomic
 * statement, so several server processes sharing PostgreSQL count together.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * Counts one hit on a counter whose window starts at its first hit and lasts `windowMs`; a hit after the window
 * ended starts a new one. Counters whose window has ended are deleted on the way.
 * @returns the number of hits in the current window, this one included (1 for the first)
 * @example if ((await countHit(db, `mail:${hash}`, 24 * 3600_000, now)) > 1) // a mail went out in the last 24 h
 */
export async function countHit(db: Kysely<DB>, key: string, windowMs: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const end = new Date(now.getTime() + windowMs).toISOString();
  await db.deleteFrom('signup_counters').where('expires_at', '<=', at).where('key', '!=', key).execute();
  const ended = sql<boolean>`signup_counters.expires_at <= ${at}`;
  const row = await db
    .insertInto('signup_counters')
    .values({ key, window_start: at, expires_at: end, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when ${ended} then 1 else signup_counters.count + 1 end`,
        window_start: sql<string>`case when ${ended} then ${at} else signup_counters.window_start end`,
        expires_at: sql<string>`case when ${ended} then ${end} else signup_counters.expires_at end`,
      }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Takes back one hit (a mail that could not be sent after all should not use up the allowance). */
export async function uncountHit(db: Kysely<DB>, key: string): Promise<void> {
  await db.updateTable('signup_counters').set({ count: sql<number>`count - 1` }).where('key', '=', key).where('count', '>', 0).execute();
}

/**
 * Marks a challenge as used, until it expires; spent challenges that expired are deleted on the way.
 * @param digest SHA-256 of the challenge's signature
 * @returns true when this call spent it, false when it had been spent before (a replay)
 */
export async function spendChallenge(db: Kysely<DB>, digest: string, expiresAt: Date, now: Date): Promise<boolean> {
  await db.deleteFrom('spent_challenges').where('expires_at', '<=', now.toISOString()).execute();
  const row = await db
    .insertInto('spent_challenges')
    .values({ digest, expires_at: expiresAt.toISOString() })
    .onConflict((oc) => oc.column('digest').doNothing())
    .returning('digest')
    .executeTakeFirst();
  return row !== undefined;
}
