/**
 * Aggregate click counting (issue 10, optional per purpose and off by default): the link targets of a campaign
 * are fixed when it is created or edited, the composer writes counted links as `/r/<campaign>/<position>.<sig>`,
 * and following one adds 1 to that link's total and redirects to the stored target. Nothing about the person is
 * recorded: no contact, no token, no IP (the request log names neither, web/app.ts). The privacy notice says so
 * while counting is on (services/organisation/click-notice.ts).
 */
import type { Kysely } from 'kysely';
import { clickPath, extractLinks, rewriteLinks, verifyClickRef } from '../../core/click-links.js';
import { campaignById } from '../../store/campaigns.js';
import { campaignLinkAt, campaignLinks, countClick, replaceCampaignLinks } from '../../store/campaign-figures.js';
import { purposeById } from '../../store/purposes.js';
import type { DB } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { notFound } from '../errors.js';

/**
 * Fixes a campaign's link targets from its body when its purpose counts clicks (none otherwise), replacing any
 * earlier ones. Called when a campaign is created, edited or duplicated, in the same transaction.
 */
export async function fixCampaignLinks(db: Kysely<DB>, campaignId: string, purposeId: string, body: string): Promise<void> {
  const purpose = await purposeById(db, purposeId);
  await replaceCampaignLinks(db, campaignId, purpose?.count_clicks === 1 ? extractLinks(body) : []);
}

/**
 * The rewrite the composer applies to a rendered body: each fixed target becomes its counted link; every other
 * URL stays. Null when nothing is counted (the purpose's counting is off, or the campaign has no fixed links).
 * @returns a function for `rewriteLinks`, or null
 */
export async function clickRewriter(deps: Data & Pick<Deps, 'secret' | 'baseUrl'>, campaignId: string): Promise<((body: string) => string) | null> {
  const campaign = await campaignById(deps.db, campaignId);
  const purpose = campaign ? await purposeById(deps.db, campaign.purpose_id) : undefined;
  if (!campaign || purpose?.count_clicks !== 1) return null;
  const links = await campaignLinks(deps.db, campaignId);
  if (links.length === 0) return null;
  const byUrl = new Map(links.map((l) => [l.url, `${deps.baseUrl}${clickPath(deps.secret, campaignId, l.position)}`]));
  return (body) => rewriteLinks(body, (url) => byUrl.get(url) ?? null);
}

/**
 * Follows a counted link: the stored target of that position; the click is added to the link's total when
 * `count` is true (a GET; HEAD requests and link checkers that only peek are not counted) and the purpose
 * still counts clicks.
 * @returns the target URL
 * @throws DomainError not_found for a link that is malformed, not signed for this campaign or not stored
 */
export async function followLink(deps: Data & Pick<Deps, 'secret'>, campaignId: string, ref: string, count: boolean): Promise<string> {
  const position = verifyClickRef(deps.secret, campaignId, ref);
  const url = position === null ? undefined : await campaignLinkAt(deps.db, campaignId, position);
  if (position === null || url === undefined) throw notFound('this link is not known', 'unknown-link');
  if (count) {
    const campaign = await campaignById(deps.db, campaignId);
    const purpose = campaign ? await purposeById(deps.db, campaign.purpose_id) : undefined;
    if (purpose?.count_clicks === 1) await countClick(deps.db, campaignId, position);
  }
  return url;
}
