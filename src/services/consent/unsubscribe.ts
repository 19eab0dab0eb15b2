/**
 * Unsubscribe (SCENARIOS E2, E3, E4, E7): from the link's purpose, or from everything. Never asks for the
 * address: the signed token names the person. Works the same for the page's POST and the RFC 8058 one-click
 * POST. Repeating it changes nothing more. Withdrawal is effective at once: the claim-time gate of any
 * campaign still sending reads the new status (E4).
 *
 * - purpose: the consent permission becomes `withdrawn` (GDPR 7(3)); for customer mail sent without consent
 *   (customer exception) the opt-out is recorded as an objection that ends the exception (GDPR 21(3), Tw 11.7(3)).
 * - everything: every permission resting on consent or legitimate interest is withdrawn, customer mail is
 *   objected to, and the address's keyed hash goes on the suppression list. Service mail on a contract stays
 *   possible (E7: the customer relationship remains).
 */
import { verifyToken } from '../../core/tokens.js';
import { suppressionHash } from '../../core/suppression.js';
import { contactById, updateContact } from '../../store/contacts.js';
import { permissionFor, permissionsOf } from '../../store/permissions.js';
import type { PermissionRow } from '../../store/schema.js';
import { addSuppression } from '../../store/suppressions.js';
import { bumpCampaignCounter } from '../../store/campaign-figures.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { Deps } from '../deps.js';
import { endPermission, objectToCustomerMail } from './permission-change.js';
import { tokenError } from './token-errors.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

export type UnsubscribeScope = 'purpose' | 'all';
/** How the request came: the page's button or a mail client's RFC 8058 one-click POST. */
export type UnsubscribeChannel = 'page' | 'one-click';

export interface UnsubscribeResult {
  /** Purposes withdrawn by this request (empty when it was done already). */
  withdrawn: string[];
  /** The purpose the link was for. */
  purposeId: string | null;
}

/** Checks an unsubscribe token without acting, for the page that offers the choice. */
export function readUnsubscribeToken(deps: Deps, token: string) {
  const v = verifyToken(deps.secret, token, 'unsubscribe', deps.clock.now().getTime());
  if (!v.ok) throw tokenError(v.error);
  return v.claims;
}

/** What an unsubscribe link finds: still receiving, unsubscribed from the link's purpose, or from everything. */
export type UnsubscribeState = 'open' | 'purpose' | 'all';

/**
 * Whether the person behind an unsubscribe link is unsubscribed already, so that opening the link again says so
 * truthfully instead of asking again. Reading only.
 * @returns 'all' when the address is suppressed or the person erased; 'purpose' when the link's purpose permission
 *   has ended (withdrawn, objected, expired) or, for customer mail without a permission, customer mail was
 *   objected to; otherwise 'open'
 * @throws DomainError invalid for a bad token
 */
export async function unsubscribeState(deps: Deps, token: string): Promise<UnsubscribeState> {
  const claims = readUnsubscribeToken(deps, token);
  const contact = await contactById(deps.db, claims.subjectId);
  if (!contact || contact.suppression) return 'all';
  const p = claims.purposeId ? await permissionFor(deps.db, contact.id, claims.purposeId) : undefined;
  if (p) return p.status === 'withdrawn' || p.status === 'objected' || p.status === 'expired' ? 'purpose' : 'open';
  return contact.customer_opted_out === 1 ? 'purpose' : 'open';
}

async function withdraw(
  trx: Kysely<DB>,
  p: PermissionRow,
  now: Date,
  details: Record<string, unknown>,
): Promise<boolean> {
  if (p.status === 'withdrawn' || p.status === 'objected' || p.basis === 'A6-1-b' || p.basis === 'A6-1-c') return false;
  await endPermission(trx, p, { event: 'withdrawn', occurredAt: now, details }, now);
  return true;
}

/**
 * Acts on an unsubscribe link.
 * @throws DomainError invalid for a bad token. An erased person's link succeeds without doing anything (they
 *   are suppressed already).
 */
export async function unsubscribe(
  deps: Deps,
  input: { token: string; scope: UnsubscribeScope; channel: UnsubscribeChannel },
): Promise<UnsubscribeResult> {
  const claims = readUnsubscribeToken(deps, input.token);
  const now = deps.clock.now();
  const details = { channel: input.channel, scope: input.scope, campaignId: claims.campaignId };
  const withdrawn: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const contact = await contactById(trx, claims.subjectId);
    if (!contact) return;
    const targets =
      input.scope === 'all'
        ? await permissionsOf(trx, contact.id)
        : [await permissionFor(trx, contact.id, claims.purposeId ?? '')].filter((p): p is PermissionRow => !!p);
    for (const p of targets) if (await withdraw(trx, p, now, details)) withdrawn.push(p.purpose_id);

    // Customer mail rests on no consent permission: the opt-out is an objection that ends the customer
    // exception (GDPR 21(3)). For one purpose it is recorded on that purpose, for "everything" on none.
    if (contact.customer_opted_out === 0 && (input.scope === 'all' || (targets.length === 0 && claims.purposeId))) {
      await objectToCustomerMail(
        trx,
        contact.id,
        { purposeId: input.scope === 'all' ? null : claims.purposeId, occurredAt: now, details: { ...details, objection: 'direct marketing (GDPR 21(3))' } },
        now,
      );
      if (input.scope === 'purpose' && claims.purposeId) withdrawn.push(claims.purposeId);
    }
    const suppressNow = input.scope === 'all' && !contact.suppression;
    if (suppressNow) {
      await addSuppression(trx, suppressionHash(deps.secret, contact.email), 'unsubscribed', `unsubscribe:${input.channel}`, now);
      await updateContact(trx, contact.id, { suppression: 'unsubscribed', updated_at: now.toISOString() });
    }
    if (withdrawn.length > 0 || input.scope === 'all') {
      const data = { contactId: contact.id, purposes: withdrawn, scope: input.scope, channel: input.channel, campaignId: claims.campaignId ?? null };
      await queueWebhookEvent(trx, 'contact.unsubscribed', data, now, { contactId: contact.id });
    }
    // The campaign's figures count the unsubscribe (a number only; the ledger event above names the campaign too).
    if (claims.campaignId && (withdrawn.length > 0 || suppressNow)) await bumpCampaignCounter(trx, claims.campaignId, 'unsubscribes');
  });
  return { withdrawn, purposeId: claims.purposeId };
}
