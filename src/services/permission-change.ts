/**
 * The one way a permission changes: the ledger event that proves the change is appended and the permission row
 * updated to point at it, in the caller's transaction. Every use case (form, confirmation, unsubscribe, import,
 * rights requests) goes through here, so no permission exists without its evidence.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConsentMethod, LawfulBasis, LedgerEventType, PermissionStatus, SourceKind } from '../core/vocab.js';
import { appendEvent } from '../store/ledger.js';
import { insertPermission, permissionFor, updatePermission } from '../store/permissions.js';
import type { DB } from '../store/schema.js';

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

/**
 * Records one change.
 * @param now the recording time (differs from occurredAt for imported evidence)
 * @returns the ledger event's id
 */
export async function changePermission(db: Kysely<DB>, c: PermissionChange, now: Date): Promise<string> {
  const { id: eventId } = await appendEvent(
    db,
    {
      subjectId: c.contactId,
      type: c.event,
      purposeId: c.purposeId,
      basis: c.basis,
      occurredAt: c.occurredAt,
      details: { method: c.method, source: c.sourceKind, status: c.status, ...c.details },
      personal: c.personal ?? null,
    },
    now,
  );
  const existing = await permissionFor(db, c.contactId, c.purposeId);
  const fields = {
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
  if (existing) {
    await updatePermission(db, existing.id, fields);
  } else {
    await insertPermission(db, {
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
      ...fields,
    });
  }
  return eventId;
}
