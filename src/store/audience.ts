/**
 * Streaming a campaign's audience: every contact with its permission for the purpose (if any), its purchases and,
 * for re-permission campaigns, the requests already sent, a page at a time in id order, so preview and
 * enqueueing run in bounded memory on any list size. Each page is three range reads in contact-id order on the
 * covering indexes of migration 003 (contacts, the purpose's permissions, purchases), so a page costs sequential
 * index reads and no lookups into the tables; only the columns the gate reads are loaded.
 */
import type { Kysely } from 'kysely';
import { AUDIENCE_CONTACT_COLUMNS, AUDIENCE_PERMISSION_COLUMNS } from './migration-003-facts.js';
import { importEvidenceRefs, repermissionRequestsSent } from './relationships.js';
import type { ContactRow, DB, PermissionRow } from './schema.js';

/** The contact columns the gate reads. */
export type AudienceContact = Pick<ContactRow, (typeof AUDIENCE_CONTACT_COLUMNS)[number]>;
/** The permission columns the gate reads. */
export type AudiencePermission = Pick<PermissionRow, (typeof AUDIENCE_PERMISSION_COLUMNS)[number]>;

export interface AudienceMember {
  contact: AudienceContact;
  permission: AudiencePermission | null;
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

const NONE: AudienceMember['purchases'] = [];

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
    const contacts = await db
      .selectFrom('contacts')
      .select([...AUDIENCE_CONTACT_COLUMNS])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (contacts.length === 0) return;
    const first = contacts[0]!.id;
    const last = contacts[contacts.length - 1]!.id;
    const permissions = await db
      .selectFrom('permissions')
      .select([...AUDIENCE_PERMISSION_COLUMNS])
      .where('purpose_id', '=', purposeId)
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      .orderBy('contact_id')
      .execute();
    const purchases = await db
      .selectFrom('purchases')
      .select(['contact_id', 'product_category', 'purchased_at', 'opt_out_offered'])
      .where('contact_id', '>=', first)
      .where('contact_id', '<=', last)
      .orderBy('contact_id')
      .execute();
    const importIds = permissions.filter((p) => p.method === 'not_provable' && p.import_id).map((p) => p.import_id!);
    const evidence = await importEvidenceRefs(db, importIds);
    const sent = o.repermissionCampaignId
      ? await repermissionRequestsSent(db, purposeId, o.repermissionCampaignId, { first, last })
      : null;
    // Merge the three id-ordered lists.
    const page: AudienceMember[] = new Array(contacts.length);
    let pi = 0;
    let bi = 0;
    for (let i = 0; i < contacts.length; i++) {
      const c = contacts[i]!;
      while (pi < permissions.length && permissions[pi]!.contact_id < c.id) pi++;
      const permission = pi < permissions.length && permissions[pi]!.contact_id === c.id ? permissions[pi]! : null;
      while (bi < purchases.length && purchases[bi]!.contact_id < c.id) bi++;
      let bought = NONE;
      if (bi < purchases.length && purchases[bi]!.contact_id === c.id) {
        bought = [];
        while (bi < purchases.length && purchases[bi]!.contact_id === c.id) bought.push(purchases[bi++]!);
      }
      page[i] = {
        contact: c,
        permission,
        purchases: bought,
        importEvidence: permission?.import_id ? evidence.get(permission.import_id) ?? null : null,
        repermissionSent: sent?.get(c.id) ?? 0,
      };
    }
    yield page;
    if (contacts.length < pageSize) return;
    after = last;
  }
}
