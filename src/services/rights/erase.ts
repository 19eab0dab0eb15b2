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
 * - SQLite: deletes overwrite the freed space (`secure_delete`, set when the store opens) and the write-ahead log
 *   is truncated afterwards, checked (`walTruncated` says whether other readers prevented it).
 */
import { sql, type Kysely } from 'kysely';
import { scrubOutbox } from '../../mail/outbox.js';
import { suppressionHash } from '../../core/suppression.js';
import { contactById } from '../../store/contacts.js';
import { deleteDeliveryEventsOfContact, deleteUnreadableReportsQuoting } from '../../store/delivery-events.js';
import { appendEvent } from '../../store/ledger.js';
import { forgetRequester } from '../../store/requests.js';
import { addCampaignCount } from '../../store/retention-log.js';
import type { ContactRow, DB } from '../../store/schema.js';
import { addSuppression } from '../../store/suppressions.js';
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
  result.walTruncated = await compactAfterErasure(deps);
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


/**
 * SQLite keeps old page images (erased bytes among them) in the write-ahead log until a checkpoint copies the
 * newest pages into the database file; TRUNCATE then empties the log. While another connection reads (the server
 * while the CLI erases, a backup tool), the checkpoint cannot finish: SQLite answers busy and leaves the log as
 * it is, which used to go unnoticed. Tries `attempts` times (each waits up to the connection's busy_timeout,
 * 5 s) and checks that the whole log was copied and emptied.
 * @returns true when the log is empty (always for PostgreSQL), false when readers kept it busy on every attempt;
 *   the next erasure or retention run truncates it then
 */
export async function compactAfterErasure(deps: Data, attempts = 3): Promise<boolean> {
  if (deps.dialect !== 'sqlite') return true;
  for (let i = 0; i < attempts; i++) {
    const r = (await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(deps.db)).rows[0];
    if (r && r.busy === 0 && r.log <= 0) return true;
  }
  return false;
}
