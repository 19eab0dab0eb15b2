/**
 * Campaigns.
 */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { CampaignRow, CampaignsTable, DB } from './schema.js';

export async function campaignById(db: Kysely<DB>, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCampaigns(db: Kysely<DB>): Promise<CampaignRow[]> {
  return db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').execute();
}

export async function insertCampaign(db: Kysely<DB>, row: Insertable<CampaignsTable>): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

export async function updateCampaign(db: Kysely<DB>, id: string, patch: Updateable<CampaignsTable>): Promise<void> {
  await db.updateTable('campaigns').set(patch).where('id', '=', id).execute();
}

/**
 * Changes a campaign only while it has `status`, so a campaign that started meanwhile is never changed.
 * @returns whether the row was changed
 */
export async function updateCampaignIf(db: Kysely<DB>, id: string, status: string, patch: Updateable<CampaignsTable>): Promise<boolean> {
  const r = await db.updateTable('campaigns').set(patch).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Deletes a draft campaign with its fixed links and counters (a draft has no deliveries).
 * @returns whether a draft was deleted
 */
export async function deleteDraftCampaign(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('campaigns').where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) return false;
  await db.deleteFrom('campaign_links').where('campaign_id', '=', id).execute();
  await db.deleteFrom('campaign_counters').where('campaign_id', '=', id).execute();
  return true;
}

/** Scheduled campaigns whose time has come (`scheduled_at` ≤ now), earliest first. */
export async function dueCampaigns(db: Kysely<DB>, now: Date): Promise<CampaignRow[]> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', now.toISOString())
    .orderBy('scheduled_at')
    .execute();
}
