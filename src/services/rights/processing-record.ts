/**
 * Accountability documents (GDPR 5(2)): the record of processing activities (GDPR 30(1)) generated from the
 * purposes, the current notice's bases, recipients and retention texts, and the retention rules; and the proof
 * of consent for one contact for the supervisory authority (GDPR 7(1); SCENARIOS A9), built on the evidence
 * service and stating whether the ledger's hash chains verify. HTML for both is in web/views/manage-documents.ts.
 */
import { noticeContentSchema, type NoticeContent } from '../../core/notice.js';
import { processingRecord, toCsv, type ProcessingRecordRow, type RecordProcessorInput, type RecordPurposeInput } from '../../core/processing-record.js';
import type { Language, LawfulBasis, MessageCategory } from '../../core/vocab.js';
import { verifyLedger } from '../../store/ledger.js';
import { currentNotice } from '../../store/notices.js';
import { listPurposes } from '../../store/purposes.js';
import { getOrganisation } from '../../store/settings.js';
import type { Data } from '../deps.js';
import { DomainError } from '../errors.js';
import { contactEvidence, type Evidence } from './evidence.js';
import { retentionRules } from './retention.js';

const defaultBasis = (c: MessageCategory): LawfulBasis =>
  c === 'service' ? 'A6-1-b' : c === 'internal' ? 'A6-1-b' : c === 'one_to_one' || c === 'customer_marketing' ? 'A6-1-f' : 'A6-1-a';

/**
 * The record of processing activities, one row per purpose (GDPR 30(1)(a)–(g)).
 * @param lang 'en' (default) or 'nl'
 * @throws DomainError unavailable when the organisation is not set up
 */
export async function buildProcessingRecord(deps: Data, lang: Language = 'en'): Promise<ProcessingRecordRow[]> {
  const org = await getOrganisation(deps.db);
  if (!org) throw new DomainError('unavailable', 'the organisation is not set up yet (consentry init)', undefined, 'no-identity');
  const row = await currentNotice(deps.db);
  const notice: NoticeContent | null = row ? noticeContentSchema.parse(JSON.parse(row.content)) : null;
  const purposes: RecordPurposeInput[] = (await listPurposes(deps.db)).map((p) => {
    const n = notice?.purposes.find((x) => x.id === p.id);
    return {
      id: p.id,
      name_nl: p.name_nl,
      name_en: p.name_en,
      category: p.category as MessageCategory,
      basis: n?.basis ?? defaultBasis(p.category as MessageCategory),
      ...(n ? { retention_nl: n.retention.nl, retention_en: n.retention.en } : {}),
    };
  });
  const recipients = notice?.recipients && notice.recipients !== 'none' ? notice.recipients : [];
  const transfers = notice?.transfers && notice.transfers !== 'none' ? notice.transfers : [];
  const processors: RecordProcessorInput[] = recipients.map((r) => ({
    name: r.name,
    service_nl: r.task.nl,
    service_en: r.task.en,
    ...(r.country ? { country: r.country } : {}),
    ...(transfers.find((t) => t.recipient === r.name) ? { safeguard: transfers.find((t) => t.recipient === r.name)!.safeguard } : {}),
  }));
  return processingRecord(org, purposes, processors, await retentionRules(deps), { lang });
}

/** The record as RFC 4180 CSV (GDPR 30(4): available to the AP on request). */
export async function processingRecordCsv(deps: Data, lang: Language = 'en'): Promise<string> {
  return toCsv(await buildProcessingRecord(deps, lang), lang);
}

/** Proof of consent for one contact, as JSON for the supervisory authority (GDPR 7(1), 5(2)). */
export interface ConsentProof {
  generatedAt: string;
  /** Plain statement of what the document shows and whether the chains verify. */
  statement: string;
  contact: { id: string; email: string; kind: string; sourceKind: string; sourceRef: string | null; createdAt: string; suppression: string | null };
  permissions: Array<{
    purposeId: string;
    basis: string;
    status: string;
    method: string;
    sourceKind: string;
    givenAt: string | null;
    confirmedAt: string | null;
    withdrawnAt: string | null;
    noticeVersion: number | null;
    evidenceEventId: string;
    history: Evidence['generalEvents'];
  }>;
  generalEvents: Evidence['generalEvents'];
  deliveries: Array<{ campaignId: string; state: string; basis: string | null; reasons: string[]; sentAt: string | null; messageId: string }>;
  ledger: { subjectChainIntact: boolean; ledgerOk: boolean; events: number; checkpoints: number; problems: number };
}

/**
 * Builds the proof of consent for a contact given by id or address (GDPR 7(1), 5(2); A9): every permission
 * with its basis, method, notice version and full hash-chained history, deliveries with the basis used, and
 * whether this subject's chain and the whole ledger (checkpoints included) verify.
 * @throws DomainError not_found for an unknown contact
 * @example const proof = await proofOfConsent(deps, 'anna@example.nl', now)
 */
export async function proofOfConsent(deps: Data, idOrEmail: string, now: Date): Promise<ConsentProof> {
  const ev = await contactEvidence(deps, idOrEmail);
  const ledger = await verifyLedger(deps.db, deps.dialect);
  const ok = ev.chainIntact && ledger.ok;
  return {
    generatedAt: now.toISOString(),
    statement: ok
      ? `Every event below is part of this person's hash chain, which verifies, and the consent ledger as a whole (${ledger.events} events, ${ledger.checkpoints} checkpoints) verifies: no event was altered, removed or reordered.`
      : `WARNING: the consent ledger does not verify (${ledger.problems.length} problem(s)); this evidence may have been altered.`,
    contact: {
      id: ev.contact.id,
      email: ev.contact.email,
      kind: ev.contact.kind,
      sourceKind: ev.contact.source_kind,
      sourceRef: ev.contact.source_ref,
      createdAt: ev.contact.created_at,
      suppression: ev.contact.suppression,
    },
    permissions: ev.permissions.map((p) => ({
      purposeId: p.purpose_id,
      basis: p.basis,
      status: p.status,
      method: p.method,
      sourceKind: p.source_kind,
      givenAt: p.given_at,
      confirmedAt: p.confirmed_at,
      withdrawnAt: p.withdrawn_at,
      noticeVersion: p.notice_version,
      evidenceEventId: p.evidence_event_id,
      history: p.history,
    })),
    generalEvents: ev.generalEvents,
    deliveries: ev.deliveries.map((d) => ({
      campaignId: d.campaign_id,
      state: d.state,
      basis: d.basis,
      reasons: JSON.parse(d.reasons) as string[],
      sentAt: d.sent_at,
      messageId: d.message_id,
    })),
    ledger: { subjectChainIntact: ev.chainIntact, ledgerOk: ledger.ok, events: ledger.events, checkpoints: ledger.checkpoints, problems: ledger.problems.length },
  };
}
