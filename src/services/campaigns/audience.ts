/**
 * Who is in each group of a campaign's audience preview: the contacts the send gate allows or blocks, grouped by
 * the first (strongest) reason of their decision, exactly as `previewCampaign` counts them (the same
 * `keyedDecider` on the same audience pages; nothing is decided here). Reading only.
 */
import { audienceKeyPages } from '../../store/audience.js';
import { getDecisionSettings } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { keyedDecider, keyOptions, loadCampaign } from './campaigns.js';

/** A contact as the audience preview lists it. */
export interface AudienceContact {
  id: string;
  email: string;
  name: string | null;
}

/** One group: the contacts (in contact-id order) whose first reason is `code`. */
export interface AudienceGroupContacts {
  code: string;
  allowed: boolean;
  contacts: AudienceContact[];
  /** The id of the last contact listed when the group has more after it (the `after` cursor), else null. */
  next: string | null;
}

export interface AudienceContactsOptions {
  /** Only this reason code's group. */
  reason?: string;
  /** Only contacts with an id after this one (the `next` of an earlier call). */
  after?: string;
  /** Contacts per group, 1…500 (default 20). */
  limit?: number;
}

/**
 * The contacts of the audience groups: for every reason code (or only `reason`), up to `limit` contacts in id
 * order after `after`, with the cursor for the next page. The groups' sizes are `previewCampaign`'s counts.
 * @returns the groups with contacts, allowed ones first, then by code
 * @throws DomainError not_found for an unknown campaign
 * @example audienceContacts(deps, id, { reason: 'CONSENT_PENDING', limit: 50 }) // → [{ code: 'CONSENT_PENDING', allowed: false, contacts: [...], next: '…' }]
 */
export async function audienceContacts(deps: Data & Pick<Deps, 'clock'>, campaignId: string, opts: AudienceContactsOptions = {}): Promise<AudienceGroupContacts[]> {
  const campaign = await loadCampaign(deps.db, campaignId);
  const limit = Math.min(500, Math.max(1, Math.floor(opts.limit ?? 20)));
  const decideKey = keyedDecider(campaign, await getDecisionSettings(deps.db), deps.clock.now());
  const groups = new Map<string, { allowed: boolean; ids: string[]; more: boolean }>();
  scan: for await (const page of audienceKeyPages(deps.db, deps.dialect, campaign.purpose_id, { ...keyOptions(campaign), ids: true, pageSize: 2000 })) {
    const ids = page.ids!;
    for (let i = 0; i < ids.length; i++) {
      if (opts.after !== undefined && ids[i]! <= opts.after) continue;
      const d = decideKey(page.keys[i]!, page.purchases?.[i] ?? null);
      const code = d.reasons[0]!.code;
      if (opts.reason !== undefined && code !== opts.reason) continue;
      let g = groups.get(code);
      if (!g) groups.set(code, (g = { allowed: d.allowed, ids: [], more: false }));
      if (g.ids.length < limit) g.ids.push(ids[i]!);
      else {
        g.more = true;
        if (opts.reason !== undefined) break scan;
      }
    }
  }
  const all = [...groups.values()].flatMap((g) => g.ids);
  const rows = new Map<string, AudienceContact>();
  for (let i = 0; i < all.length; i += 500) {
    const found = await deps.db.selectFrom('contacts').select(['id', 'email', 'first_name', 'last_name']).where('id', 'in', all.slice(i, i + 500)).execute();
    for (const r of found) rows.set(r.id, { id: r.id, email: r.email, name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null });
  }
  return [...groups.entries()]
    .map(([code, g]) => ({
      code,
      allowed: g.allowed,
      contacts: g.ids.map((id) => rows.get(id)).filter((c): c is AudienceContact => c !== undefined),
      next: g.more ? g.ids[g.ids.length - 1]! : null,
    }))
    .sort((x, y) => Number(y.allowed) - Number(x.allowed) || x.code.localeCompare(y.code));
}
