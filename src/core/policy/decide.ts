/**
 * The send gate: `decide(facts, now)` says whether one message may go to one contact, on which lawful basis,
 * and why, with the legal source of every reason. Pure: no I/O, the time is an argument. One function serves
 * the campaign preview, the claim-time check before each send and the decisions API.
 *
 * Precedence (docs/compliance.md):
 *  1. A service message the person needs (order, renewal, the requested e-book) always goes (GDPR 6(1)(b)).
 *  2. For every other category, suppression, an objection or a withdrawal for this purpose, and an address
 *     unfit for bulk mail block first ("unsubscribed = unsubscribed").
 *  3. A valid consent for the message's purpose allows every category of that purpose (GDPR 6(1)(a)).
 *  4. Otherwise each category's own exception: customer exception (Tw 11.7(3)), staff work address, designated
 *     business address (Tw 11.7(1)(b)), a personal one-to-one message (GDPR 6(1)(f)), re-permission (F1).
 *  5. A block lists every reason found, strongest first (`BLOCK_RANK`).
 */
import type { LawfulBasis } from '../vocab.js';
import type { Facts, PermissionFacts } from './facts.js';
import { REASONS, type ReasonCode } from './reasons.js';

/** Parameters of a reason, e.g. `{ months: 24, lastPurchaseAt: '2022-01-05' }` for a lapsed customer exception. */
export type ReasonDetail = Readonly<Record<string, string | number>>;

/** One reason of a decision with the legal sources it rests on and, where useful, its parameters. */
export interface Reason {
  code: ReasonCode;
  sources: readonly string[];
  detail?: ReasonDetail;
}

/** The gate's answer. `reasons` is never empty; on a block, every reason found is listed, strongest first. */
export type Decision =
  | { allowed: true; basis: LawfulBasis; reasons: Reason[] }
  | { allowed: false; basis: null; reasons: Reason[] };

/** Blocking codes from strongest (final, person's own choice) to weakest (missing step, generic rule). */
export const BLOCK_RANK: readonly ReasonCode[] = [
  'SUPPRESSED',
  'OBJECTED',
  'CONSENT_WITHDRAWN',
  'CUSTOMER_OPTED_OUT',
  'ADDRESS_NOT_MARKETABLE',
  'REPERMISSION_DEADLINE_PASSED',
  'REPERMISSION_NO_EARLIER_CONSENT',
  'REPERMISSION_ALREADY_SENT',
  'CONSENT_INVALID_PRE_TICKED',
  'THIRD_PARTY_NO_EVIDENCE',
  'BASIS_NOT_PROVABLE',
  'PUBLIC_PROFILE_SOURCE',
  'TRADE_FAIR_NO_CONSENT',
  'LEAD_NO_CONSENT',
  'ONE_TO_ONE_ONLY',
  'THIRD_PARTY_PROMOTION_NO_CONSENT',
  'STAFF_PRIVATE_ADDRESS',
  'NOT_AN_EMPLOYEE',
  'NOT_A_CUSTOMER',
  'NO_SERVICE_RELATIONSHIP',
  'CUSTOMER_PRODUCT_NOT_SIMILAR',
  'CUSTOMER_OPT_OUT_NOT_OFFERED',
  'CUSTOMER_EXCEPTION_LAPSED',
  'SOLE_TRADER_IS_PERSON',
  'ROLE_ADDRESS_NOT_DESIGNATED',
  'CONSENT_EXPIRED',
  'CONSENT_PENDING',
  'NO_PERMISSION_FOR_PURPOSE',
  'NO_CONSENT_COMMERCIAL',
];

const reason = (code: ReasonCode, detail?: ReasonDetail): Reason =>
  detail ? { code, sources: REASONS[code].sources, detail } : { code, sources: REASONS[code].sources };
const allow = (basis: LawfulBasis, r: Reason): Decision => ({ allowed: true, basis, reasons: [r] });

/** Blocks with every reason given, deduplicated by code and sorted by `BLOCK_RANK`. */
function block(reasons: readonly Reason[]): Decision {
  const seen = new Set<ReasonCode>();
  const unique = reasons.filter((r) => !seen.has(r.code) && seen.add(r.code));
  const rank = (c: ReasonCode): number => {
    const i = BLOCK_RANK.indexOf(c);
    return i < 0 ? BLOCK_RANK.length : i;
  };
  unique.sort((a, b) => rank(a.code) - rank(b.code));
  if (unique.length === 0) unique.push(reason('NO_PERMISSION_FOR_PURPOSE'));
  return { allowed: false, basis: null, reasons: unique };
}

/** Result of checking consent alone: the allowing reason, or the reasons it does not count. */
type ConsentCheck = { ok: true; reason: Reason } | { ok: false; reasons: Reason[] };

/**
 * Whether the permission is valid consent for this purpose (GDPR 6(1)(a), 7(1); Tw 11.7(1)): active, on the
 * consent basis, by a valid method with its evidence (confirmed double opt-in, deliberate single opt-in,
 * imported with its original time, third party with evidence naming this organisation and purpose).
 * A scraped or trade-fair source only counts when the person opted in themselves (B3, B4).
 */
export function checkConsent(p: PermissionFacts | null): ConsentCheck {
  const no = (...codes: ReasonCode[]): ConsentCheck => ({ ok: false, reasons: codes.map((c) => reason(c)) });
  if (!p) return no('NO_PERMISSION_FOR_PURPOSE');
  switch (p.status) {
    case 'withdrawn':
      return no('CONSENT_WITHDRAWN');
    case 'objected':
      return no('OBJECTED');
    case 'expired':
      return no('CONSENT_EXPIRED');
    case 'pending':
      return no('CONSENT_PENDING');
    case 'active':
      break;
  }
  if (p.basis !== 'A6-1-a') return no('NO_PERMISSION_FOR_PURPOSE');
  const optIn = p.method === 'double_opt_in' || p.method === 'single_opt_in';
  if (!optIn && p.sourceKind === 'public_profile') return no('PUBLIC_PROFILE_SOURCE');
  if (!optIn && p.sourceKind === 'trade_fair') return no('TRADE_FAIR_NO_CONSENT');
  const yes = (code: ReasonCode): ConsentCheck => ({ ok: true, reason: reason(code) });
  switch (p.method) {
    case 'pre_ticked':
      return no('CONSENT_INVALID_PRE_TICKED');
    case 'double_opt_in':
      return p.confirmedAt ? yes('CONSENT_CONFIRMED') : no('CONSENT_PENDING');
    case 'single_opt_in':
      return yes('CONSENT_SINGLE_OPT_IN');
    case 'import':
      return p.givenAt ? yes('CONSENT_IMPORTED') : no('BASIS_NOT_PROVABLE');
    case 'third_party':
      return p.thirdPartyEvidence ? yes('CONSENT_THIRD_PARTY_DOCUMENTED') : no('THIRD_PARTY_NO_EVIDENCE');
    case 'not_provable':
    case 'contract':
    case 'legitimate_interest':
    case 'staff':
      return no('BASIS_NOT_PROVABLE');
  }
}

/**
 * Decides one message for one contact.
 * @param facts everything known about the message, the contact and its permission for the message's purpose
 * @param now the moment of sending (preview: the moment of previewing)
 * @returns allowed with the basis used (`A6-1-a` consent, `A6-1-b` contract, `A6-1-f` legitimate interest),
 *   or blocked; both with reason codes and their sources, never an empty list
 * @example decide({ message: { category: 'purpose_marketing', purposeId: 'tips' }, permission: null, … }, new Date())
 *   // → { allowed: false, basis: null, reasons: [{ code: 'NO_PERMISSION_FOR_PURPOSE', … }, …] }
 */
export function decide(facts: Facts, now: Date): Decision {
  const { message, contact, permission } = facts;
  // 1. Service messages rest on the contract or the request (GDPR 6(1)(b)); not commercial, no consent needed, and
  // an unsubscribe does not stop them (E7). But only for people who have that relationship: a "service" campaign
  // to the whole list would be marketing under another name.
  if (message.category === 'service') return serviceMessage(facts);

  // 2. Blocks that hold whatever the category (GDPR 7(3), 17(1)(b), 21(3)).
  const hard: Reason[] = [];
  if (facts.suppression) hard.push(reason('SUPPRESSED', { suppression: facts.suppression }));
  if (permission?.status === 'objected') hard.push(reason('OBJECTED'));
  if (permission?.status === 'withdrawn') hard.push(reason('CONSENT_WITHDRAWN'));
  if (!contact.marketable && message.category !== 'one_to_one') hard.push(reason('ADDRESS_NOT_MARKETABLE'));

  const result = byCategory(facts, now);
  if (hard.length > 0) return block(result.allowed ? hard : [...hard, ...result.reasons]);
  return result;
}

/** Steps 3–4: the category's own rule once no hard block applies. */
function byCategory(facts: Facts, now: Date): Decision {
  const { message, contact, permission } = facts;
  const consent = checkConsent(permission);
  // 3. Consent for exactly this purpose covers every category of it (C4: third-party promotion needs exactly that).
  if (consent.ok && message.category !== 'repermission') return allow('A6-1-a', consent.reason);
  const notConsent = consent.ok ? [] : consent.reasons;
  switch (message.category) {
    case 'purpose_marketing':
      if (designatedBusinessAddress(facts)) return allow('A6-1-f', reason('BUSINESS_ADDRESS_DESIGNATED'));
      return block([...notConsent, ...coldReasons(facts)]);
    case 'customer_marketing': {
      const customer = customerException(facts, now);
      if (customer.allowed) return customer;
      if (designatedBusinessAddress(facts)) return allow('A6-1-f', reason('BUSINESS_ADDRESS_DESIGNATED'));
      return block([...customer.reasons, ...notConsent, ...coldReasons(facts)]);
    }
    case 'third_party_promotion':
      return block([reason('THIRD_PARTY_PROMOTION_NO_CONSENT'), ...notConsent, ...coldReasons(facts)]);
    case 'internal':
      if (contact.employeeWorkAddress) return allow('A6-1-f', reason('STAFF_WORK_ADDRESS'));
      return block([reason(contact.employee ? 'STAFF_PRIVATE_ADDRESS' : 'NOT_AN_EMPLOYEE'), ...notConsent]);
    case 'one_to_one':
      // A personal message by a person to one recipient: legitimate interest (GDPR 6(1)(f)), with the
      // art. 14 notice pointer; never in bulk or automated (Tw 11.7(1)).
      if (isPersonal(facts)) return allow('A6-1-f', reason('ONE_TO_ONE_PERSONAL'));
      return block([reason('ONE_TO_ONE_ONLY', { recipients: message.recipients ?? 1 }), ...notConsent, ...coldReasons(facts)]);
    case 'repermission':
      return repermission(facts, consent.ok, now);
    case 'service':
      return serviceMessage(facts);
  }
}

/**
 * A service message (GDPR 6(1)(b)) goes to a contact with a relationship it serves: an active permission for
 * the message's purpose (a confirmed request for an item, a contract, consent for it) or purchases (a customer,
 * SCENARIOS C1, E7). Anyone else is blocked: without a contract or request there is no basis for the message.
 */
function serviceMessage(facts: Facts): Decision {
  const related = facts.permission?.status === 'active' || facts.contact.purchases.length > 0;
  return related ? allow('A6-1-b', reason('SERVICE_MESSAGE')) : block([reason('NO_SERVICE_RELATIONSHIP')]);
}

/** A one-to-one message counts as personal when written by a person for exactly one recipient (B4, D6). */
function isPersonal(facts: Facts): boolean {
  return facts.message.personal === true && (facts.message.recipients ?? 1) === 1;
}

/** An organisation's own address that it designated and published for offers (Tw 11.7(1)(b); D4, D5). */
function designatedBusinessAddress(facts: Facts): boolean {
  return facts.contact.kind === 'organisation' && facts.contact.designatedForOffers;
}

/**
 * Reasons that explain why a recipient without consent cannot get commercial mail: where the address came
 * from (B1, B3, B4, B5), what kind of address it is (D4, D5), and the general rule of Tw 11.7(1) for cold
 * recipients (no permission at all and no purchase).
 */
function coldReasons(facts: Facts): Reason[] {
  const { contact, permission } = facts;
  const out: Reason[] = [];
  if (contact.source === 'public_profile') out.push(reason('PUBLIC_PROFILE_SOURCE'));
  if (contact.source === 'trade_fair') out.push(reason('TRADE_FAIR_NO_CONSENT'));
  if (contact.source === 'third_party' && !permission) out.push(reason('THIRD_PARTY_NO_EVIDENCE'));
  if (contact.lead) out.push(reason('LEAD_NO_CONSENT'));
  if (contact.kind === 'sole_trader') out.push(reason('SOLE_TRADER_IS_PERSON'));
  if (contact.kind === 'organisation' && contact.roleAddress && !contact.designatedForOffers) {
    out.push(reason('ROLE_ADDRESS_NOT_DESIGNATED'));
  }
  if (!permission && contact.purchases.length === 0) out.push(reason('NO_CONSENT_COMMERCIAL'));
  return out;
}

const MS_PER_DAY = 86_400_000;

/** `iso` plus `months` calendar months, as a Date (UTC). */
function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * Customer exception (Tw 11.7(3); ePrivacy 13(2)): a customer of this legal entity, mail about own similar
 * products (the promoted category was bought), a clear opt-out offered when the address was collected at a
 * sale (not only in the terms, ACM), no opt-out since (GDPR 21(3)), and the last purchase no longer ago than
 * `settings.customerExceptionMonths`. Every failing condition is reported (C2–C7).
 */
function customerException(facts: Facts, now: Date): Decision {
  const { contact, message, settings } = facts;
  const purchases = contact.purchases;
  if (purchases.length === 0) return block([reason('NOT_A_CUSTOMER')]);
  const out: Reason[] = [];
  if (contact.customerOptedOut) out.push(reason('CUSTOMER_OPTED_OUT'));
  if (message.otherLegalEntity) out.push(reason('CUSTOMER_PRODUCT_NOT_SIMILAR', { otherLegalEntity: 'yes' }));
  const category = message.productCategory ?? null;
  if (category === null || !purchases.some((p) => p.productCategory === category)) {
    out.push(reason('CUSTOMER_PRODUCT_NOT_SIMILAR', { productCategory: category ?? '—' }));
  }
  if (!purchases.some((p) => p.optOutOffered === 'clear')) {
    const how = purchases.some((p) => p.optOutOffered === 'terms_only') ? 'terms_only' : 'none';
    out.push(reason('CUSTOMER_OPT_OUT_NOT_OFFERED', { optOutOffered: how }));
  }
  const months = settings.customerExceptionMonths;
  const times = purchases.map((p) => Date.parse(p.purchasedAt)).filter((t) => Number.isFinite(t));
  const last = times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
  const until = last ? addMonths(last, months) : null;
  const period = { months, lastPurchaseAt: last ? last.slice(0, 10) : '—' };
  if (!until || until.getTime() < now.getTime()) out.push(reason('CUSTOMER_EXCEPTION_LAPSED', period));
  if (out.length > 0 || !until) return block(out);
  const daysLeft = Math.floor((until.getTime() - now.getTime()) / MS_PER_DAY);
  return allow('A6-1-f', reason('CUSTOMER_EXCEPTION', { ...period, until: until.toISOString().slice(0, 10), daysLeft }));
}

/**
 * Re-permission request (F1/F2): asking for consent by e-mail is itself marketing (Tw 11.7(1)), so only to
 * contacts with documented earlier consent for this purpose (or valid consent now), once, and not after the
 * campaign's deadline. Basis: that earlier consent (GDPR 6(1)(a), 7(1)).
 */
function repermission(facts: Facts, consentValid: boolean, now: Date): Decision {
  const { contact, message, permission } = facts;
  const out: Reason[] = [];
  const deadline = message.repermissionDeadline ?? null;
  if (deadline !== null) {
    const t = Date.parse(deadline);
    if (!Number.isFinite(t) || t < now.getTime()) out.push(reason('REPERMISSION_DEADLINE_PASSED', { deadline }));
  }
  const earlier = consentValid || (contact.earlierConsentDocumented && permission?.method !== 'pre_ticked');
  if (!earlier) out.push(reason('REPERMISSION_NO_EARLIER_CONSENT'));
  const sent = contact.repermissionRequestsSent ?? 0;
  if (sent > 0) out.push(reason('REPERMISSION_ALREADY_SENT', { sent }));
  if (out.length > 0) return block(out);
  return allow('A6-1-a', reason('REPERMISSION_ALLOWED', deadline ? { deadline } : undefined));
}
