/**
 * Re-permission (SCENARIOS F1, F2): one request to contacts whose earlier consent for a purpose is documented but
 * lacks proof details, with a deadline. The gate (`decide`, category `repermission`) already refuses contacts
 * without documented earlier consent (F2: asking for consent by e-mail is itself marketing, Tw 11.7(1)), a second
 * request, and any request after the deadline. This module holds the two steps around it: the person's answer
 * (`renewConsent`, a fresh affirmative act from the address the request was sent to) and, after the deadline,
 * the end of eligibility for everyone who did not answer (`expireNonResponders`; their data is then erased by the
 * retention rules, GDPR 5(1)(e)). `draftRepermissionCampaign` starts such a campaign from the list audit.
 */
import type { Language } from '../../core/vocab.js';
import { campaignById } from '../../store/campaigns.js';
import { listForms } from '../../store/forms.js';
import { permissionFor } from '../../store/permissions.js';
import type { Deps } from '../deps.js';
import type { Data } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { createCampaign, type CreatedCampaign } from './campaigns.js';
import { purposeById } from '../../store/purposes.js';
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

/** Days a re-permission request started from the audit stays open (the editor may change the deadline). */
export const REPERMISSION_DAYS = 30;

/** The draft's words; `{{ organisation }}` is filled in per message, the rest when the draft is made. */
const DRAFT: Record<Language, { name: string; subject: string; body: (purpose: string, deadline: string, form: string | null) => string }> = {
  nl: {
    name: 'Herbevestiging',
    subject: 'Wilt u {{purpose}} blijven ontvangen?',
    body: (purpose, deadline, form) =>
      `Beste lezer,\n\nU staat bij {{ organisation }} ingeschreven voor ${purpose}. Wij willen zeker weten dat u dat nog wilt, en vragen het u daarom één keer.\n\n` +
      (form ? `Wilt u ${purpose} blijven ontvangen? Meld u dan vóór ${deadline} opnieuw aan: ${form}\n\n` : `Wilt u ${purpose} blijven ontvangen? Laat het ons vóór ${deadline} weten.\n\n`) +
      `Doet u niets, dan mailen wij u hierover na ${deadline} niet meer en wissen wij uw gegevens volgens onze bewaartermijnen.`,
  },
  en: {
    name: 'Re-permission',
    subject: 'Would you like to keep receiving {{purpose}}?',
    body: (purpose, deadline, form) =>
      `Dear reader,\n\nYou are subscribed to ${purpose} from {{ organisation }}. We want to be sure that you still want this, so we ask you once.\n\n` +
      (form ? `Would you like to keep receiving ${purpose}? Then sign up again before ${deadline}: ${form}\n\n` : `Would you like to keep receiving ${purpose}? Let us know before ${deadline}.\n\n`) +
      `If you do nothing, we will not mail you about it after ${deadline}, and we erase your data under our retention periods.`,
  },
};

/**
 * Creates a draft re-permission campaign for a purpose (SCENARIOS F1), as the list audit offers it for the contacts
 * whose earlier consent is documented but whose proof is incomplete: category `repermission`, a deadline
 * REPERMISSION_DAYS from now, and a plain-text starting text in `language` that links to a hosted form offering
 * the purpose (a fresh double opt-in is the renewed consent). The send gate decides who gets it (only documented
 * earlier consent, one request per person, before the deadline; F2 refuses the rest, Tw 11.7(1)).
 * @returns the stored draft (createCampaign's checks apply)
 * @throws DomainError not_found for an unknown purpose; invalid from createCampaign (e.g. an archived purpose)
 * @example const c = await draftRepermissionCampaign(deps, 'tips', 'nl'); // → /admin/campaigns/${c.id}
 */
export async function draftRepermissionCampaign(deps: Data & Pick<Deps, 'clock' | 'baseUrl'>, purposeId: string, language: Language): Promise<CreatedCampaign> {
  const purpose = await purposeById(deps.db, purposeId);
  if (!purpose) throw notFound(`there is no purpose "${purposeId}"`, 'unknown-purpose');
  const now = deps.clock.now();
  const deadline = new Date(now.getTime() + REPERMISSION_DAYS * 24 * 3600_000);
  const form = (await listForms(deps.db)).find((f) => (JSON.parse(f.purposes) as string[]).includes(purpose.id));
  const name = language === 'nl' ? purpose.name_nl : purpose.name_en;
  const day = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(deadline);
  const t = DRAFT[language];
  return createCampaign(deps, {
    name: `${t.name} ${name} ${now.toISOString().slice(0, 10)}`,
    subject: t.subject.replace('{{purpose}}', name),
    body: t.body(name, day, form ? `${deps.baseUrl}/f/${form.id}` : null),
    purposeId: purpose.id,
    category: 'repermission',
    repermissionDeadline: deadline.toISOString(),
    format: 'text',
    language,
  });
}
