/**
 * "Send to those added since": after a campaign went out, the people who became eligible since — new
 * subscribers, and those blocked then who may be mailed now (e.g. they confirmed later) — get it too, each once.
 * The unique (campaign, contact) delivery row makes it once: a contact with a row that was sent, failed or is
 * queued is never queued again, and only a row that was blocked is turned into a queued one.
 */
import { randomUUID } from 'node:crypto';
import { messageIdFor } from '../../mail/compose.js';
import { audienceKeyPages } from '../../store/audience.js';
import { updateCampaign } from '../../store/campaigns.js';
import { deliveryCounts, enqueueDeliveries, type NewDelivery } from '../../store/deliveries.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import type { Deps } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { keyedDecider, keyOptions, loadCampaign } from './campaigns.js';
import { finishCampaignIfDone } from './send.js';

/**
 * Queues the campaign for everyone allowed now who has not had it: new contacts get a delivery row, contacts whose
 * row was blocked get it queued again with the new decision. Contacts blocked now are left alone (no new row).
 * @returns how many new rows were queued (`added`) and how many blocked rows were queued again (`requeued`)
 * @throws DomainError conflict (field `status`) when the campaign has not been started; not_found
 */
export async function sendToAddedSince(deps: Deps, campaignId: string): Promise<{ added: number; requeued: number }> {
  const campaign = await loadCampaign(deps.db, campaignId);
  if (campaign.status !== 'sent' && campaign.status !== 'sending') {
    throw new DomainError('conflict', `status: the campaign has not gone out yet (its status is ${campaign.status}); send it first`, 'status', 'not-sent');
  }
  const org = await getOrganisation(deps.db);
  if (!org) throw invalid('organisation', 'the sender identity is not set up: run `consentry init` first', 'no-identity');
  const domain = org.fromAddress.split('@')[1]!;
  const now = deps.clock.now();
  const decideKey = keyedDecider(campaign, await getDecisionSettings(deps.db), now);
  const before = total(await deliveryCounts(deps.db, campaignId));
  let requeued = 0;
  for await (const page of audienceKeyPages(deps.db, deps.dialect, campaign.purpose_id, { ...keyOptions(campaign), ids: true, pageSize: 2000 })) {
    const ids = page.ids!;
    const rows: NewDelivery[] = [];
    for (let i = 0; i < ids.length; i++) {
      const d = decideKey(page.keys[i]!, page.purchases?.[i] ?? null);
      if (!d.allowed) continue;
      rows.push({ id: randomUUID(), contactId: ids[i]!, messageId: messageIdFor(domain), state: 'queued', reasons: d.reasons.map((r) => r.code), basis: d.basis });
    }
    if (rows.length === 0) continue;
    await deps.db.transaction().execute(async (trx) => {
      await enqueueDeliveries(trx, campaign.id, rows, now);
      // Rows that existed and were blocked: queued now, due at once (a queued row's lease_until is its due time;
      // the worker decides again at claim time, as for all).
      const u = await trx
        .updateTable('deliveries')
        .set({ state: 'queued', reasons: '[]', lease_until: now.toISOString(), claimed_by: null, updated_at: now.toISOString() })
        .where('campaign_id', '=', campaign.id)
        .where('contact_id', 'in', rows.map((r) => r.contactId))
        .where('state', '=', 'blocked')
        .executeTakeFirst();
      requeued += Number(u.numUpdatedRows);
    });
  }
  const added = total(await deliveryCounts(deps.db, campaignId)) - before;
  if (added + requeued > 0) await updateCampaign(deps.db, campaign.id, { status: 'sending', finished_at: null });
  await finishCampaignIfDone(deps, campaign.id);
  return { added, requeued };
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
