/**
 * The contacts list of the admin app and the API: search by address prefix or name prefix, filters by purpose and
 * permission status, lawful basis, source and suppression, and keyset pagination (no OFFSET, so page 1,000 costs
 * what page 1 costs). Two orders, each served by an index:
 * - `email`: with a query; an address prefix (with "@" or ".") is a range on the unique e-mail index, a word is
 *   matched against the start of the address, the first name and the last name while walking that index;
 * - `newest`: without a query, by (created_at, id) descending on the `contacts_created` index (migration 012);
 *   a purpose filter probes the permission of each contact on its unique (contact_id, purpose_id) index, or, when
 *   at most SPARSE_PERMISSIONS permissions match, starts from those on `permissions_purpose` and sorts them.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Dialect } from './db.js';
import type { ContactRow, DB } from './schema.js';

export interface ContactFilter {
  /** An address prefix (contains "@" or "." and no space) or a name prefix; case-insensitive. */
  query?: string;
  purposeId?: string;
  /** PermissionStatus; only with purposeId. */
  status?: string;
  /** LawfulBasis of the permission; only with purposeId. */
  basis?: string;
  /** SourceKind of the first collection. */
  source?: string;
  /** true: only suppressed addresses; false: only those not suppressed. */
  suppressed?: boolean;
}

export interface ContactPageQuery extends ContactFilter {
  /** The sort key of the last row of the previous page (email, or created_at|id), from `ContactPage.next`. */
  after?: string;
  /** Rows per page (1–200). */
  limit: number;
  /** Up to how many matching permissions a purpose filter starts from them (default SPARSE_PERMISSIONS; tests set it). */
  sparseUpTo?: number;
}

export interface ContactPage {
  rows: ContactRow[];
  order: 'email' | 'newest';
  /** The cursor for the next page, or null on the last page. */
  next: string | null;
}

/**
 * Up to this many permissions matching a purpose (and status) filter, the list starts from the permissions and
 * sorts their contacts; above it, it walks the contacts in order and probes each one's permission.
 */
const SPARSE_PERMISSIONS = 2_000;

/** How many permissions match the purpose (and status), counted on the `permissions_purpose` index up to `cap + 1`. */
async function matchingPermissionsAtMost(db: Kysely<DB>, purposeId: string, status: string | undefined, cap: number): Promise<number> {
  let inner = db.selectFrom('permissions').select(sql.lit(1).as('one')).where('purpose_id', '=', purposeId);
  if (status) inner = inner.where('status', '=', status);
  const r = await db.selectFrom(inner.limit(cap + 1).as('m')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether a query is read as an address prefix (searched on the e-mail index) rather than a name. */
export const isAddressQuery = (q: string): boolean => /[@.]/.test(q) && !/\s/.test(q);

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
const likePrefix = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of contacts.
 * @example await contactPage(db, 'sqlite', { query: 'anna@', limit: 50 }) // { rows, order: 'email', next: 'anna@x.nl' | null }
 */
export async function contactPage(db: Kysely<DB>, dialect: Dialect, q: ContactPageQuery): Promise<ContactPage> {
  const query = q.query?.trim().toLowerCase() ?? '';
  const byEmail = query !== '';
  let s = db.selectFrom('contacts as c').selectAll('c');
  if (isAddressQuery(query)) {
    // SQLite: a range on the unique index (its LIKE ignores case and skips the index). PostgreSQL: LIKE, which
    // is right under any collation (a range is not where the collation ignores punctuation such as '@').
    s = dialect === 'sqlite'
      ? s.where('c.email', '>=', query).where('c.email', '<', `${query}\uffff`)
      : s.where('c.email', 'like', sql<string>`${likePrefix(query)} escape '\\'`);
  } else if (query) {
    const like = likePrefix(query);
    s = s.where((eb) =>
      eb.or([
        eb(sql`lower(c.first_name)`, 'like', sql`${like} escape '\\'`),
        eb(sql`lower(c.last_name)`, 'like', sql`${like} escape '\\'`),
        eb(sql`c.email`, 'like', sql`${like} escape '\\'`),
      ]),
    );
  }
  if (q.purposeId) {
    const purposeId = q.purposeId;
    const matching = (eb: ExpressionBuilder<DB, 'permissions'>) =>
      eb.and([eb('permissions.purpose_id', '=', purposeId), ...(q.status ? [eb('permissions.status', '=', q.status)] : []), ...(q.basis ? [eb('permissions.basis', '=', q.basis)] : [])]);
    // Few matching permissions: start from them (the `permissions_purpose` range) and sort those few contacts.
    // Many: walk the contacts in page order and probe each one's permission (unique index), so a page costs
    // about limit ÷ share of matching contacts probes, and no sort of a large set (bench/README.md "Admin pages").
    const cap = q.sparseUpTo ?? SPARSE_PERMISSIONS;
    const sparse = !byEmail && (await matchingPermissionsAtMost(db, purposeId, q.status, cap)) <= cap;
    s = sparse
      ? s.where('c.id', 'in', db.selectFrom('permissions').select('permissions.contact_id').where(matching))
      : s.where(({ exists, selectFrom }) => exists(selectFrom('permissions').select(sql.lit(1).as('one')).whereRef('permissions.contact_id', '=', 'c.id').where(matching)));
  }
  if (q.source) s = s.where('c.source_kind', '=', q.source);
  if (q.suppressed === true) s = s.where('c.suppression', 'is not', null);
  if (q.suppressed === false) s = s.where('c.suppression', 'is', null);
  if (q.after && byEmail) s = s.where('c.email', '>', q.after);
  if (q.after && !byEmail) {
    const [at, id] = [q.after.slice(0, q.after.lastIndexOf('|')), q.after.slice(q.after.lastIndexOf('|') + 1)];
    s = s.where((eb) => eb.or([eb('c.created_at', '<', at), eb.and([eb('c.created_at', '=', at), eb('c.id', '<', id)])]));
  }
  const limit = Math.min(Math.max(q.limit, 1), 200);
  s = byEmail ? s.orderBy('c.email') : s.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc');
  const rows = await s.limit(limit + 1).execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, order: byEmail ? 'email' : 'newest', next: more && last ? (byEmail ? last.email : `${last.created_at}|${last.id}`) : null };
}

/** The contacts with these ids, in the order of `ids` (missing ones left out). */
export async function contactsByIds(db: Kysely<DB>, ids: readonly string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('contacts').selectAll().where('id', 'in', [...ids]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
