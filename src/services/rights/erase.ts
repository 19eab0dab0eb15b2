/**
 * Erasure (GDPR 17; SCENARIOS E6): removes every clear-text trace of one person while the proof stays
 * verifiable and the opt-out stays honoured.
 *
 * - contact row, its permissions and purchases: deleted;
 * - deliveries and their bounce/complaint events: deleted, their numbers added to `campaign_counts` per campaign
 *   and state (aggregates stay); bounce reports kept for review that quote the address: deleted;
 * - consent ledger: the erasable `personal` JSON of every event of the subject is set to NULL; the digest and
 *   the hashed part stay, so `verifyLedger` still passes; a final 'erased' event (no personal data) is appended;
 * - suppression list: the keyed hash (HMAC) of the address, reason 'erased', so nobody mails it again (21(3));
 * - requests register: the free-text requester is cleared; the pseudonymous row stays as proof of the answer;
 * - outbox: every .eml file that holds the address is deleted (when the outbox folder is given);
 * - SQLite: deletes overwrite the freed space (`secure_delete`, set when the store opens), the write-ahead log is
 *   truncated afterwards and the file checked for left-over copies (`compactAfterErasure`; `walTruncated` says
 *   whether other readers prevented it).
 */
import { open } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import { scrubOutbox } from '../../mail/outbox.js';
import { suppressionHash } from '../../core/suppression.js';
import { contactById } from '../../store/contacts.js';
import { deleteDeliveryEventsOfContact, deleteUnreadableReportsQuoting } from '../../store/delivery-events.js';
import { appendEvent } from '../../store/ledger.js';
import { forgetRequester } from '../../store/requests.js';
import { addCampaignCount, erasedEventState } from '../../store/retention-log.js';
import type { ContactRow, DB } from '../../store/schema.js';
import { addSuppression } from '../../store/suppressions.js';
import { sqliteOf } from '../../store/db.js';
import { getSetting, putSetting } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { invalid, notFound } from '../errors.js';
import { queueWebhookEvent } from '../webhooks/emit.js';

export type EraseDeps = Data & Pick<Deps, 'clock' | 'secret'>;

export interface EraseResult {
  contactId: string;
  /** The keyed hash now on the suppression list (64 hex). */
  suppressionHash: string;
  /** Delivery rows removed (their counts stay in campaign_counts). */
  deliveriesRemoved: number;
  /** Ledger events whose personal details were removed. */
  eventsScrubbed: number;
  /** Outbox file names deleted. */
  outboxFilesDeleted: string[];
  /** SQLite: whether the write-ahead log (old page images) was emptied; false while other readers kept it busy. */
  walTruncated: boolean;
}

/** Reasons are stored in the ledger and the suppression source: a short code, never personal data. */
const REASON_RE = /^[a-z0-9][a-z0-9:_.()-]{0,79}$/;

/**
 * Erases one contact (GDPR 17(1); E6). All database changes happen in one transaction.
 * @param contactId the contact's id
 * @param reason a short code recorded in the ledger, e.g. 'request:art17', 'manage-page',
 *   'retention:withdrawn_after_days' (lower case, digits, `:_.()-`, at most 80 characters; no personal data)
 * @param opts outboxDir: the built-in outbox folder to clean (omit when mail goes out by SMTP)
 * @throws DomainError not_found for an unknown contact (already erased), invalid for a bad reason
 * @example await eraseContact(deps, contact.id, 'request:art17', { outboxDir: '/var/lib/consentry/outbox' })
 */
export async function eraseContact(
  deps: EraseDeps,
  contactId: string,
  reason: string,
  opts: { outboxDir?: string | null } = {},
): Promise<EraseResult> {
  if (!REASON_RE.test(reason)) throw invalid('reason', 'the erasure reason must be a short code such as "request:art17"');
  const now = deps.clock.now();
  const { result, address } = await deps.db.transaction().execute(async (trx) => {
    const contact = await contactById(trx, contactId);
    if (!contact) throw notFound(`no contact "${contactId}" (erased already?)`, 'unknown-contact');
    const r = await eraseInTransaction(trx, deps.secret, contact, reason, now);
    return { result: r, address: contact.email };
  });
  if (opts.outboxDir) result.outboxFilesDeleted = await scrubOutbox(opts.outboxDir, [address]);
  result.walTruncated = await compactAfterErasure(deps, [address]);
  return result;
}

/**
 * The database part of an erasure, in the caller's transaction (used by `eraseContact` and retention runs).
 * @returns the result without outbox files
 */
export async function eraseInTransaction(
  trx: Kysely<DB>,
  secret: string,
  contact: ContactRow,
  reason: string,
  now: Date,
): Promise<EraseResult> {
  const counts = await trx
    .selectFrom('deliveries')
    .select(['campaign_id', 'state', (eb) => eb.fn.countAll().as('n')])
    .where('contact_id', '=', contact.id)
    .groupBy(['campaign_id', 'state'])
    .execute();
  let deliveriesRemoved = 0;
  for (const c of counts) {
    await addCampaignCount(trx, c.campaign_id, c.state, Number(c.n));
    deliveriesRemoved += Number(c.n);
  }
  // The campaign figures count deliveries with a bounce or complaint: keep those numbers too.
  const events = await trx
    .selectFrom('delivery_events')
    .select(['campaign_id', 'kind', (eb) => eb.fn.count<number>('delivery_id').distinct().as('n')])
    .where('contact_id', '=', contact.id)
    .groupBy(['campaign_id', 'kind'])
    .execute();
  for (const e of events) await addCampaignCount(trx, e.campaign_id, erasedEventState(e.kind), Number(e.n));
  await deleteDeliveryEventsOfContact(trx, contact.id);
  await deleteUnreadableReportsQuoting(trx, contact.email);
  await trx.deleteFrom('deliveries').where('contact_id', '=', contact.id).execute();
  const scrubbed = await trx
    .updateTable('consent_events')
    .set({ personal: null })
    .where('subject_id', '=', contact.id)
    .where('personal', 'is not', null)
    .executeTakeFirst();
  await appendEvent(
    trx,
    { subjectId: contact.id, type: 'erased', purposeId: null, basis: null, occurredAt: now, details: { reason, article: 'GDPR 17' } },
    now,
  );
  const hash = suppressionHash(secret, contact.email);
  await addSuppression(trx, hash, 'erased', `erasure:${reason}`, now);
  await forgetRequester(trx, contact.id);
  await trx.deleteFrom('purchases').where('contact_id', '=', contact.id).execute();
  await trx.deleteFrom('permissions').where('contact_id', '=', contact.id).execute();
  await trx.deleteFrom('contacts').where('id', '=', contact.id).execute();
  // Ids and the reason code only: the address is gone, and messages queued earlier are sent without it.
  await queueWebhookEvent(trx, 'contact.erased', { contactId: contact.id, reason }, now, { contactId: contact.id });
  return {
    contactId: contact.id,
    suppressionHash: hash,
    deliveriesRemoved,
    eventsScrubbed: Number(scrubbed.numUpdatedRows),
    outboxFilesDeleted: [],
    walTruncated: false,
  };
}


/** Setting: an erasure's file check could not run (the log was busy), so the next compaction rebuilds the file. */
const REBUILD_DUE = 'erasure_rebuild_due';

/**
 * Makes sure erased addresses leave no bytes in the SQLite files (GDPR 17; DESIGN "erased leaves no clear-text
 * address anywhere"). Three things can keep them:
 * - the write-ahead log holds old page images until a checkpoint copies the newest pages into the database file;
 *   TRUNCATE then empties it. While another connection reads (the server while the CLI erases, a backup tool) the
 *   checkpoint cannot finish and SQLite answers busy; it is tried `attempts` times (each waits up to the
 *   connection's busy_timeout, 5 s) and its result checked;
 * - a copy SQLite left in a page while the person's record was still live (issue 13 item 10, docs/decisions.md).
 *   When SQLite rebalances a b-tree and cannot edit a page in place, it rebuilds the page's cells from the end of
 *   the page and leaves the bytes below them as they were: old copies of cells that moved to a sibling page.
 *   `secure_delete` zeroes deleted cells, freeblocks and freed pages, never this unallocated area, so deleting the
 *   live record later leaves the old copy. Index pages rebalance this way even when rows are appended, table pages
 *   when a row grows or lands mid-table; an index entry in an interior page is an entry of its own and is zeroed.
 *   Any page may hold such a copy, so once the log is empty the database file is searched for the erased
 *   addresses (one pass for all of them). Pages of indexes are rebuilt by REINDEX of those indexes, which frees
 *   (and zeroes) their old pages; a copy elsewhere (a table page) makes VACUUM rebuild the whole file;
 * - when the log stayed busy the search cannot be trusted: a setting remembers that the next compaction (the next
 *   erasure or the hourly retention run) rebuilds the file, without keeping any address.
 * @param addresses the normalised addresses just erased (what `contacts.email` held)
 * @returns true when the log is empty and the file holds none of the addresses (always for PostgreSQL, whose
 *   VACUUM and page reuse are its own), false when readers kept the log busy on every attempt
 */
export async function compactAfterErasure(deps: Data, addresses: readonly string[], attempts = 3): Promise<boolean> {
  if (deps.dialect !== 'sqlite') return true;
  const checkpoint = async () => {
    for (let i = 0; i < attempts; i++) {
      const r = (await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(deps.db)).rows[0];
      if (r && r.busy === 0 && r.log <= 0) return true;
    }
    return false;
  };
  const due = (await getSetting<boolean>(deps.db, REBUILD_DUE)) === true;
  // After a rebuild the old pages stay in the file until the log is copied back: when readers prevent that, the
  // next compaction rebuilds again.
  const settle = async () => {
    if (await checkpoint()) return true;
    await putSetting(deps.db, REBUILD_DUE, true);
    return false;
  };
  if (!(await checkpoint())) {
    if (addresses.length > 0 && !due) await putSetting(deps.db, REBUILD_DUE, true);
    return false;
  }
  if (due) {
    await sql`vacuum`.execute(deps.db);
    await putSetting(deps.db, REBUILD_DUE, false);
    return settle();
  }
  const file = sqliteOf(deps.db)?.name;
  if (file === undefined || addresses.length === 0) return true;
  const pageSize = Number((await sql<{ page_size: number }>`pragma page_size`.execute(deps.db)).rows[0]!.page_size);
  const pages = await pagesHolding(file, pageSize, addresses);
  if (pages.size === 0) return true;
  const indexes = await indexesOwning(deps.db, pages);
  if (indexes) {
    for (const name of indexes) await sql`reindex ${sql.id(name)}`.execute(deps.db);
    if (!(await settle())) return false;
    if ((await pagesHolding(file, pageSize, addresses)).size === 0) return true;
  }
  await sql`vacuum`.execute(deps.db);
  return settle();
}

/**
 * The indexes that own `pages` (from `dbstat`, which walks every b-tree: run only when a copy was found), or null
 * when a page belongs to a table or to no b-tree (the freelist, an overflow chain's end).
 */
async function indexesOwning(db: Data['db'], pages: ReadonlySet<number>): Promise<string[] | null> {
  const owners = (await sql<{ pageno: number; name: string; type: string | null }>`
    select d.pageno, d.name, m.type from dbstat as d left join sqlite_master as m on m.name = d.name
    where d.pageno in (${sql.join([...pages])})`.execute(db)).rows;
  if (owners.length < pages.size || owners.some((o) => o.type !== 'index')) return null;
  return [...new Set(owners.map((o) => o.name))];
}

/**
 * The numbers of the pages of the file at `path` that contain any of `needles` (UTF-8), in one pass over the file
 * read in chunks of 8 MB. A few needles are searched one by one (a fast byte search each); more are found by
 * looking up every `@` by a hash of the bytes around it, so a retention run erasing hundreds of addresses still
 * reads and searches the file once.
 */
async function pagesHolding(path: string, pageSize: number, needles: readonly string[]): Promise<Set<number>> {
  // Erased addresses are normalised: each has an `@`.
  const wanted = needles.filter((n) => n.includes('@')).map((n) => ({ bytes: Buffer.from(n, 'utf8'), at: Buffer.byteLength(n.slice(0, n.lastIndexOf('@')), 'utf8') }));
  const found = new Set<number>();
  if (wanted.length === 0) return found;
  // The bytes around the `@` that every needle has: `before` before it and `after` after it, at most 8 each.
  const before = Math.min(8, ...wanted.map((w) => w.at));
  const after = Math.min(8, ...wanted.map((w) => w.bytes.length - w.at - 1));
  const hash = (b: Buffer, p: number) => {
    let h = 0x811c9dc5;
    for (let i = p - before; i <= p + after; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h >>> 0;
  };
  const byHash = new Map<number, typeof wanted>();
  for (const w of wanted) byHash.set(hash(w.bytes, w.at), [...(byHash.get(hash(w.bytes, w.at)) ?? []), w]);
  const overlap = Math.max(...wanted.map((w) => w.bytes.length));
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(8 * 1024 * 1024 + overlap);
    let kept = 0;
    let start = 0; // the file offset of chunk[0]
    for (;;) {
      const { bytesRead } = await handle.read(chunk, kept, chunk.length - kept);
      const end = kept + bytesRead;
      const view = chunk.subarray(0, end);
      if (wanted.length <= 4) {
        for (const w of wanted) for (let i = view.indexOf(w.bytes); i >= 0; i = view.indexOf(w.bytes, i + 1)) found.add(Math.floor((start + i) / pageSize) + 1);
      } else {
        // An `@` within `after` bytes of the end is looked at again in the next chunk, which keeps `overlap` bytes.
        for (let p = view.indexOf(0x40, before); p >= 0 && p + after < end; p = view.indexOf(0x40, p + 1)) {
          for (const w of byHash.get(hash(view, p)) ?? []) {
            const from = p - w.at;
            if (from >= 0 && from + w.bytes.length <= end && view.compare(w.bytes, 0, w.bytes.length, from, from + w.bytes.length) === 0) {
              found.add(Math.floor((start + from) / pageSize) + 1);
            }
          }
        }
      }
      if (bytesRead === 0) return found;
      kept = Math.min(overlap, end);
      chunk.copy(chunk, 0, end - kept, end);
      start += end - kept;
    }
  } finally {
    await handle.close();
  }
}
