/**
 * Streaming a campaign's audience: every contact with its permission for the purpose (if any), its purchases and,
 * for re-permission campaigns, the requests already sent, a page at a time in id order, so preview and
 * enqueueing run in bounded memory on any list size. Four range reads per page, each on an index.
 */
import type { Kysely } from 'kysely';
import { importEvidenceRefs, repermissionRequestsSent } from './relationships.js';
import type { ContactRow, DB, PermissionRow } from './schema.js';

export interface AudienceMember {
  contact: ContactRow;
  permission: PermissionRow | null;
  purchases: Array<{ product_category: string; purchased_at: string; opt_out_offered: string }>;
  /** The evidence reference of the import the permission came from, if any (F1). */
  importEvidence: string | null;
  /** Re-permission requests for the purpose sent by other campaigns (only counted for re-permission campaigns). */
  repermissionSent: number;
}

export interface AudienceOptions {
  /** Contacts per page (default 5000). */
  pageSize?: number;
  /** Count earlier re-permission requests, not counting this campaign's own (re-permission campaigns only). */
  repermissionCampaignId?: string;
}

/**
 * Yields pages of audience members for one purpose.
 * @example for await (const page of audiencePages(db, 'tips')) for (const m of page) decide(memberFacts(m, c, s), now)
 */
export async function* audiencePages(
  db: Kysely<DB>,
  purposeId: string,
  opts: AudienceOptions | number = {},
): AsyncGenerator<AudienceMember[]> {
  const o: AudienceOptions = typeof opts === 'number' ? { pageSize: opts } : opts;
  const pageSize = o.pageSize ?? 5000;
  let after = '';
  for (;;) {
    const contacts = await db.selectFrom('contacts').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (contacts.length === 0) return;
    const first = contacts[0]!.id;
    const last = contacts[contacts.length - 1]!.id;
    const permissions = await db
      .selectFrom('permissions')
      .selectAll()
      .where('purpose_id', '=', purposeId)
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      .execute();
    const purchases = await db
      .selectFrom('purchases')
      .select(['contact_id', 'product_category', 'purchased_at', 'opt_out_offered'])
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      .execute();
    const importIds = permissions.filter((p) => p.method === 'not_provable' && p.import_id).map((p) => p.import_id!);
    const evidence = await importEvidenceRefs(db, importIds);
    const sent = o.repermissionCampaignId
      ? await repermissionRequestsSent(db, purposeId, o.repermissionCampaignId, { first, last })
      : new Map<string, number>();
    const byContact = new Map(permissions.map((p) => [p.contact_id, p]));
    const bought = new Map<string, AudienceMember['purchases']>();
    for (const p of purchases) {
      const list = bought.get(p.contact_id) ?? [];
      list.push(p);
      bought.set(p.contact_id, list);
    }
    yield contacts.map((c) => {
      const permission = byContact.get(c.id) ?? null;
      return {
        contact: c,
        permission,
        purchases: bought.get(c.id) ?? [],
        importEvidence: permission?.import_id ? evidence.get(permission.import_id) ?? null : null,
        repermissionSent: sent.get(c.id) ?? 0,
      };
    });
    if (contacts.length < pageSize) return;
    after = last;
  }
}
