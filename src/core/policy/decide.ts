/**
 * The send gate: `decide(facts, now)` says whether one message may go to one contact, on which lawful basis,
 * and why, with the legal source of every reason. Pure: no I/O, the time is an argument. One function serves
 * the campaign preview, the claim-time check before each send and the decisions API.
 */
import type { LawfulBasis } from '../vocab.js';
import type { Facts, PermissionFacts } from './facts.js';
import { REASONS, type ReasonCode } from './reasons.js';

/** One reason of a decision with the legal sources it rests on. */
export interface Reason {
  code: ReasonCode;
  sources: readonly string[];
}

/** The gate's answer. `reasons` is never empty; on a block, every reason found is listed, strongest first. */
export type Decision =
  | { allowed: true; basis: LawfulBasis; reasons: Reason[] }
  | { allowed: false; basis: null; reasons: Reason[] };

const reason = (code: ReasonCode): Reason => ({ code, sources: REASONS[code].sources });
const allow = (basis: LawfulBasis, code: ReasonCode): Decision => ({ allowed: true, basis, reasons: [reason(code)] });
const block = (...codes: ReasonCode[]): Decision => ({ allowed: false, basis: null, reasons: codes.map(reason) });

/**
 * Decides one message for one contact.
 * @param facts everything known about the message, the contact and its permission for the message's purpose
 * @param now the moment of sending (preview: the moment of previewing)
 * @returns allowed with the basis used, or blocked; both with reason codes and sources
 * @example decide({ message: { category: 'purpose_marketing', purposeId: 'tips' }, permission: null, … }, new Date())
 *   // → { allowed: false, basis: null, reasons: [{ code: 'NO_PERMISSION_FOR_PURPOSE', sources: […] }] }
 */
export function decide(facts: Facts, _now: Date): Decision {
  // A suppressed address is never mailed with marketing; only a service message the person asked for may go.
  if (facts.message.category !== 'service' && facts.suppression) return block('SUPPRESSED');
  if (facts.message.category !== 'service' && !facts.contact.marketable) return block('ADDRESS_NOT_MARKETABLE');
  switch (facts.message.category) {
    case 'service':
      return allow('A6-1-b', 'SERVICE_MESSAGE');
    case 'purpose_marketing':
      return consentGate(facts.permission);
    default:
      // Until the full rule set lands, every other commercial category needs consent too.
      return consentGate(facts.permission);
  }
}

/**
 * Purpose marketing: an active consent permission for exactly this purpose, confirmed where double opt-in
 * applies (GDPR 6(1)(a), 7(1); Tw 11.7(1)).
 */
function consentGate(p: PermissionFacts | null): Decision {
  if (!p) return block('NO_PERMISSION_FOR_PURPOSE');
  switch (p.status) {
    case 'withdrawn':
      return block('CONSENT_WITHDRAWN');
    case 'objected':
      return block('OBJECTED');
    case 'expired':
      return block('CONSENT_EXPIRED');
    case 'pending':
      return block('CONSENT_PENDING');
    case 'active':
      break;
  }
  if (p.basis !== 'A6-1-a') return block('NO_PERMISSION_FOR_PURPOSE');
  switch (p.method) {
    case 'pre_ticked':
      return block('CONSENT_INVALID_PRE_TICKED');
    case 'not_provable':
      return block('BASIS_NOT_PROVABLE');
    case 'double_opt_in':
      return p.confirmedAt ? allow('A6-1-a', 'CONSENT_CONFIRMED') : block('CONSENT_PENDING');
    case 'single_opt_in':
      return allow('A6-1-a', 'CONSENT_SINGLE_OPT_IN');
    case 'import':
      return p.givenAt ? allow('A6-1-a', 'CONSENT_IMPORTED') : block('BASIS_NOT_PROVABLE');
    case 'third_party':
      return p.thirdPartyEvidence ? allow('A6-1-a', 'CONSENT_THIRD_PARTY_DOCUMENTED') : block('THIRD_PARTY_NO_EVIDENCE');
    default:
      return block('BASIS_NOT_PROVABLE');
  }
}
