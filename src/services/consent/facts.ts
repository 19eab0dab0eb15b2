/**
 * Builds the send gate's facts (core/policy/facts.ts) from stored rows. The same mapping serves the preview,
 * the claim-time check and the evidence pages, so they cannot disagree. Every field `decide` reads is filled
 * here: the contact's kind, address facts, relationships (purchases, employee, designated address), source and
 * lead flag; the permission; documented earlier consent and earlier re-permission requests (F1); and whether
 * the message is a personal one-to-one message (B4, D6) — a campaign never is.
 */
import type { Kysely } from 'kysely';
import { PLAIN_CONTACT, type ContactFacts, type Facts, type MessageFacts, type PermissionFacts, type SettingsFacts } from '../../core/policy/facts.js';
import { suppressionHash } from '../../core/suppression.js';
import { isSourceKind, type ConsentMethod, type ContactKind, type LawfulBasis, type MessageCategory, type PermissionStatus, type SourceKind, type SuppressionReason } from '../../core/vocab.js';
import type { AudienceContact, AudienceMember, AudiencePermission } from '../../store/audience.js';
import { contactById } from '../../store/contacts.js';
import { permissionFor } from '../../store/permissions.js';
import { importEvidenceRefs, repermissionRequestsSent } from '../../store/relationships.js';
import type { CampaignRow, ContactRow, DB } from '../../store/schema.js';
import { suppressionOf } from '../../store/suppressions.js';

/**
 * The message facts of a campaign. A campaign is bulk by definition: `personal` is false, and `recipients` is
 * the audience size when known (it matters only for the one-to-one category, which a campaign cannot use).
 */
export function messageFacts(c: CampaignRow, recipients?: number): MessageFacts {
  return {
    category: c.category as MessageCategory,
    purposeId: c.purpose_id,
    productCategory: c.product_category,
    otherLegalEntity: c.other_legal_entity === 1,
    repermissionDeadline: c.repermission_deadline,
    personal: false,
    ...(recipients !== undefined && { recipients }),
  };
}

export function permissionFacts(p: AudiencePermission | null): PermissionFacts | null {
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

/**
 * Whether the contact's earlier consent for the purpose is documented (F1), so one re-permission request may
 * go out: consent basis, not pre-ticked (Recital 32), not pending, withdrawn or objected, and with its proof —
 * a confirmed or single opt-in, an imported consent time, third-party evidence naming us, or, for an import
 * without times, an evidence document recorded for the whole import. A list with nothing at all is F2.
 */
export function earlierConsentDocumented(p: AudiencePermission | null, importEvidence: string | null): boolean {
  if (!p || p.basis !== 'A6-1-a') return false;
  if (p.status === 'pending' || p.status === 'withdrawn' || p.status === 'objected') return false;
  switch (p.method as ConsentMethod) {
    case 'double_opt_in':
      return p.confirmed_at !== null;
    case 'single_opt_in':
    case 'import':
      return p.given_at !== null;
    case 'third_party':
      return p.third_party_evidence === 1;
    case 'not_provable':
      return importEvidence !== null;
    default:
      return false;
  }
}

/** Extra per-contact facts that come from other tables than contacts and purchases. */
export interface ContactExtras {
  purchases: AudienceMember['purchases'];
  permission: AudiencePermission | null;
  importEvidence: string | null;
  repermissionSent: number;
}

/**
 * The contact facts of one stored contact. `marketable` is read from the stored normalised address without
 * parsing it again: normalisation (core/address.ts) stores a quoted local part, the only unmarketable form,
 * with its quotes, so the address starts with `"` exactly then.
 */
export function contactFacts(c: AudienceContact, x: ContactExtras): ContactFacts {
  return {
    ...PLAIN_CONTACT,
    kind: c.kind as ContactKind,
    roleAddress: c.role_address === 1,
    designatedForOffers: c.designated_for_offers === 1,
    employee: c.employee === 1,
    employeeWorkAddress: c.employee_work_address === 1,
    marketable: !c.email.startsWith('"'),
    customerOptedOut: c.customer_opted_out === 1,
    purchases: x.purchases.map((p) => ({
      productCategory: p.product_category,
      purchasedAt: p.purchased_at,
      optOutOffered: p.opt_out_offered as 'clear' | 'terms_only' | 'none',
    })),
    earlierConsentDocumented: earlierConsentDocumented(x.permission, x.importEvidence),
    source: isSourceKind(c.source_kind) ? c.source_kind : null,
    lead: c.lead === 1,
    repermissionRequestsSent: x.repermissionSent,
  };
}

/**
 * Facts for one audience member as loaded in a page (preview, enqueue).
 * @param recipients the campaign's audience size, when known
 */
export function memberFacts(m: AudienceMember, campaign: CampaignRow, settings: SettingsFacts, recipients?: number): Facts {
  return {
    message: messageFacts(campaign, recipients),
    contact: contactFacts(m.contact, m),
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
  const extras = await contactExtras(db, contactId, campaign.purpose_id, campaign.category === 'repermission' ? campaign.id : null);
  const listed = await suppressionOf(db, suppressionHash(secret, contact.email));
  return {
    contact,
    facts: {
      message: messageFacts(campaign),
      contact: contactFacts(contact, extras),
      permission: permissionFacts(extras.permission),
      suppression: listed ?? (contact.suppression as SuppressionReason | null) ?? null,
      settings,
    },
  };
}

/**
 * Facts for a claimed batch of contacts, read fresh like `freshFacts` but with one query per kind (contacts,
 * permissions, purchases, suppression hashes, import evidence, earlier re-permission requests) instead of
 * several per contact.
 * @returns by contact id; an erased contact is absent
 */
export async function batchFreshFacts(
  db: Kysely<DB>,
  secret: string,
  campaign: CampaignRow,
  contactIds: readonly string[],
  settings: SettingsFacts,
): Promise<Map<string, { facts: Facts; contact: ContactRow }>> {
  const out = new Map<string, { facts: Facts; contact: ContactRow }>();
  if (contactIds.length === 0) return out;
  const ids = [...new Set(contactIds)];
  const [contacts, permissions, purchases, resent] = await Promise.all([
    db.selectFrom('contacts').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('permissions').selectAll().where('contact_id', 'in', ids).where('purpose_id', '=', campaign.purpose_id).execute(),
    db.selectFrom('purchases').select(['contact_id', 'product_category', 'purchased_at', 'opt_out_offered']).where('contact_id', 'in', ids).execute(),
    campaign.category === 'repermission' ? repermissionRequestsSent(db, campaign.purpose_id, campaign.id, { ids }) : Promise.resolve(new Map<string, number>()),
  ]);
  const hashes = new Map(contacts.map((c) => [c.id, suppressionHash(secret, c.email)]));
  const listed = hashes.size
    ? await db.selectFrom('suppressions').select(['hash', 'reason']).where('hash', 'in', [...hashes.values()]).execute()
    : [];
  const listedBy = new Map(listed.map((r) => [r.hash, r.reason as SuppressionReason]));
  const permissionBy = new Map(permissions.map((p) => [p.contact_id, p]));
  const importIds = permissions.filter((p) => p.method === 'not_provable' && p.import_id).map((p) => p.import_id!);
  const evidence = await importEvidenceRefs(db, importIds);
  const purchasesBy = new Map<string, ContactExtras['purchases']>();
  for (const p of purchases) {
    const list = purchasesBy.get(p.contact_id) ?? [];
    list.push({ product_category: p.product_category, purchased_at: p.purchased_at, opt_out_offered: p.opt_out_offered });
    purchasesBy.set(p.contact_id, list);
  }
  for (const contact of contacts) {
    const permission = permissionBy.get(contact.id) ?? null;
    const extras: ContactExtras = {
      purchases: purchasesBy.get(contact.id) ?? [],
      permission,
      importEvidence: permission?.method === 'not_provable' && permission.import_id ? evidence.get(permission.import_id) ?? null : null,
      repermissionSent: resent.get(contact.id) ?? 0,
    };
    out.set(contact.id, {
      contact,
      facts: {
        message: messageFacts(campaign),
        contact: contactFacts(contact, extras),
        permission: permissionFacts(extras.permission),
        suppression: listedBy.get(hashes.get(contact.id)!) ?? (contact.suppression as SuppressionReason | null) ?? null,
        settings,
      },
    });
  }
  return out;
}

/**
 * Loads the per-contact extras for one contact and purpose.
 * @param repermissionCampaignId count earlier re-permission requests other than this campaign's (null: skip)
 */
export async function contactExtras(
  db: Kysely<DB>,
  contactId: string,
  purposeId: string,
  repermissionCampaignId: string | null,
): Promise<ContactExtras> {
  const [permission, purchases] = await Promise.all([
    permissionFor(db, contactId, purposeId),
    db.selectFrom('purchases').select(['product_category', 'purchased_at', 'opt_out_offered']).where('contact_id', '=', contactId).execute(),
  ]);
  const importId = permission?.method === 'not_provable' ? permission.import_id : null;
  const evidence = importId ? (await importEvidenceRefs(db, [importId])).get(importId) ?? null : null;
  const sent = repermissionCampaignId
    ? (await repermissionRequestsSent(db, purposeId, repermissionCampaignId, { only: contactId })).get(contactId) ?? 0
    : 0;
  return { purchases, permission: permission ?? null, importEvidence: evidence, repermissionSent: sent };
}

/**
 * The facts the gate would see for one stored contact and a message of `category` for `purposeId` (the suppression
 * list consulted), e.g. to show them (`consentry facts show`) or to ask `consentry decide` about a variant.
 * @returns `Facts` as `parseDecisionInput` accepts them (times ISO-8601)
 * @throws Error when the contact does not exist
 */
export async function storedFacts(
  db: Kysely<DB>,
  secret: string,
  contactId: string,
  message: MessageFacts,
  settings: SettingsFacts,
): Promise<Facts> {
  const contact = await contactById(db, contactId);
  if (!contact) throw new Error(`there is no contact "${contactId}"`);
  const extras = await contactExtras(db, contactId, message.purposeId, null);
  const listed = await suppressionOf(db, suppressionHash(secret, contact.email));
  return {
    message,
    contact: contactFacts(contact, extras),
    permission: permissionFacts(extras.permission),
    suppression: listed ?? (contact.suppression as SuppressionReason | null) ?? null,
    settings,
  };
}
