/**
 * Aggregate click counting (issue 10, optional per purpose and off by default): the link targets of a campaign
 * are fixed when it is created or edited, the composer writes counted links as `/r/<campaign>/<position>.<sig>`,
 * and following one adds 1 to that link's total and redirects to the stored target. Nothing about the person is
 * recorded: no contact, no token, no IP (the request log names neither, web/app.ts). The privacy notice says so
 * while counting is on (`setClickCounting`).
 */
import type { Kysely } from 'kysely';
import { clickPath, extractLinks, rewriteLinks, verifyClickRef } from '../../core/click-links.js';
import { campaignById } from '../../store/campaigns.js';
import { campaignLinkAt, campaignLinks, countClick, replaceCampaignLinks } from '../../store/campaign-figures.js';
import { purposeById } from '../../store/purposes.js';
import type { DB } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { notFound } from '../errors.js';
import { reviseNotice } from '../organisation/notice-admin.js';

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
 * @returns the rewrite and a key naming its targets (for the composer's cache), or null
 */
export async function clickRewriter(
  deps: Data & Pick<Deps, 'secret' | 'baseUrl'>,
  campaignId: string,
): Promise<{ rewrite: (body: string) => string; key: string } | null> {
  const campaign = await campaignById(deps.db, campaignId);
  const purpose = campaign ? await purposeById(deps.db, campaign.purpose_id) : undefined;
  if (!campaign || purpose?.count_clicks !== 1) return null;
  const links = await campaignLinks(deps.db, campaignId);
  if (links.length === 0) return null;
  const byUrl = new Map(links.map((l) => [l.url, `${deps.baseUrl}${clickPath(deps.secret, campaignId, l.position)}`]));
  return { rewrite: (body) => rewriteLinks(body, (url) => byUrl.get(url) ?? null), key: JSON.stringify([...byUrl]) };
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

/**
 * Turns aggregate click counting on or off for a purpose (off by default), and says so in the privacy notice:
 * the notice is revised (a new version, published when nothing else is missing; reviseNotice) so its purpose
 * section states that clicks are counted per link and nobody is tracked. Campaigns created or edited while it is
 * on get their links fixed and counted.
 * @returns the notice version that now says so (null when the notice already did)
 * @throws DomainError not_found for an unknown purpose
 */
export async function setClickCounting(deps: Data & Pick<Deps, 'clock'>, purposeId: string, on: boolean): Promise<{ noticeVersion: number | null }> {
  if (!(await purposeById(deps.db, purposeId))) throw notFound(`there is no purpose "${purposeId}"`, 'unknown-purpose');
  return deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('purposes').set({ count_clicks: on ? 1 : 0 }).where('id', '=', purposeId).execute();
    const r = await reviseNotice({ db: trx, dialect: deps.dialect, clock: deps.clock }, (c) => ({
      ...c,
      purposes: c.purposes.map((p) => (p.id !== purposeId ? p : on ? { ...p, countsClicks: true } : (({ countsClicks: _, ...rest }) => rest)(p))),
    }));
    return { noticeVersion: r.version };
  });
}
