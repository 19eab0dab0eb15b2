/**
 * Streaming a campaign's audience: every contact with its permission for the purpose (if any), its purchases and,
 * for re-permission campaigns, the requests already sent, a page at a time in id order, so preview and
 * enqueueing run in bounded memory on any list size. Each page is three range reads in contact-id order on the
 * covering indexes of migration 003 (contacts, the purpose's permissions, purchases), so a page costs sequential
 * index reads and no lookups into the tables; only the columns the gate reads are loaded.
 *
 * `audiencePages` yields whole members (the audit reads their rows); `audienceKeyPages` yields one gate key per
 * contact, computed by the database, for the preview and enqueueing, which decide once per distinct key.
 */
import { sql, type Kysely } from 'kysely';
import { sqliteOf, type Dialect } from './db.js';
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
  /** Start after this contact id (a page cursor); default: the first contact. */
  after?: string;
  /** Only these contacts (e.g. one import's), read a page of ids at a time; ids of no contact are skipped. */
  ids?: readonly string[];
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
  let after = o.after ?? '';
  const only = o.ids ? [...new Set(o.ids)].sort() : null;
  for (let at = 0; ; at += pageSize) {
    const chunk = only?.slice(at, at + pageSize);
    if (chunk?.length === 0) return;
    const contacts = chunk
      ? await db.selectFrom('contacts').select([...AUDIENCE_CONTACT_COLUMNS]).where('id', 'in', chunk).orderBy('id').execute()
      : await db.selectFrom('contacts').select([...AUDIENCE_CONTACT_COLUMNS]).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (contacts.length === 0) {
      if (chunk) continue;
      return;
    }
    const first = contacts[0]!.id;
    const last = contacts[contacts.length - 1]!.id;
    // Given ids lie anywhere in the table: their rows are fetched by id, not by the range between them.
    const permissions = await db
      .selectFrom('permissions')
      .select([...AUDIENCE_PERMISSION_COLUMNS])
      .where('purpose_id', '=', purposeId)
      .$call((q) => (chunk ? q.where('contact_id', 'in', chunk) : q.where('contact_id', '>=', first).where('contact_id', '<=', last)))
      .orderBy('contact_id')
      .execute();
    const purchases = await db
      .selectFrom('purchases')
      .select(['contact_id', 'product_category', 'purchased_at', 'opt_out_offered'])
      .$call((q) => (chunk ? q.where('contact_id', 'in', chunk) : q.where('contact_id', '>=', first).where('contact_id', '<=', last)))
      .orderBy('contact_id')
      .execute();
    const importIds = permissions.filter((p) => p.method === 'not_provable' && p.import_id).map((p) => p.import_id!);
    const evidence = await importEvidenceRefs(db, importIds);
    const sent = o.repermissionCampaignId
      ? await repermissionRequestsSent(db, purposeId, o.repermissionCampaignId, chunk ? { ids: chunk } : { first, last })
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
    if (chunk) continue;
    if (contacts.length < pageSize) return;
    after = last;
  }
}

/**
 * The gate's inputs for one contact as one JSON text, computed by the database: every contact and permission
 * column `memberFacts`/`decide` read, reduced to what they read of it. Contacts with the same key get the same
 * decision (decide is pure and `now` is fixed for a run), so a preview decides once per distinct key instead of
 * once per contact, and JavaScript receives one short string per contact instead of a row object of ~20 fields
 * (bench/README.md "Preview"). Position in the array (`audienceKeyMember` decodes it):
 *  0–8   contact kind, role_address, designated_for_offers, employee, employee_work_address, customer_opted_out,
 *        suppression, source_kind, lead (as stored)
 *  9     1 when the address starts with `"` (a quoted local part, the only unmarketable stored form), else 0
 *  10    1 when there is a permission for the purpose, else 0
 *  11–14 its basis, status, method, source_kind (null without one)
 *  15–16 the first character of given_at and confirmed_at: null stays null, '' stays '', a time becomes its first
 *        digit; the gate reads these only for being null or empty
 *  17    third_party_evidence
 *  18    for a `not_provable` permission: the evidence reference of its import (null when none), else null
 *  19    without a permission: 1 when the contact has a purchase, else 0; with one, 0. Outside customer
 *        marketing the gate reads purchases only as "none, and no permission" (cold reasons); customer marketing
 *        loads the purchases themselves instead (`purchases` of a key row) and this is 0
 *  20    re-permission requests for the purpose sent by other campaigns (re-permission campaigns only, else 0)
 */
export interface AudienceKeyOptions {
  /** Also return each contact's id (enqueueing needs it; a preview does not). */
  ids?: boolean;
  /** Also return each contact's purchases (customer marketing, whose customer exception reads them). */
  purchases?: boolean;
  /** Count earlier re-permission requests, not counting this campaign's own (re-permission campaigns only). */
  repermissionCampaignId?: string;
  /** Contacts per page (default 10,000). */
  pageSize?: number;
}

/** One page of gate keys in contact-id order; `ids[i]` and `purchases[i]` belong to `keys[i]` when requested. */
export interface AudienceKeyPage {
  keys: string[];
  ids: string[] | null;
  /** JSON `[[product_category, purchased_at, opt_out_offered], …]` per contact, null for none. */
  purchases: Array<string | null> | null;
}

const KEY_FIELDS = 21;

/** The SQL of the key (see `AudienceKeyOptions`), per dialect. */
function keyExpression(dialect: Dialect, purposeId: string, o: AudienceKeyOptions) {
  const pg = dialect === 'postgres';
  const array = pg ? sql.raw('json_build_array') : sql.raw('json_array');
  const hasPurchase = o.purchases
    ? sql`0`
    : sql`case when p.contact_id is not null then 0 when exists (select 1 from purchases b where b.contact_id = c.id) then 1 else 0 end`;
  const sent = o.repermissionCampaignId
    ? sql`(select count(*) from deliveries d inner join campaigns k on k.id = d.campaign_id where d.contact_id = c.id
        and k.category = 'repermission' and k.purpose_id = ${purposeId} and k.id <> ${o.repermissionCampaignId} and d.state = 'sent')`
    : sql`0`;
  const key = sql`${array}(c.kind, c.role_address, c.designated_for_offers, c.employee, c.employee_work_address,
    c.customer_opted_out, c.suppression, c.source_kind, c.lead, case when substr(c.email, 1, 1) = '"' then 1 else 0 end,
    case when p.contact_id is null then 0 else 1 end, p.basis, p.status, p.method, p.source_kind,
    substr(p.given_at, 1, 1), substr(p.confirmed_at, 1, 1), p.third_party_evidence,
    case when p.method = 'not_provable' then (select i.evidence_ref from imports i where i.id = p.import_id) end,
    ${hasPurchase}, ${sent})`;
  return pg ? sql`${key}::text` : key;
}

/** The purchases of contact `c` as JSON, or null for none. */
function purchasesExpression(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql`(select json_agg(json_build_array(b.product_category, b.purchased_at, b.opt_out_offered))::text from purchases b where b.contact_id = c.id)`
    : sql`(select json_group_array(json_array(b.product_category, b.purchased_at, b.opt_out_offered)) from purchases b where b.contact_id = c.id having count(*) > 0)`;
}

/**
 * Yields the gate keys of a purpose's audience a page at a time, in contact-id order: one query per page
 * joining contacts and the purpose's permissions. On SQLite the join walks the covering indexes of migration 003
 * (`contacts_audience` in order, one `permissions_audience` search per contact); without ids, each page is bounded
 * by a first query that only walks the contact index, so no id string is built per contact.
 * @example for await (const page of audienceKeyPages(db, 'sqlite', 'tips')) for (const k of page.keys) count(k)
 */
export async function* audienceKeyPages(
  db: Kysely<DB>,
  dialect: Dialect,
  purposeId: string,
  o: AudienceKeyOptions = {},
): AsyncGenerator<AudienceKeyPage> {
  const pageSize = o.pageSize ?? 10_000;
  const key = keyExpression(dialect, purposeId, o);
  const bought = o.purchases ? sql`, ${purchasesExpression(dialect)} as b` : sql``;
  const from = dialect === 'sqlite'
    ? sql`from contacts as c indexed by contacts_audience
        left join permissions as p indexed by permissions_audience on p.contact_id = c.id and p.purpose_id = ${purposeId}`
    : sql`from contacts as c left join permissions as p on p.contact_id = c.id and p.purpose_id = ${purposeId}`;
  const contactIndex = dialect === 'sqlite' ? sql`contacts indexed by contacts_audience` : sql`contacts`;
  type Row = { id?: string; k: string; b?: string | null };
  let after = '';
  for (;;) {
    let rows: Row[];
    let more: boolean;
    if (o.ids) {
      rows = (await sql<Row>`select c.id, ${key} as k${bought} ${from} where c.id > ${after} order by c.id limit ${pageSize}`.execute(db)).rows;
      more = rows.length === pageSize;
      if (more) after = rows[rows.length - 1]!.id!;
    } else {
      const bound = (await sql<{ id: string }>`select id from ${contactIndex} where id > ${after} order by id limit 1 offset ${pageSize - 1}`.execute(db)).rows[0]?.id;
      const upTo = bound === undefined ? sql`` : sql`and c.id <= ${bound}`;
      const query = sql<Row>`select ${key} as k${bought} ${from} where c.id > ${after} ${upTo} order by c.id`;
      more = bound !== undefined;
      if (bound !== undefined) after = bound;
      // The preview's case on SQLite: the same statement run by better-sqlite3 returning the bare keys (no row
      // object per contact; about 0.3 s of 1.6 s at 1,000,000 contacts), holding Kysely's connection meanwhile.
      const handle = o.purchases ? undefined : sqliteOf(db);
      if (handle) {
        const { sql: text, parameters } = query.compile(db);
        const keys = await db.connection().execute(async () => handle.prepare(text).pluck().all(...parameters) as string[]);
        if (keys.length > 0) yield { keys, ids: null, purchases: null };
        if (!more) return;
        continue;
      }
      rows = (await query.execute(db)).rows;
    }
    if (rows.length > 0) {
      yield {
        keys: rows.map((r) => r.k),
        ids: o.ids ? rows.map((r) => r.id!) : null,
        purchases: o.purchases ? rows.map((r) => r.b ?? null) : null,
      };
    }
    if (!more) return;
  }
}

const PLACEHOLDER_PURCHASE: AudienceMember['purchases'][number] = { product_category: '', purchased_at: '', opt_out_offered: 'none' };

/**
 * A member that stands for every contact with this key: the contact and permission columns as the key holds
 * them, and for `memberFacts` the same values of everything it and `decide` read: the id, the evidence event and
 * import ids are empty (neither reads them), the address is `"` or empty (only its first character is read) and the
 * times are their first character (only their null-ness and emptiness are read).
 * @param purchases the contact's purchases as `AudienceKeyPage.purchases` holds them; without, the key's flag
 *   gives none or one placeholder purchase (read only as "has a purchase" outside customer marketing)
 * @throws Error when the key is not one of `audienceKeyPages`
 */
export function audienceKeyMember(key: string, purchases?: string | null): AudienceMember {
  const v = JSON.parse(key) as unknown[];
  if (!Array.isArray(v) || v.length !== KEY_FIELDS) throw new Error(`not an audience key: ${key}`);
  const s = (i: number) => v[i] as string;
  const n = (i: number) => v[i] as number;
  const contact: AudienceContact = {
    id: '',
    email: n(9) === 1 ? '"' : '',
    kind: s(0),
    role_address: n(1),
    designated_for_offers: n(2),
    employee: n(3),
    employee_work_address: n(4),
    customer_opted_out: n(5),
    suppression: v[6] as string | null,
    source_kind: s(7),
    lead: n(8),
  };
  const permission: AudiencePermission | null = n(10) === 1
    ? {
        contact_id: '',
        basis: s(11),
        status: s(12),
        method: s(13),
        source_kind: s(14),
        given_at: v[15] as string | null,
        confirmed_at: v[16] as string | null,
        third_party_evidence: n(17),
        import_id: null,
        evidence_event_id: '',
      }
    : null;
  const bought: AudienceMember['purchases'] = purchases
    ? (JSON.parse(purchases) as string[][]).map(([product_category, purchased_at, opt_out_offered]) => ({
        product_category: product_category!,
        purchased_at: purchased_at!,
        opt_out_offered: opt_out_offered!,
      }))
    : n(19) === 1
      ? [PLACEHOLDER_PURCHASE]
      : NONE;
  return { contact, permission, purchases: bought, importEvidence: v[18] as string | null, repermissionSent: Number(v[20]) };
}
