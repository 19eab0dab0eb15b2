/**
 * Lifting a suppression: only the person's own new, confirmed opt-in may, and only for their own unsubscribe
 * or erasure (SCENARIOS E5: "unsubscribed = unsubscribed" for every import, API call or admin action).
 */
import type { Kysely } from 'kysely';
import { suppressionHash } from '../../core/suppression.js';
import type { SuppressionReason } from '../../core/vocab.js';
import { updateContact } from '../../store/contacts.js';
import type { ContactRow, DB } from '../../store/schema.js';
import { removeSuppression, suppressionOf } from '../../store/suppressions.js';

/**
 * Suppression reasons that the person's own new, confirmed opt-in lifts (E5): their own unsubscribe and their
 * own erasure. Bounces, complaints and imported suppressions are never lifted by a sign-up.
 */
export const LIFTED_BY_OWN_OPT_IN: readonly SuppressionReason[] = ['unsubscribed', 'erased'];

/**
 * Lifts the suppression of a contact's address after their own confirmed opt-in (GDPR 7, E5), when its reason
 * is in LIFTED_BY_OWN_OPT_IN; reads the list itself, not only the contact's mirror column, because a contact
 * created anew after an erasure has no mirror. Call it inside the confirming transaction.
 * @returns the reason lifted, or null when nothing was lifted
 */
export async function liftSuppressionOnOwnOptIn(
  db: Kysely<DB>,
  secret: string,
  contact: ContactRow,
  now: Date,
): Promise<SuppressionReason | null> {
  const hash = suppressionHash(secret, contact.email);
  const listed = (await suppressionOf(db, hash)) ?? (contact.suppression as SuppressionReason | null);
  if (!listed || !LIFTED_BY_OWN_OPT_IN.includes(listed)) return null;
  await removeSuppression(db, hash);
  await updateContact(db, contact.id, { suppression: null, updated_at: now.toISOString() });
  return listed;
}

/**
 * The suppression reason of an address from the list itself, for a contact being created: a person re-created
 * after an erasure or an "everything" unsubscribe carries the mark, so preview and send agree (E5).
 * @param address a normalised address
 */
export async function listedSuppression(db: Kysely<DB>, secret: string, address: string): Promise<SuppressionReason | null> {
  return suppressionOf(db, suppressionHash(secret, address));
}
