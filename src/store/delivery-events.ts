/**
 * Delivery events (bounces and complaints recorded on their delivery) and unreadable reports kept for review.
 * Queries only; the rules are in services/events.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB, DeliveryEventRow, DeliveryEventsTable, DeliveryRow, UnreadableReportRow, UnreadableReportsTable } from './schema.js';

/**
 * Inserts an event unless the same report (delivery_id, report_key) is recorded already.
 * @returns true when inserted, false for a report seen before
 */
export async function insertDeliveryEvent(db: Kysely<DB>, row: Insertable<DeliveryEventsTable>): Promise<boolean> {
  const r = await db
    .insertInto('delivery_events')
    .values(row)
    .onConflict((oc) => oc.columns(['delivery_id', 'report_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function deliveryEventByReport(db: Kysely<DB>, deliveryId: string, reportKey: string): Promise<DeliveryEventRow | undefined> {
  return db.selectFrom('delivery_events').selectAll().where('delivery_id', '=', deliveryId).where('report_key', '=', reportKey).executeTakeFirst();
}

/**
 * Distinct deliveries of a contact that soft-bounced with a status that counts (`statuses` null: no status)
 * since `since` (ISO time, inclusive).
 */
export async function countSoftBounces(db: Kysely<DB>, contactId: string, since: string, counted: (status: string | null) => boolean): Promise<number> {
  const rows = await db
    .selectFrom('delivery_events')
    .select(['delivery_id', 'status'])
    .where('contact_id', '=', contactId)
    .where('kind', '=', 'soft_bounce')
    .where('occurred_at', '>=', since)
    .execute();
  return new Set(rows.filter((r) => counted(r.status)).map((r) => r.delivery_id)).size;
}

export async function setEventSuppression(db: Kysely<DB>, id: string, reason: string): Promise<void> {
  await db.updateTable('delivery_events').set({ suppression: reason }).where('id', '=', id).execute();
}

/** A contact's events, oldest first (the contact's page, the art. 15 export). */
export async function deliveryEventsOfContact(db: Kysely<DB>, contactId: string): Promise<DeliveryEventRow[]> {
  return db.selectFrom('delivery_events').selectAll().where('contact_id', '=', contactId).orderBy('occurred_at').orderBy('id').execute();
}

/** One delivery's events, oldest first. */
export async function deliveryEventsOf(db: Kysely<DB>, deliveryId: string): Promise<DeliveryEventRow[]> {
  return db.selectFrom('delivery_events').selectAll().where('delivery_id', '=', deliveryId).orderBy('occurred_at').orderBy('id').execute();
}

/** A campaign's deliveries with events, by kind: `{ hard_bounce: 2, complaint: 1 }` (distinct deliveries). */
export async function deliveryEventCounts(db: Kysely<DB>, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('delivery_events')
    .select(['kind', sql<number>`count(distinct delivery_id)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

export async function deliveryById(db: Kysely<DB>, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The delivery whose id starts with these hex digits (dashes ignored), as VERP tokens carry the first 24 of the
 * id's 32 (`d-<24 hex>`). Ambiguous prefixes (two rows) give undefined.
 */
export async function deliveryByIdPrefix(db: Kysely<DB>, hex: string): Promise<DeliveryRow | undefined> {
  if (!/^[0-9a-f]{12,32}$/.test(hex)) return undefined;
  // UUID text: 8-4-4-4-12; put the dashes back. LIKE rather than a range: PostgreSQL's default collation
  // orders text ignoring dashes, so a range could miss; a bounce is rare enough for the scan.
  const groups = [8, 4, 4, 4, 12];
  let rest = hex;
  let prefix = '';
  for (const g of groups) {
    if (!rest) break;
    prefix += (prefix ? '-' : '') + rest.slice(0, g);
    rest = rest.slice(g);
  }
  const rows = await db.selectFrom('deliveries').selectAll().where('id', 'like', `${prefix}%`).limit(2).execute();
  return rows.length === 1 ? rows[0] : undefined;
}

export async function deliveryByMessageId(db: Kysely<DB>, messageId: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).limit(1).executeTakeFirst();
}

export async function addUnreadableReport(db: Kysely<DB>, row: Insertable<UnreadableReportsTable>): Promise<void> {
  await db.insertInto('unreadable_reports').values(row).execute();
}

export async function listUnreadableReports(db: Kysely<DB>, opts: { open?: boolean; limit?: number } = {}): Promise<UnreadableReportRow[]> {
  let q = db.selectFrom('unreadable_reports').selectAll().orderBy('received_at', 'desc').limit(opts.limit ?? 100);
  if (opts.open) q = q.where('reviewed_at', 'is', null);
  return q.execute();
}

/** Removes a contact's events (erasure: diagnostics may quote the address). */
export async function deleteDeliveryEventsOfContact(db: Kysely<DB>, contactId: string): Promise<void> {
  await db.deleteFrom('delivery_events').where('contact_id', '=', contactId).execute();
}

export async function unreadableReport(db: Kysely<DB>, id: string): Promise<UnreadableReportRow | undefined> {
  return db.selectFrom('unreadable_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markReportReviewed(db: Kysely<DB>, id: string, at: Date): Promise<void> {
  await db.updateTable('unreadable_reports').set({ reviewed_at: at.toISOString() }).where('id', '=', id).execute();
}

/** Removes reports kept for review that quote an address (erasure, GDPR 17). @returns how many */
export async function deleteUnreadableReportsQuoting(db: Kysely<DB>, address: string): Promise<number> {
  const pattern = `%${address.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const r = await db.deleteFrom('unreadable_reports').where(sql`lower(raw)`, 'like', sql`${pattern} escape '\\'`).executeTakeFirst();
  return Number(r.numDeletedRows);
}
