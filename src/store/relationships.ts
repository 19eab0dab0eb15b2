/**
 * Relationship facts that open bases other than consent (DESIGN.md "Relationship"): purchases (customer
 * exception, Tw 11.7(3)), and the counts the gate needs per audience page (earlier re-permission requests, F1).
 * Also declares the `contacts.lead` column added by migration 003_facts (module augmentation of schema.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/** How an opt-out was offered when the address was collected at a sale (ACM: only `clear` counts). */
export const OPT_OUT_OFFERED = ['clear', 'terms_only', 'none'] as const;
export type OptOutOffered = (typeof OPT_OUT_OFFERED)[number];

export interface PurchaseInput {
  contactId: string;
  productCategory: string;
  /** ISO-8601 time of the sale. */
  purchasedAt: string;
  optOutOffered: OptOutOffered;
}

/** Records one purchase; returns its id. */
export async function insertPurchase(db: Kysely<DB>, p: PurchaseInput, now: Date): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('purchases')
    .values({
      id,
      contact_id: p.contactId,
      product_category: p.productCategory,
      purchased_at: p.purchasedAt,
      opt_out_offered: p.optOutOffered,
      created_at: now.toISOString(),
    })
    .execute();
  return id;
}

/** One contact's purchases, newest first. */
export async function purchasesOf(db: Kysely<DB>, contactId: string) {
  return db
    .selectFrom('purchases')
    .select(['id', 'product_category', 'purchased_at', 'opt_out_offered'])
    .where('contact_id', '=', contactId)
    .orderBy('purchased_at', 'desc')
    .execute();
}

/**
 * Re-permission requests already sent for a purpose, per contact, by campaigns other than `exceptCampaignId`
 * (F1: one request only). Only contacts with at least one are in the map.
 * @param range when given, only contacts with ids in [first, last] (an audience page)
 */
export async function repermissionRequestsSent(
  db: Kysely<DB>,
  purposeId: string,
  exceptCampaignId: string,
  contactIds: { first: string; last: string } | { only: string } | { ids: readonly string[] },
): Promise<Map<string, number>> {
  let q = db
    .selectFrom('deliveries')
    .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
    .select(['deliveries.contact_id as contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaigns.category', '=', 'repermission')
    .where('campaigns.purpose_id', '=', purposeId)
    .where('campaigns.id', '!=', exceptCampaignId)
    .where('deliveries.state', '=', 'sent');
  if ('ids' in contactIds) {
    if (contactIds.ids.length === 0) return new Map();
    q = q.where('deliveries.contact_id', 'in', [...contactIds.ids]);
  } else {
    q = 'only' in contactIds
      ? q.where('deliveries.contact_id', '=', contactIds.only)
      : q.where('deliveries.contact_id', '>=', contactIds.first).where('deliveries.contact_id', '<=', contactIds.last);
  }
  const rows = await q.groupBy('deliveries.contact_id').execute();
  return new Map(rows.map((r) => [r.contact_id, Number(r.n)]));
}

/** The evidence reference of each import that has one (F1: documented earlier consent), by import id. */
export async function importEvidenceRefs(db: Kysely<DB>, importIds: readonly string[]): Promise<Map<string, string>> {
  if (importIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('imports')
    .select(['id', 'evidence_ref'])
    .where('id', 'in', [...new Set(importIds)])
    .where('evidence_ref', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.evidence_ref!]));
}
