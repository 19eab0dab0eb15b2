/**
 * Confirmation of a double opt-in (SCENARIOS A1, A7). Only a POST reaches this use case; a GET or HEAD of the
 * link (a mail scanner) shows a page and changes nothing. The token names the subject and the purposes asked for.
 */
import { verifyToken } from '../../core/tokens.js';
import { contactById } from '../../store/contacts.js';
import { permissionFor } from '../../store/permissions.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { changePermission } from './permission-change.js';
import { liftSuppressionOnOwnOptIn } from './suppression.js';
import { tokenError } from './token-errors.js';

/** Confirm links stay valid this long (ms): 14 days. */
export const CONFIRM_TTL_MS = 14 * 24 * 3600 * 1000;

/**
 * Checks a confirm token without acting, for the page that shows the button (GET/HEAD).
 * @throws DomainError invalid (bad token) or gone (expired)
 */
export function readConfirmToken(deps: Pick<Deps, 'secret' | 'clock'>, token: string) {
  const v = verifyToken(deps.secret, token, 'confirm', deps.clock.now().getTime());
  if (!v.ok) throw tokenError(v.error);
  return v.claims;
}

export interface ConfirmInput {
  token: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Confirms the purposes a token names.
 * @returns the confirmed purpose ids
 * @throws DomainError invalid/gone for a bad or expired token, not_found when the person was erased,
 *   conflict when everything was confirmed already (a second press changes nothing)
 */
export async function confirm(deps: Deps, input: ConfirmInput): Promise<{ contactId: string; confirmed: string[] }> {
  const now = deps.clock.now();
  const claims = readConfirmToken(deps, input.token);
  const { subjectId } = claims;
  const purposeIds = (claims.purposeId ?? '').split(',').filter(Boolean);
  const confirmed: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const contact = await contactById(trx, subjectId);
    if (!contact) throw new DomainError('not_found', 'this sign-up no longer exists', undefined, 'unknown-subject');
    for (const purposeId of purposeIds) {
      const p = await permissionFor(trx, subjectId, purposeId);
      // Only a request still awaiting confirmation is confirmed: the purpose's latest ledger event must be the
      // sign-up request (a second press, or an unsubscribe after the request, finds another event).
      const request = await trx
        .selectFrom('consent_events')
        .select(['type', 'occurred_at', 'details'])
        .where('subject_id', '=', subjectId)
        .where('purpose_id', '=', purposeId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!p || request?.type !== 'requested') continue;
      const details = JSON.parse(request.details) as { noticeVersion?: number };
      await changePermission(
        trx,
        {
          contactId: subjectId,
          purposeId,
          event: 'confirmed',
          basis: 'A6-1-a',
          status: 'active',
          method: 'double_opt_in',
          sourceKind: 'form',
          occurredAt: now,
          givenAt: new Date(request.occurred_at),
          confirmedAt: now,
          noticeVersion: details.noticeVersion ?? null,
          thirdPartyEvidence: false,
          importId: null,
          withdrawnAt: null,
          details: { channel: 'confirm-link' },
          personal: {
            ...(deps.recordIp && input.ip ? { ip: input.ip } : {}),
            ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 300) } : {}),
          },
        },
        now,
      );
      confirmed.push(purposeId);
    }
    if (confirmed.length === 0) {
      throw new DomainError('conflict', 'this sign-up was confirmed already', undefined, 'already-confirmed');
    }
    // The person's own new, confirmed opt-in lifts an earlier "everything" unsubscribe or erasure (E5).
    await liftSuppressionOnOwnOptIn(trx, deps.secret, contact, now);
  });
  return { contactId: subjectId, confirmed };
}
