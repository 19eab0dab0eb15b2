/**
 * Confirmation of a double opt-in (SCENARIOS A1, A3, A4, A7). Only a POST reaches `confirm`; a GET or HEAD of the
 * link (a mail scanner) shows a page and changes nothing. The token names the subject, the purposes asked for and
 * the sign-up request it was mailed for: it confirms that request only, while it is still open, and confirming
 * spends it. A request is open until any other event about its purpose follows it (a confirmation, withdrawal,
 * objection, expiry, erasure); a repeated sign-up while it is pending keeps it open. So an old link after a
 * withdrawal, or after a newer sign-up, changes nothing (GDPR 7(1): the controller must show consent that was
 * really given).
 *
 * A requested item (a `requested` event on basis A6-1-b, subscribe.ts) in the same request is confirmed too:
 * its permission becomes active (contract, GDPR 6(1)(b)) with a `confirmed` event naming the request, and the
 * item is mailed once, after the transaction, whatever happened to the newsletter boxes. Two presses of one link
 * cannot both deliver: the confirming transaction locks the contact first, so the second waits and then finds
 * the request closed. Confirming only an item is not an opt-in: it neither lifts a suppression nor sends a
 * welcome mail.
 */
import type { Kysely } from 'kysely';
import { verifyToken, type TokenClaims } from '../../core/tokens.js';
import { contactById, contactForUpdate } from '../../store/contacts.js';
import { permissionFor } from '../../store/permissions.js';
import type { ConsentEventRow, DB } from '../../store/schema.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { changePermission } from './permission-change.js';
import { normaliseAddress } from '../../core/address.js';
import type { Language } from '../../core/vocab.js';
import { purposeById } from '../../store/purposes.js';
import { CONFIRM_TTL_MS } from './links.js';
import { sendLeadMagnetMail } from './notify.js';
import { liftSuppressionOnOwnOptIn } from './suppression.js';
import { tokenError } from './token-errors.js';
import { sendWelcomeMails } from './welcome.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

export { CONFIRM_TTL_MS };

/** Why a link confirms nothing, from the most to the least important for the person to hear. */
export const CLOSED_STATES = ['withdrawn-since', 'request-closed', 'already-confirmed'] as const;
export type ClosedState = (typeof CLOSED_STATES)[number];

/** Events with no purpose that end every open request too. */
const ENDS_ALL = new Set(['withdrawn', 'objected', 'erased', 'suppressed']);

/**
 * Checks a confirm token's signature and expiry without acting.
 * @throws DomainError invalid (bad token) or gone (expired)
 */
export function readConfirmToken(deps: Pick<Deps, 'secret' | 'clock'>, token: string): TokenClaims {
  const v = verifyToken(deps.secret, token, 'confirm', deps.clock.now().getTime());
  if (!v.ok) throw tokenError(v.error);
  return v.claims;
}

const purposesOf = (claims: TokenClaims) => (claims.purposeId ?? '').split(',').filter(Boolean);

/**
 * The still-open `requested` event the token was mailed for, for one purpose, or undefined. The open run is the
 * subject's latest events about the purpose, all `requested`; the token's request must be among them. A link
 * from before requests were named in tokens matches a request of the open run made before it was issued.
 */
async function openRequest(db: Kysely<DB>, claims: TokenClaims, purposeId: string): Promise<ConsentEventRow | undefined> {
  const events = await db
    .selectFrom('consent_events')
    .selectAll()
    .where('subject_id', '=', claims.subjectId)
    .where((eb) => eb.or([eb('purpose_id', '=', purposeId), eb('purpose_id', 'is', null)]))
    .orderBy('seq', 'desc')
    .execute();
  const issuedAt = claims.expiresAt === null ? 0 : claims.expiresAt - CONFIRM_TTL_MS;
  for (const e of events) {
    if (e.purpose_id === null) {
      if (ENDS_ALL.has(e.type)) return undefined;
      continue;
    }
    if (e.type !== 'requested') return undefined;
    const request = (JSON.parse(e.details) as { request?: unknown }).request;
    if (claims.requestId ? request === claims.requestId : Date.parse(e.occurred_at) <= issuedAt) return e;
  }
  return undefined;
}

/** What a link whose request is closed says, judged by the permission as it stands now. */
async function closedState(db: Kysely<DB>, subjectId: string, purposeIds: string[]): Promise<ClosedState> {
  const states = new Set<ClosedState>();
  for (const purposeId of purposeIds) {
    const p = await permissionFor(db, subjectId, purposeId);
    states.add(p?.status === 'active' ? 'already-confirmed' : p?.status === 'withdrawn' || p?.status === 'objected' ? 'withdrawn-since' : 'request-closed');
  }
  return CLOSED_STATES.find((s) => states.has(s)) ?? 'request-closed';
}

/** Whether a request is for a requested item (service, contract basis) rather than consent. */
const isItemRequest = (request: ConsentEventRow) => request.basis === 'A6-1-b';

/**
 * What a confirm link would do now: the consent purposes it would confirm and the requested items it would
 * deliver, or why it does nothing.
 */
export type ConfirmLinkState = { open: string[]; items: string[]; closed: null } | { open: []; items: []; closed: ClosedState };

/**
 * Reads what a confirm link would do, without changing anything (the page behind GET/HEAD).
 * @throws DomainError invalid/gone for a bad or expired token, not_found when the person was erased
 */
export async function inspectConfirmToken(deps: Pick<Deps, 'db' | 'secret' | 'clock'>, token: string): Promise<ConfirmLinkState & { purposeIds: string[] }> {
  const claims = readConfirmToken(deps, token);
  const purposeIds = purposesOf(claims);
  if (!(await contactById(deps.db, claims.subjectId))) throw new DomainError('not_found', 'this sign-up no longer exists', undefined, 'unknown-subject');
  const open: string[] = [];
  const items: string[] = [];
  for (const purposeId of purposeIds) {
    const request = await openRequest(deps.db, claims, purposeId);
    if (request) (isItemRequest(request) ? items : open).push(purposeId);
  }
  if (open.length + items.length > 0) return { open, items, closed: null, purposeIds };
  return { open: [], items: [], closed: await closedState(deps.db, claims.subjectId, purposeIds), purposeIds };
}

/**
 * The items a spent confirm link's request delivered (its `confirmed` events on A6-1-b naming that request), with
 * their download URLs as they are now (null when none is set): what the "already confirmed" page offers again after
 * a second press. Empty for a link from before requests were named in tokens.
 * @throws DomainError invalid/gone for a bad or expired token
 */
export async function deliveredItemsOf(deps: Pick<Deps, 'db' | 'secret' | 'clock'>, token: string): Promise<Array<{ purposeId: string; url: string | null }>> {
  const claims = readConfirmToken(deps, token);
  if (!claims.requestId) return [];
  const out: Array<{ purposeId: string; url: string | null }> = [];
  for (const purposeId of purposesOf(claims)) {
    const events = await deps.db
      .selectFrom('consent_events')
      .select('details')
      .where('subject_id', '=', claims.subjectId)
      .where('purpose_id', '=', purposeId)
      .where('type', '=', 'confirmed')
      .where('basis', '=', 'A6-1-b')
      .execute();
    if (!events.some((e) => (JSON.parse(e.details) as { request?: string }).request === claims.requestId)) continue;
    out.push({ purposeId, url: (await purposeById(deps.db, purposeId))?.item_url ?? null });
  }
  return out;
}

export interface ConfirmInput {
  token: string;
  ip: string | null;
  userAgent: string | null;
}

/** A requested item delivered by a confirmation: its purpose, its download URL (null when none is set), whether the mail went. */
export interface DeliveredItem {
  purposeId: string;
  url: string | null;
  mailed: boolean;
}

/**
 * Confirms the purposes of the token's request that are still open, with the text and notice version that
 * request recorded, and delivers the request's item (see the module comment).
 * @returns the confirmed consent purpose ids and the items delivered; an item whose mail could not be handed to
 *   the transport has `mailed: false` (the request is spent all the same; the page links to the item)
 * @throws DomainError invalid/gone for a bad or expired token, not_found when the person was erased,
 *   conflict with code `already-confirmed`, `withdrawn-since` or `request-closed` (ClosedState) when the request
 *   is no longer open for any purpose: nothing is written or sent then
 */
export async function confirm(deps: Deps, input: ConfirmInput): Promise<{ contactId: string; confirmed: string[]; items: DeliveredItem[] }> {
  const now = deps.clock.now();
  const claims = readConfirmToken(deps, input.token);
  const { subjectId } = claims;
  const purposeIds = purposesOf(claims);
  const confirmed: string[] = [];
  const items: Array<{ purposeId: string; language: Language }> = [];
  let email = '';
  const personal = {
    ...(deps.recordIp && input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 300) } : {}),
  };
  await deps.db.transaction().execute(async (trx) => {
    // Locked first: a second press of the same link waits here, then finds the request closed.
    const contact = await contactForUpdate(trx, deps.dialect, subjectId);
    if (!contact) throw new DomainError('not_found', 'this sign-up no longer exists', undefined, 'unknown-subject');
    email = contact.email;
    for (const purposeId of purposeIds) {
      const request = await openRequest(trx, claims, purposeId);
      if (!request || !(await permissionFor(trx, subjectId, purposeId))) continue;
      const details = JSON.parse(request.details) as { noticeVersion?: number; request?: string; language?: Language };
      const item = isItemRequest(request);
      await changePermission(
        trx,
        {
          contactId: subjectId,
          purposeId,
          event: 'confirmed',
          basis: item ? 'A6-1-b' : 'A6-1-a',
          status: 'active',
          method: item ? 'contract' : 'double_opt_in',
          sourceKind: 'form',
          occurredAt: now,
          givenAt: new Date(request.occurred_at),
          confirmedAt: now,
          noticeVersion: details.noticeVersion ?? null,
          thirdPartyEvidence: false,
          importId: null,
          withdrawnAt: null,
          details: {
            channel: 'confirm-link',
            requestEvent: request.id,
            ...(details.request ? { request: details.request } : {}),
            ...(item && { delivery: 'requested item, mailed on confirmation' }),
          },
          personal,
        },
        now,
      );
      if (item) items.push({ purposeId, language: details.language ?? (contact.locale === 'en' ? 'en' : 'nl') });
      else confirmed.push(purposeId);
    }
    if (confirmed.length + items.length === 0) {
      const state = await closedState(trx, subjectId, purposeIds);
      throw new DomainError('conflict', `this confirmation link confirms nothing now (${state})`, undefined, state);
    }
    // The person's own new, confirmed opt-in lifts an earlier "everything" unsubscribe or erasure (E5); an item
    // request alone is no opt-in.
    if (confirmed.length > 0) await liftSuppressionOnOwnOptIn(trx, deps.secret, contact, now);
    const data = { contactId: subjectId, purposes: confirmed, ...(items.length > 0 && { items: items.map((i) => i.purposeId) }) };
    await queueWebhookEvent(trx, 'contact.confirmed', data, now, { contactId: subjectId });
  });
  // The request is spent: each item goes once, after the commit (GDPR 6(1)(b), SCENARIOS A3, A4).
  const delivered: DeliveredItem[] = [];
  const address = normaliseAddress(email);
  for (const item of items) {
    const purpose = await purposeById(deps.db, item.purposeId);
    const mailed = await sendLeadMagnetMail(deps, { email: address.ok ? address.value.display : email, ...item }).then(() => true, () => false);
    delivered.push({ purposeId: item.purposeId, url: purpose?.item_url ?? null, mailed });
  }
  // The welcome mail of each purpose now consented to, once per person (SCENARIOS H2).
  await sendWelcomeMails(deps, { contactId: subjectId, purposeIds: confirmed });
  return { contactId: subjectId, confirmed, items: delivered };
}
