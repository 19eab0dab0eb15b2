/**
 * The one way a permission changes: the ledger event that proves the change is appended and the permission row
 * updated to point at it, in the caller's transaction. Every use case (form, confirmation, unsubscribe, import,
 * rights requests) goes through here, so no permission exists without its evidence.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { ConsentMethod, LawfulBasis, LedgerEventType, PermissionStatus, SourceKind } from '../../core/vocab.js';
import { appendEvent, appendEvents, rowsPerInsert, type NewLedgerEvent } from '../../store/ledger.js';
import { updateContact } from '../../store/contacts.js';
import { insertPermission, permissionFor, updatePermission } from '../../store/permissions.js';
import type { DB, PermissionRow, PermissionsTable } from '../../store/schema.js';

export interface PermissionChange {
  contactId: string;
  purposeId: string;
  event: LedgerEventType;
  basis: LawfulBasis;
  status: PermissionStatus;
  method: ConsentMethod;
  sourceKind: SourceKind;
  /** When it happened (imported evidence: the original time). */
  occurredAt: Date;
  givenAt?: Date | null;
  confirmedAt?: Date | null;
  withdrawnAt?: Date | null;
  thirdPartyEvidence?: boolean;
  importId?: string | null;
  noticeVersion?: number | null;
  /** Non-personal evidence for the ledger: form, text shown, language, channel, source reference… */
  details: Record<string, unknown>;
  /** Personal evidence for the ledger (address, ip, user agent); erasable. */
  personal?: Record<string, unknown> | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The permission columns a change sets (also used by the SQLite bulk import path). */
export function permissionFields(c: PermissionChange, eventId: string, now: Date) {
  return {
    basis: c.basis,
    status: c.status,
    method: c.method,
    source_kind: c.sourceKind,
    evidence_event_id: eventId,
    updated_at: now.toISOString(),
    ...(c.givenAt !== undefined && { given_at: iso(c.givenAt) }),
    ...(c.confirmedAt !== undefined && { confirmed_at: iso(c.confirmedAt) }),
    ...(c.withdrawnAt !== undefined && { withdrawn_at: iso(c.withdrawnAt) }),
    ...(c.thirdPartyEvidence !== undefined && { third_party_evidence: c.thirdPartyEvidence ? 1 : 0 }),
    ...(c.importId !== undefined && { import_id: c.importId }),
    ...(c.noticeVersion !== undefined && { notice_version: c.noticeVersion }),
  };
}

/** The ledger event that proves a change (also used by the SQLite bulk import path). */
export const eventOf = (c: PermissionChange): NewLedgerEvent => ({
  subjectId: c.contactId,
  type: c.event,
  purposeId: c.purposeId,
  basis: c.basis,
  occurredAt: c.occurredAt,
  details: { method: c.method, source: c.sourceKind, status: c.status, ...c.details },
  personal: c.personal ?? null,
});

/** A new permission row's defaults, before a change's fields are laid over it. */
const newPermission = (c: PermissionChange, now: Date) => ({
  id: randomUUID(),
  contact_id: c.contactId,
  purpose_id: c.purposeId,
  given_at: null,
  confirmed_at: null,
  withdrawn_at: null,
  third_party_evidence: 0,
  import_id: null,
  notice_version: null,
  created_at: now.toISOString(),
});

/**
 * Records one change.
 * @param now the recording time (differs from occurredAt for imported evidence)
 * @returns the ledger event's id
 */
export async function changePermission(db: Kysely<DB>, c: PermissionChange, now: Date): Promise<string> {
  const { id: eventId } = await appendEvent(db, eventOf(c), now);
  const existing = await permissionFor(db, c.contactId, c.purposeId);
  const fields = permissionFields(c, eventId, now);
  if (existing) {
    await updatePermission(db, existing.id, fields);
  } else {
    await insertPermission(db, { ...newPermission(c, now), ...fields });
  }
  return eventId;
}

/**
 * An objection to direct marketing that ends the customer exception (GDPR 21(3), Tw 11.7(3)): the `objected`
 * ledger event, on one purpose or (purposeId null) on all, and the contact's customer_opted_out flag. Customer
 * mail rests on no permission, so there is none to end; consent permissions are ended by the caller.
 * @param o the purpose objected to (null: all), when, and the non-personal details (channel, import …)
 */
export async function objectToCustomerMail(
  db: Kysely<DB>,
  contactId: string,
  o: { purposeId: string | null; occurredAt: Date; details: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await appendEvent(db, { subjectId: contactId, type: 'objected', purposeId: o.purposeId, basis: null, occurredAt: o.occurredAt, details: o.details }, now);
  await updateContact(db, contactId, { customer_opted_out: 1, updated_at: now.toISOString() });
}

/**
 * Ends a standing permission (withdrawal, objection, expiry), keeping its basis, method and source, with the
 * ledger event that proves the end. A withdrawal or objection also sets withdrawn_at.
 * @param p the permission as stored
 * @param end what ended it, when, and the non-personal details (channel, campaign, import …)
 * @returns the ledger event's id
 */
export async function endPermission(
  db: Kysely<DB>,
  p: PermissionRow,
  end: { event: 'withdrawn' | 'objected' | 'expired'; occurredAt: Date; details: Record<string, unknown> },
  now: Date,
): Promise<string> {
  return changePermission(
    db,
    {
      contactId: p.contact_id,
      purposeId: p.purpose_id,
      event: end.event,
      basis: p.basis as LawfulBasis,
      status: end.event,
      method: p.method as ConsentMethod,
      sourceKind: p.source_kind as SourceKind,
      occurredAt: end.occurredAt,
      ...(end.event === 'expired' ? {} : { withdrawnAt: end.occurredAt }),
      details: end.details,
    },
    now,
  );
}

/** Contacts per permission lookup. */
const LOOKUP_CHUNK = 5000;

/**
 * Records many changes, in order, with the same result as calling `changePermission` for each in turn: one
 * ledger event per change (appendEvents), and per (contact, purpose) one permission row pointing at its last
 * event, inserted or updated with the fields of every change laid over each other. Existing permissions are read
 * in one query per 5,000 contacts; new ones go in with multi-row INSERTs, existing ones are updated one by one.
 * Run it in the caller's transaction; the contacts must exist.
 * @param changes `[{ contactId, purposeId, event, basis, status, method, sourceKind, occurredAt, details, … }, …]`
 * @returns the ledger event ids, one per change in the same order
 * @throws the database error of a failed insert (e.g. a concurrent writer on the same subject's chain)
 */
export async function changePermissions(db: Kysely<DB>, changes: readonly PermissionChange[], now: Date): Promise<string[]> {
  if (changes.length === 0) return [];
  const ids = (await appendEvents(db, changes.map(eventOf), now)).map((e) => e.id);
  const key = (contactId: string, purposeId: string) => `${contactId}\u0000${purposeId}`;
  const existing = new Map<string, string>();
  const contacts = [...new Set(changes.map((c) => c.contactId))];
  const purposes = [...new Set(changes.map((c) => c.purposeId))];
  for (let i = 0; i < contacts.length; i += LOOKUP_CHUNK) {
    const rows = await db.selectFrom('permissions').select(['id', 'contact_id', 'purpose_id'])
      .where('contact_id', 'in', contacts.slice(i, i + LOOKUP_CHUNK)).where('purpose_id', 'in', purposes).execute();
    for (const r of rows) existing.set(key(r.contact_id, r.purpose_id), r.id);
  }
  const inserts = new Map<string, Insertable<PermissionsTable>>();
  const updates = new Map<string, Updateable<PermissionsTable>>();
  changes.forEach((c, i) => {
    const k = key(c.contactId, c.purposeId);
    const fields = permissionFields(c, ids[i]!, now);
    if (existing.has(k)) updates.set(k, { ...updates.get(k), ...fields });
    else inserts.set(k, { ...(inserts.get(k) ?? newPermission(c, now)), ...fields });
  });
  for (const [k, patch] of updates) await updatePermission(db, existing.get(k)!, patch);
  const rows = [...inserts.values()].map(fullRow);
  const chunk = rowsPerInsert(rows.length > 0 ? Object.keys(rows[0]!).length : 1);
  for (let i = 0; i < rows.length; i += chunk) await db.insertInto('permissions').values(rows.slice(i, i + chunk)).execute();
  return ids;
}

/** Every column in one order, so that a multi-row INSERT gets the same column list for each row. */
const fullRow = (r: Insertable<PermissionsTable>): Insertable<PermissionsTable> => ({
  id: r.id, contact_id: r.contact_id, purpose_id: r.purpose_id, basis: r.basis, status: r.status, method: r.method,
  source_kind: r.source_kind, given_at: r.given_at ?? null, confirmed_at: r.confirmed_at ?? null, withdrawn_at: r.withdrawn_at ?? null,
  third_party_evidence: r.third_party_evidence ?? 0, evidence_event_id: r.evidence_event_id, import_id: r.import_id ?? null,
  notice_version: r.notice_version ?? null, created_at: r.created_at, updated_at: r.updated_at,
});
