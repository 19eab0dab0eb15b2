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
