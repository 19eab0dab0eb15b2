/**
 * Streaming a campaign's audience: every contact with its permission for the purpose (if any) and its
 * purchases, a page at a time in id order, so preview and enqueueing run in bounded memory on any list size.
 */
import type { Kysely } from 'kysely';
import type { ContactRow, DB, PermissionRow } from './schema.js';

export interface AudienceMember {
  contact: ContactRow;
  permission: PermissionRow | null;
  purchases: Array<{ product_category: string; purchased_at: string; opt_out_offered: string }>;
}

/**
 * Yields pages of audience members for one purpose.
 * @param pageSize contacts per page (default 5000)
 */
export async function* audiencePages(
  db: Kysely<DB>,
  purposeId: string,
  pageSize = 5000,
): AsyncGenerator<AudienceMember[]> {
  let after = '';
  for (;;) {
    const contacts = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
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
    const byContact = new Map(permissions.map((p) => [p.contact_id, p]));
    const bought = new Map<string, AudienceMember['purchases']>();
    for (const p of purchases) {
      const list = bought.get(p.contact_id) ?? [];
      list.push(p);
      bought.set(p.contact_id, list);
    }
    yield contacts.map((c) => ({ contact: c, permission: byContact.get(c.id) ?? null, purchases: bought.get(c.id) ?? [] }));
    if (contacts.length < pageSize) return;
    after = last;
  }
}
