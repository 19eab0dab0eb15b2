/**
 * The public URLs that mail links to. Tokens are signed (core/tokens.ts); no address or guessable id appears.
 */
import { signToken } from '../../core/tokens.js';
import type { Deps } from '../deps.js';

/** Confirm links stay valid this long (ms): 14 days. */
export const CONFIRM_TTL_MS = 14 * 24 * 3600 * 1000;

type LinkDeps = Pick<Deps, 'secret' | 'baseUrl' | 'clock'>;

/**
 * Link to confirm the listed purposes of one sign-up request (double opt-in); expires after CONFIRM_TTL_MS.
 * @param requestId the `request` recorded in that sign-up's `requested` ledger events: the link confirms it only
 */
export function confirmUrl(deps: LinkDeps, subjectId: string, purposeIds: string[], requestId: string): string {
  const token = signToken(deps.secret, {
    action: 'confirm',
    subjectId,
    purposeId: purposeIds.join(','),
    campaignId: null,
    expiresAt: deps.clock.now().getTime() + CONFIRM_TTL_MS,
    requestId,
  });
  return `${deps.baseUrl}/confirm/${token}`;
}

/** Unsubscribe link for one purpose, as sent in a campaign; never expires (an opt-out must keep working). */
export function unsubscribeUrl(deps: LinkDeps, subjectId: string, purposeId: string, campaignId: string | null): string {
  const token = signToken(deps.secret, { action: 'unsubscribe', subjectId, purposeId, campaignId, expiresAt: null });
  return `${deps.baseUrl}/u/${token}`;
}

export const privacyUrl = (deps: Pick<Deps, 'baseUrl'>) => `${deps.baseUrl}/privacy`;

/** The "manage my data" page, where a person asks for a personal link by mail (GDPR 15–21). */
export const manageRequestUrl = (deps: Pick<Deps, 'baseUrl'>) => `${deps.baseUrl}/manage`;
