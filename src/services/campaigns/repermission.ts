/**
 * Re-permission (SCENARIOS F1, F2): one request to contacts whose earlier consent for a purpose is documented but
 * lacks proof details, with a deadline. The gate (`decide`, category `repermission`) already refuses contacts
 * without documented earlier consent (F2: asking for consent by e-mail is itself marketing, Tw 11.7(1)), a second
 * request, and any request after the deadline. This module holds the two steps around it: the person's answer
 * (`renewConsent`, a fresh affirmative act from the address the request was sent to) and, after the deadline,
 * the end of eligibility for everyone who did not answer (`expireNonResponders`; their data is then erased by the
 * retention rules, GDPR 5(1)(e)).
 */
import { campaignById } from '../../store/campaigns.js';
import { permissionFor } from '../../store/permissions.js';
import type { Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { changePermission, endPermission } from '../consent/permission-change.js';

/** Deliveries read per page while expiring. */
const PAGE = 1000;

/**
 * Records that the person answered a re-permission request with "yes": fresh consent for the purpose, verified
 * by the link in the mail sent to their address (GDPR 7(1)). The route that serves the request's button calls it.
 * @throws DomainError not_found when the contact has no permission for the purpose; conflict when it was
 *   withdrawn or objected to (only the person's own new sign-up reverses that, E5)
 */
export async function renewConsent(
  deps: Pick<Deps, 'db' | 'clock' | 'recordIp'>,
  input: { contactId: string; purposeId: string; campaignId: string | null; ip: string | null; userAgent: string | null },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const p = await permissionFor(trx, input.contactId, input.purposeId);
    if (!p) throw notFound('there is no earlier consent to renew', 'no-permission');
    if (p.status === 'withdrawn' || p.status === 'objected') {
      throw new DomainError('conflict', 'this person unsubscribed; only their own new sign-up subscribes them again', undefined, 'unsubscribed');
    }
    await changePermission(
      trx,
      {
        contactId: input.contactId,
        purposeId: input.purposeId,
        event: 'refreshed',
        basis: 'A6-1-a',
        status: 'active',
        method: 'double_opt_in',
        sourceKind: p.source_kind as 'import',
        occurredAt: now,
        givenAt: now,
        confirmedAt: now,
        withdrawnAt: null,
        details: { channel: 'repermission', campaignId: input.campaignId, previousMethod: p.method },
        personal: {
          ...(deps.recordIp && input.ip ? { ip: input.ip } : {}),
          ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 300) } : {}),
        },
      },
      now,
    );
  });
}

/**
 * After a re-permission campaign's deadline, ends the permission of every recipient who did not renew their
 * consent since the request was sent: the permission becomes `expired` (ledger event `expired`), so every later
 * campaign blocks them (CONSENT_EXPIRED) and the retention rules erase them.
 * @returns how many were expired and how many had answered
 * @throws DomainError invalid when the campaign is not a re-permission campaign; conflict before its deadline
 */
export async function expireNonResponders(deps: Pick<Deps, 'db' | 'clock'>, campaignId: string): Promise<{ expired: number; renewed: number }> {
  const campaign = await campaignById(deps.db, campaignId);
  if (!campaign) throw notFound(`there is no campaign "${campaignId}"`, 'unknown-campaign');
  if (campaign.category !== 'repermission' || !campaign.repermission_deadline) {
    throw invalid('category', 'category: only a re-permission campaign with a deadline has non-responders to expire');
  }
  const now = deps.clock.now();
  if (now.getTime() <= Date.parse(campaign.repermission_deadline)) {
    throw new DomainError('conflict', `the deadline ${campaign.repermission_deadline} has not passed yet`, undefined, 'deadline-not-passed');
  }
  const out = { expired: 0, renewed: 0 };
  let after = '';
  for (;;) {
    const sent = await deps.db
      .selectFrom('deliveries')
      .select(['contact_id', 'sent_at'])
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'sent')
      .where('contact_id', '>', after)
      .orderBy('contact_id')
      .limit(PAGE)
      .execute();
    if (sent.length === 0) return out;
    await deps.db.transaction().execute(async (trx) => {
      for (const d of sent) {
        const p = await permissionFor(trx, d.contact_id, campaign.purpose_id);
        if (!p || p.status !== 'active') continue;
        const renewed = p.confirmed_at !== null && d.sent_at !== null && p.confirmed_at > d.sent_at;
        if (renewed) {
          out.renewed++;
          continue;
        }
        await endPermission(
          trx,
          p,
          { event: 'expired', occurredAt: now, details: { reason: 'no answer to re-permission request', campaignId, deadline: campaign.repermission_deadline } },
          now,
        );
        out.expired++;
      }
    });
    after = sent[sent.length - 1]!.contact_id;
  }
}
