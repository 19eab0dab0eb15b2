/**
 * Aggregate campaign figures kept beside the deliveries: counters (unsubscribes through a campaign's links), the
 * campaign's fixed link targets with their click counts, and the series of sends over time. Numbers, link
 * targets and campaign ids only: never a contact, token or IP.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Adds `n` to a campaign's counter `name` (upsert; the same SQL on SQLite and PostgreSQL). */
export async function bumpCampaignCounter(db: Kysely<DB>, campaignId: string, name: string, n = 1): Promise<void> {
  await db
    .insertInto('campaign_counters')
    .values({ campaign_id: campaignId, name, count: n })
    .onConflict((oc) => oc.columns(['campaign_id', 'name']).doUpdateSet((eb) => ({ count: eb('campaign_counters.count', '+', n) })))
    .execute();
}

/** A campaign's counters by name. */
export async function campaignCounters(db: Kysely<DB>, campaignId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('campaign_counters').select(['name', 'count']).where('campaign_id', '=', campaignId).execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.count)]));
}

/** Replaces a campaign's link targets (positions 0…n-1) with `urls`, click counts starting at 0. */
export async function replaceCampaignLinks(db: Kysely<DB>, campaignId: string, urls: string[]): Promise<void> {
  await db.deleteFrom('campaign_links').where('campaign_id', '=', campaignId).execute();
  if (urls.length === 0) return;
  await db
    .insertInto('campaign_links')
    .values(urls.map((url, position) => ({ campaign_id: campaignId, position, url, clicks: 0 })))
    .execute();
}

/** A campaign's link targets in position order, with their clicks. */
export async function campaignLinks(db: Kysely<DB>, campaignId: string): Promise<Array<{ position: number; url: string; clicks: number }>> {
  const rows = await db
    .selectFrom('campaign_links')
    .select(['position', 'url', 'clicks'])
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ position: Number(r.position), url: r.url, clicks: Number(r.clicks) }));
}

/** The target stored for one position of a campaign, or undefined. */
export async function campaignLinkAt(db: Kysely<DB>, campaignId: string, position: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('campaign_links')
    .select('url')
    .where('campaign_id', '=', campaignId)
    .where('position', '=', position)
    .executeTakeFirst();
  return row?.url;
}

/** Counts one click on a campaign's link. */
export async function countClick(db: Kysely<DB>, campaignId: string, position: number): Promise<void> {
  await db
    .updateTable('campaign_links')
    .set((eb) => ({ clicks: eb('clicks', '+', 1) }))
    .where('campaign_id', '=', campaignId)
    .where('position', '=', position)
    .execute();
}

/**
 * Sent deliveries of a campaign per UTC hour, oldest first. `sent_at` is ISO text, so its first 13 characters
 * ("2026-11-30T10") name the hour on both databases.
 */
export async function sendsPerHour(db: Kysely<DB>, campaignId: string): Promise<Array<{ hour: string; sent: number }>> {
  const hour = sql<string>`substr(sent_at, 1, 13)`;
  const rows = await db
    .selectFrom('deliveries')
    .select([hour.as('hour'), (eb) => eb.fn.countAll().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('sent_at', 'is not', null)
    .groupBy(hour)
    .orderBy(hour)
    .execute();
  return rows.map((r) => ({ hour: `${r.hour}:00:00.000Z`, sent: Number(r.n) }));
}

/** Blocked deliveries of a campaign counted by their stored reason list (JSON text). */
export async function blockedReasonLists(db: Kysely<DB>, campaignId: string): Promise<Array<{ reasons: string; n: number }>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['reasons', (eb) => eb.fn.countAll().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'blocked')
    .groupBy('reasons')
    .execute();
  return rows.map((r) => ({ reasons: r.reasons, n: Number(r.n) }));
}
