/**
 * Adding contacts to a purpose from outside the person's own opt-in: a bulk action, an automation, the API or
 * an import (SCENARIOS A8, B1, B2). Consent is per purpose and must be provable (GDPR 6(1)(a), 7(1); EDPB 05/2020),
 * so a grant passes `checkPermissionGrant` only when a consent event for that very purpose exists — already in the
 * ledger, or brought by the grant itself as third-party evidence that names this organisation as recipient and
 * this purpose (ACM: every party in the chain must be able to produce the consent). All or nothing: when one
 * contact fails, nothing is stored. An unsubscribed person stays unsubscribed (E5).
 */
import { z } from 'zod';
import { checkPermissionGrant } from '../../core/policy/guards.js';
import type { ContactRow } from '../../store/schema.js';
import { permissionFor } from '../../store/permissions.js';
import { purposeById } from '../../store/purposes.js';
import type { Data, Deps } from '../deps.js';
import { invalid } from '../errors.js';
import { changePermission } from './permission-change.js';
import { findContact } from './relationships.js';

export const thirdPartyEvidenceSchema = z.strictObject({
  kind: z.literal('third_party'),
  /** Who passed the addresses on. */
  party: z.string().trim().min(2).max(200),
  /** Where the proof is kept: the consent text shown by the party, a contract, a URL. */
  ref: z.string().trim().min(3).max(500),
  /** The proof names this organisation as recipient (B2). */
  namesOrganisation: z.boolean(),
  /** The proof names this purpose. */
  namesPurpose: z.boolean(),
  /** When the person gave consent to the party (ISO time). */
  collectedAt: z.iso.datetime({ offset: true }),
});

export const grantInputSchema = z.strictObject({
  purposeId: z.string().min(1),
  via: z.enum(['bulk_action', 'automation', 'api', 'import']),
  /** Contact ids or addresses. */
  contacts: z.array(z.string().min(1)).min(1, 'name at least one contact').max(10_000),
  evidence: thirdPartyEvidenceSchema.optional(),
});
export type GrantInput = z.input<typeof grantInputSchema>;

export interface GrantResult {
  /** Permissions recorded from the evidence given. */
  granted: number;
  /** Contacts that already had consent for the purpose (nothing to add). */
  unchanged: number;
  /** Contacts left as they are because they withdrew, objected or are suppressed (E5). */
  keptUnsubscribed: number;
}

/** Purposes for which the contact's ledger holds a consent event. */
async function purposesWithConsent(deps: Data, contactId: string): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('consent_events')
    .select('purpose_id')
    .distinct()
    .where('subject_id', '=', contactId)
    .where('basis', '=', 'A6-1-a')
    .where('type', 'in', ['given', 'confirmed', 'imported', 'refreshed'])
    .where('purpose_id', 'is not', null)
    .execute();
  return rows.map((r) => r.purpose_id!);
}

/**
 * Adds contacts to a purpose, only on proof of consent for that purpose.
 * @returns counts of what happened
 * @throws DomainError invalid: `purposeId` unknown; `evidence.namesOrganisation` / `evidence.namesPurpose` false
 *   (the proof does not cover us or this purpose, B1); `contacts[i]` without a consent event for the purpose and
 *   no evidence given (A8). Nothing is stored when it throws.
 * @example grantPermission(deps, { purposeId: 'b', via: 'bulk_action', contacts: ['anna@example.nl'] })
 *   // throws: contacts[0]: Contact … has no consent for purpose b …
 */
export async function grantPermission(deps: Data & Pick<Deps, 'clock'>, input: GrantInput): Promise<GrantResult> {
  const parsed = grantInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = i.path.join('.') || 'input';
    throw invalid(field, `${field}: ${i.message}`);
  }
  const g = parsed.data;
  if (!(await purposeById(deps.db, g.purposeId))) throw invalid('purposeId', `purposeId: there is no purpose "${g.purposeId}"`, 'unknown-purpose');
  const ev = g.evidence;
  if (ev && !ev.namesOrganisation) {
    throw invalid('evidence.namesOrganisation', 'evidence.namesOrganisation: the proof must name this organisation as recipient; without it there is no provable basis [GDPR 7(1); ACM]', 'THIRD_PARTY_NO_EVIDENCE');
  }
  if (ev && !ev.namesPurpose) {
    throw invalid('evidence.namesPurpose', `evidence.namesPurpose: the proof must name the purpose "${g.purposeId}"; consent is per purpose [GDPR 6(1)(a); EDPB 05/2020]`, 'THIRD_PARTY_NO_EVIDENCE');
  }
  const contacts: ContactRow[] = [];
  for (const [i, who] of g.contacts.entries()) {
    try {
      contacts.push(await findContact(deps, who));
    } catch (err) {
      throw invalid(`contacts[${i}]`, `contacts[${i}]: ${(err as Error).message}`, 'unknown-contact');
    }
  }
  const withConsent = await Promise.all(contacts.map(async (c) => ({ contactId: c.id, purposesWithConsent: ev ? [g.purposeId] : await purposesWithConsent(deps, c.id) })));
  const problems = checkPermissionGrant({ targetPurposeId: g.purposeId, via: g.via, contacts: withConsent });
  if (problems.length > 0) {
    const p = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw invalid(p.field, `${p.field}: ${p.message_en}${more} [${p.source}]`, p.code);
  }
  const result: GrantResult = { granted: 0, unchanged: 0, keptUnsubscribed: 0 };
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const c of contacts) {
      const existing = await permissionFor(trx, c.id, g.purposeId);
      if (c.suppression || existing?.status === 'withdrawn' || existing?.status === 'objected') {
        result.keptUnsubscribed++;
        continue;
      }
      if (!ev || (existing?.status === 'active' && existing.basis === 'A6-1-a' && existing.method !== 'not_provable')) {
        result.unchanged++;
        continue;
      }
      await changePermission(
        trx,
        {
          contactId: c.id,
          purposeId: g.purposeId,
          event: 'imported',
          basis: 'A6-1-a',
          status: 'active',
          method: 'third_party',
          sourceKind: 'third_party',
          occurredAt: new Date(ev.collectedAt),
          givenAt: new Date(ev.collectedAt),
          confirmedAt: null,
          thirdPartyEvidence: true,
          details: { via: g.via, party: ev.party, evidenceRef: ev.ref, namesOrganisation: true, namesPurpose: true },
        },
        now,
      );
      result.granted++;
    }
  });
  return result;
}
