/**
 * Many confirmed subscribers at once, written straight into the tables (the sign-up path is tested elsewhere):
 * contacts `s00000@example.nl`… with an active, confirmed double opt-in consent for `purposeId`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/store/schema.js';

export const subscriberAddress = (i: number) => `s${String(i).padStart(5, '0')}@example.nl`;

/** Inserts `n` subscribers. @returns their contact ids in order */
export async function seedSubscribers(db: Kysely<DB>, purposeId: string, n: number, at = '2026-11-01T10:00:00.000Z'): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 500) {
    const contacts = [];
    const permissions = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      const id = randomUUID();
      ids.push(id);
      contacts.push({ id, email: subscriberAddress(i), first_name: `S${i}`, last_name: null, suppression: null, locale: 'nl', source_kind: 'form', source_ref: null, designation_evidence: null, created_at: at, updated_at: at });
      permissions.push({
        id: randomUUID(), contact_id: id, purpose_id: purposeId, basis: 'A6-1-a', status: 'active', method: 'double_opt_in',
        source_kind: 'form', given_at: at, confirmed_at: at, withdrawn_at: null, third_party_evidence: 0, evidence_event_id: `seed-${i}`,
        import_id: null, notice_version: 1, created_at: at, updated_at: at,
      });
    }
    await db.insertInto('contacts').values(contacts).execute();
    await db.insertInto('permissions').values(permissions).execute();
  }
  return ids;
}
