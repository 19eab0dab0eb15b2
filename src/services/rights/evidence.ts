/**
 * The evidence for one contact (SCENARIOS A9; GDPR 7(1), 5(2)): every permission with its basis, status and the
 * full ledger history that proves it (when, how, what text and privacy-notice version, source), plus the
 * deliveries with their bounces and complaints. Serves `consentry contacts show`, the proof page and data-subject access.
 */
import { normaliseAddress } from '../../core/address.js';
import { verifyChain } from '../../core/ledger-chain.js';
import { campaignById } from '../../store/campaigns.js';
import { contactByEmail, contactById } from '../../store/contacts.js';
import { deliveriesOf } from '../../store/deliveries.js';
import { subjectEvents, toStoredEvent } from '../../store/ledger.js';
import { permissionsOf } from '../../store/permissions.js';
import { purposeById } from '../../store/purposes.js';
import { purchasesOf } from '../../store/relationships.js';
import { deliveryEventsOfContact } from '../../store/delivery-events.js';
import type { ContactRow, DeliveryEventRow, DeliveryRow, PermissionRow } from '../../store/schema.js';
import type { Data } from '../deps.js';
import { notFound } from '../errors.js';

export interface EvidenceEvent {
  seq: number;
  type: string;
  purposeId: string | null;
  basis: string | null;
  occurredAt: string;
  recordedAt: string;
  details: Record<string, unknown>;
  /** Address, IP, user agent as recorded (without the salt); null when none were recorded or after erasure. */
  personal: Record<string, unknown> | null;
  /** Personal details were recorded and have been erased (the digest remains). */
  personalErased: boolean;
  hash: string;
}

export interface Evidence {
  contact: ContactRow;
  permissions: Array<PermissionRow & { history: EvidenceEvent[] }>;
  /** Events outside any permission (e.g. an objection to all direct marketing, a customer's opt-out). */
  generalEvents: EvidenceEvent[];
  deliveries: DeliveryRow[];
  /** Bounces and complaints recorded on the deliveries, oldest first, with time, source, status and diagnostic. */
  deliveryEvents: DeliveryEventRow[];
  /** Purchases recorded for the customer exception (product category, date, how an opt-out was offered). */
  purchases: Array<{ productCategory: string; purchasedAt: string; optOutOffered: string }>;
  /** Whether this subject's chain verifies. */
  chainIntact: boolean;
}

/**
 * Loads the evidence for a contact given by id or address.
 * @throws DomainError not_found
 */
export async function contactEvidence(deps: Data, idOrEmail: string): Promise<Evidence> {
  const address = normaliseAddress(idOrEmail);
  const contact = address.ok ? await contactByEmail(deps.db, address.value.address) : await contactById(deps.db, idOrEmail);
  if (!contact) throw notFound(`no contact "${idOrEmail}"`, 'unknown-contact');
  const rows = await subjectEvents(deps.db, contact.id);
  const events: EvidenceEvent[] = rows.map((r) => {
    const personal = r.personal ? (JSON.parse(r.personal) as Record<string, unknown>) : null;
    if (personal) delete personal.salt;
    return {
      seq: r.seq,
      type: r.type,
      purposeId: r.purpose_id,
      basis: r.basis,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      details: JSON.parse(r.details) as Record<string, unknown>,
      personal,
      personalErased: personal === null && r.personal_digest !== '',
      hash: r.hash,
    };
  });
  const permissions = (await permissionsOf(deps.db, contact.id)).map((p) => ({
    ...p,
    history: events.filter((e) => e.purposeId === p.purpose_id),
  }));
  return {
    contact,
    permissions,
    // Events outside any permission: an objection to all marketing, an opt-out of customer mail for a purpose
    // the person never had a permission for.
    generalEvents: events.filter((e) => e.purposeId === null || !permissions.some((p) => p.purpose_id === e.purposeId)),
    deliveries: await deliveriesOf(deps.db, contact.id),
    deliveryEvents: await deliveryEventsOfContact(deps.db, contact.id),
    purchases: (await purchasesOf(deps.db, contact.id)).map((p) => ({ productCategory: p.product_category, purchasedAt: p.purchased_at, optOutOffered: p.opt_out_offered })),
    chainIntact: verifyChain(contact.id, rows.map(toStoredEvent)).length === 0,
  };
}

/** The names of the purposes and campaigns an evidence names by id; an id whose row is gone has no entry. */
export interface EvidenceNames {
  purposes: Record<string, { nl: string; en: string }>;
  campaigns: Record<string, string>;
}

/**
 * The names a page shows for the ids in a contact's evidence (its permissions' and events' purposes, its
 * deliveries' campaigns), so that people read "Nieuwsbrief" rather than `tips` or a UUID.
 */
export async function evidenceNames(deps: Data, ev: Evidence): Promise<EvidenceNames> {
  const purposeIds = new Set([...ev.permissions.map((p) => p.purpose_id), ...ev.generalEvents.flatMap((e) => (e.purposeId ? [e.purposeId] : []))]);
  const names: EvidenceNames = { purposes: {}, campaigns: {} };
  for (const id of purposeIds) {
    const p = await purposeById(deps.db, id);
    if (p) names.purposes[id] = { nl: p.name_nl, en: p.name_en };
  }
  for (const id of new Set(ev.deliveries.map((d) => d.campaign_id))) {
    const c = await campaignById(deps.db, id);
    if (c) names.campaigns[id] = c.name;
  }
  return names;
}
