/**
 * The product's vocabularies, each one `as const` list from which both the type and its runtime guard are
 * derived. Names follow the field's terms and, where they fit, ISO/IEC TS 27560 and W3C DPV.
 */

/** Builds a type guard for one vocabulary. */
function guard<T extends string>(values: readonly T[]): (x: unknown) => x is T {
  const set = new Set<string>(values);
  return (x: unknown): x is T => typeof x === 'string' && set.has(x);
}

/** Lawful bases of GDPR art. 6(1)(a)–(f), as DPV/TS 27560 codes. */
export const LAWFUL_BASES = ['A6-1-a', 'A6-1-b', 'A6-1-c', 'A6-1-d', 'A6-1-e', 'A6-1-f'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];
export const isLawfulBasis = guard(LAWFUL_BASES);

/**
 * Message categories (DESIGN.md). Each purpose and campaign has one; the send gate decides per category.
 * - service: transactional/service message (order, renewal, the requested e-book) — GDPR 6(1)(b)
 * - customer_marketing: own similar products to customers — Tw 11.7(3)
 * - purpose_marketing: newsletter and other mail on consent — GDPR 6(1)(a), Tw 11.7(1)
 * - third_party_promotion: offers on behalf of another party
 * - internal: staff communication
 * - one_to_one: a personal, non-automated message by a person
 * - repermission: a request to confirm earlier consent
 */
export const MESSAGE_CATEGORIES = [
  'service',
  'customer_marketing',
  'purpose_marketing',
  'third_party_promotion',
  'internal',
  'one_to_one',
  'repermission',
] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];
export const isMessageCategory = guard(MESSAGE_CATEGORIES);

/** Status of one permission (contact × purpose). */
export const PERMISSION_STATUSES = ['pending', 'active', 'withdrawn', 'expired', 'objected'] as const;
export type PermissionStatus = (typeof PERMISSION_STATUSES)[number];
export const isPermissionStatus = guard(PERMISSION_STATUSES);

/**
 * How a permission was obtained (its evidence kind).
 * - double_opt_in: box ticked on a form, then the confirmation link pressed
 * - single_opt_in: box ticked on a form whose operator switched double opt-in off on purpose (unverified)
 * - import: carried over from another system with that system's evidence
 * - pre_ticked: the box was ticked by default — never valid consent (Recital 32)
 * - third_party: received from another party
 * - not_provable: no time or source of consent is known
 * - contract / legitimate_interest / staff: non-consent bases recorded as such
 */
export const CONSENT_METHODS = [
  'double_opt_in',
  'single_opt_in',
  'import',
  'pre_ticked',
  'third_party',
  'not_provable',
  'contract',
  'legitimate_interest',
  'staff',
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const isConsentMethod = guard(CONSENT_METHODS);

/** Where an address came from (issue 3/4 provenance). */
export const SOURCE_KINDS = [
  'form',
  'import',
  'customer_records',
  'third_party',
  'public_profile',
  'trade_fair',
  'personal_contact',
  'api',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const isSourceKind = guard(SOURCE_KINDS);

/** Kind of data subject behind an address. A sole trader's address is personal data (D5). */
export const CONTACT_KINDS = ['person', 'organisation', 'sole_trader', 'unknown'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const isContactKind = guard(CONTACT_KINDS);

/** Consent ledger event types (DESIGN.md). */
export const LEDGER_EVENT_TYPES = [
  'requested',
  'given',
  'confirmed',
  'withdrawn',
  'objected',
  'imported',
  'refreshed',
  'expired',
  'erased',
  'suppressed',
] as const;
export type LedgerEventType = (typeof LEDGER_EVENT_TYPES)[number];
export const isLedgerEventType = guard(LEDGER_EVENT_TYPES);

/** Why an address is on the suppression list. */
export const SUPPRESSION_REASONS = [
  'unsubscribed',
  'hard_bounce',
  'soft_bounce_limit',
  'complaint',
  'objection',
  'erased',
  'imported_unsubscribed',
  'imported_cleaned',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export const isSuppressionReason = guard(SUPPRESSION_REASONS);

/**
 * What came back about a delivery (issue 12): a hard bounce (the address does not exist or never accepts),
 * a soft bounce (not delivered this time; counts towards the soft-bounce limit), a complaint (the person
 * reported the message as spam, RFC 5965 Feedback-Type: abuse).
 */
export const DELIVERY_EVENT_KINDS = ['hard_bounce', 'soft_bounce', 'complaint'] as const;
export type DeliveryEventKind = (typeof DELIVERY_EVENT_KINDS)[number];
export const isDeliveryEventKind = guard(DELIVERY_EVENT_KINDS);

/** States of a delivery row (the queue). */
export const DELIVERY_STATES = ['queued', 'claimed', 'sent', 'failed', 'blocked', 'bounced', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const isDeliveryState = guard(DELIVERY_STATES);

/**
 * States of a campaign: being written; scheduled to start at a time; sending (workers claim its deliveries); paused by an operator or by a
 * relay failure (nothing is claimed until resumed); cancelled (its queued deliveries will not be sent); sent.
 */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'cancelled', 'sent'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const isCampaignStatus = guard(CAMPAIGN_STATUSES);

/** Languages the product speaks. */
export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const isLanguage = guard(LANGUAGES);
