/**
 * Builds the send gate's facts (core/policy/facts.ts) from stored rows. The same mapping serves the preview,
 * the claim-time check and the evidence pages, so they cannot disagree.
 */
import type { Kysely } from 'kysely';
import { normaliseAddress } from '../core/address.js';
import { PLAIN_CONTACT, type ContactFacts, type Facts, type MessageFacts, type PermissionFacts, type SettingsFacts } from '../core/policy/facts.js';
import { suppressionHash } from '../core/suppression.js';
import type { ConsentMethod, ContactKind, LawfulBasis, MessageCategory, PermissionStatus, SourceKind, SuppressionReason } from '../core/vocab.js';
import type { AudienceMember } from '../store/audience.js';
import { contactById } from '../store/contacts.js';
import { permissionFor } from '../store/permissions.js';
import type { CampaignRow, ContactRow, DB, PermissionRow } from '../store/schema.js';
import { suppressionOf } from '../store/suppressions.js';

export function messageFacts(c: CampaignRow): MessageFacts {
  return {
    category: c.category as MessageCategory,
    purposeId: c.purpose_id,
    productCategory: c.product_category,
    otherLegalEntity: c.other_legal_entity === 1,
    repermissionDeadline: c.repermission_deadline,
  };
}

export function permissionFacts(p: PermissionRow | null): PermissionFacts | null {
  if (!p) return null;
  return {
    basis: p.basis as LawfulBasis,
    status: p.status as PermissionStatus,
    method: p.method as ConsentMethod,
    sourceKind: p.source_kind as SourceKind,
    givenAt: p.given_at,
    confirmedAt: p.confirmed_at,
    thirdPartyEvidence: p.third_party_evidence === 1,
  };
}

export function contactFacts(c: ContactRow, purchases: AudienceMember['purchases']): ContactFacts {
  const address = normaliseAddress(c.email);
  return {
    ...PLAIN_CONTACT,
    kind: c.kind as ContactKind,
    roleAddress: c.role_address === 1,
    designatedForOffers: c.designated_for_offers === 1,
    employee: c.employee === 1,
    employeeWorkAddress: c.employee_work_address === 1,
    marketable: address.ok ? address.value.marketable : false,
    customerOptedOut: c.customer_opted_out === 1,
    purchases: purchases.map((p) => ({
      productCategory: p.product_category,
      purchasedAt: p.purchased_at,
      optOutOffered: p.opt_out_offered as 'clear' | 'terms_only' | 'none',
    })),
  };
}

/** Facts for one audience member as loaded in a page (preview, enqueue). */
export function memberFacts(m: AudienceMember, campaign: CampaignRow, settings: SettingsFacts): Facts {
  return {
    message: messageFacts(campaign),
    contact: contactFacts(m.contact, m.purchases),
    permission: permissionFacts(m.permission),
    suppression: (m.contact.suppression as SuppressionReason | null) ?? null,
    settings,
  };
}

/**
 * Facts for one contact read fresh from the database (claim time), with the suppression list itself consulted.
 * @returns null when the contact no longer exists (erased)
 */
export async function freshFacts(
  db: Kysely<DB>,
  secret: string,
  campaign: CampaignRow,
  contactId: string,
  settings: SettingsFacts,
): Promise<{ facts: Facts; contact: ContactRow } | null> {
  const contact = await contactById(db, contactId);
  if (!contact) return null;
  const [permission, purchases, listed] = await Promise.all([
    permissionFor(db, contactId, campaign.purpose_id),
    db.selectFrom('purchases').select(['product_category', 'purchased_at', 'opt_out_offered']).where('contact_id', '=', contactId).execute(),
    suppressionOf(db, suppressionHash(secret, contact.email)),
  ]);
  return {
    contact,
    facts: {
      message: messageFacts(campaign),
      contact: contactFacts(contact, purchases),
      permission: permissionFacts(permission ?? null),
      suppression: listed ?? (contact.suppression as SuppressionReason | null) ?? null,
      settings,
    },
  };
}
