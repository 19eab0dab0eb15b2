/**
 * The campaign list that the admin app, the CLI (`campaign list`) and the JSON API (`GET /campaigns`) show: every
 * campaign, newest first, with its deliveries counted by state.
 */
import { listCampaigns } from '../../store/campaigns.js';
import { deliveryCounts } from '../../store/deliveries.js';
import type { CampaignRow } from '../../store/schema.js';
import type { Data } from '../deps.js';

/** A campaign with its deliveries by state (`queued`, `claimed`, `sent`, `blocked`, `failed`, …; erased ones included). */
export type CampaignWithCounts = CampaignRow & { deliveries: Record<string, number> };

/**
 * Every campaign, newest first, with delivery counts.
 * @example (await listCampaignsWithCounts(deps))[0].deliveries.sent // 120
 */
export async function listCampaignsWithCounts(deps: Data): Promise<CampaignWithCounts[]> {
  const out: CampaignWithCounts[] = [];
  for (const c of await listCampaigns(deps.db)) out.push({ ...c, deliveries: await deliveryCounts(deps.db, c.id) });
  return out;
}
