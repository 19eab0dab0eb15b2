/**
 * The facts the send gate decides on: everything about one message and one contact, already loaded.
 * `decide(facts, now)` is pure, so every field it reads is here; the store builds these from its rows
 * (services/consent/facts.ts) and `consentry decide` / `POST /api/v1/decisions` take them as JSON (schema in
 * core/policy/facts-schema.ts, with defaults). Times are ISO-8601 strings.
 */
import type {
  ConsentMethod,
  ContactKind,
  LawfulBasis,
  MessageCategory,
  PermissionStatus,
  SourceKind,
  SuppressionReason,
} from '../vocab.js';

/** The message to be sent (a campaign, a confirmation mail, a personal message). */
export interface MessageFacts {
  category: MessageCategory;
  /** The purpose the message serves; the unit of consent. */
  purposeId: string;
  /** Product category the message promotes (customer marketing: must match a purchased one). */
  productCategory?: string | null;
  /** True when the promoted products are sold by another legal entity (a sister company, a partner). */
  otherLegalEntity?: boolean;
  /** Re-permission campaigns: after this time non-responders are no longer eligible. */
  repermissionDeadline?: string | null;
  /**
   * Written by a person for this one recipient, not generated from a template or an automation. Only a
   * personal message may use the one-to-one category without consent (GDPR 6(1)(f); B4, D6). Default false.
   */
  personal?: boolean;
  /** Number of recipients of this message (a campaign's audience size). One-to-one needs exactly 1. Default 1. */
  recipients?: number;
}

/** The standing of the contact for the message's purpose, if any. */
export interface PermissionFacts {
  basis: LawfulBasis;
  status: PermissionStatus;
  method: ConsentMethod;
  sourceKind: SourceKind;
  /** When consent was given (the form submit or the imported OPTIN_TIME); null when unknown. */
  givenAt: string | null;
  /** When double opt-in was confirmed; null when not (yet). */
  confirmedAt: string | null;
  /** Third-party source: evidence names this organisation as recipient and this purpose (B2). */
  thirdPartyEvidence?: boolean;
}

/** One purchase, as far as the customer exception needs it (Tw 11.7(3)). */
export interface PurchaseFacts {
  productCategory: string;
  purchasedAt: string;
  /** How an opt-out was offered when the address was collected at that sale. */
  optOutOffered: 'clear' | 'terms_only' | 'none';
}

export interface ContactFacts {
  kind: ContactKind;
  /** info@, sales@ … (role-based local part). */
  roleAddress: boolean;
  /** The organisation designated and published this address for receiving offers (with evidence). */
  designatedForOffers: boolean;
  /** The contact is an employee and this is their work address. */
  employeeWorkAddress: boolean;
  /** The contact is an employee (at any address). */
  employee: boolean;
  /** Quoted local part or other form unfit for bulk mail. */
  marketable: boolean;
  purchases: PurchaseFacts[];
  /** The customer opted out of customer mail (GDPR 21(3)); ends the customer exception. */
  customerOptedOut: boolean;
  /** Earlier consent for this purpose that is documented (F1), used by re-permission requests. */
  earlierConsentDocumented: boolean;
  /** Where the address came from (contact-level provenance, B1–B6); null or absent when unknown. */
  source?: SourceKind | null;
  /** A prospect in a sales pipeline who never opted in (B5). Default false. */
  lead?: boolean;
  /** Re-permission requests already sent for this purpose by earlier campaigns (not this one). Default 0. */
  repermissionRequestsSent?: number;
}

export interface SettingsFacts {
  /** Months after the last purchase during which the customer exception holds (C7). */
  customerExceptionMonths: number;
}

export interface Facts {
  message: MessageFacts;
  contact: ContactFacts;
  /** The permission for `message.purposeId`, or null when none exists. */
  permission: PermissionFacts | null;
  /** Present when the address is on the suppression list. */
  suppression: SuppressionReason | null;
  settings: SettingsFacts;
}

/** Settings used when an organisation has not changed them. */
export const DEFAULT_SETTINGS: SettingsFacts = { customerExceptionMonths: 24 };

/** Contact facts of a plain natural person with no relationship: a starting point for building facts. */
export const PLAIN_CONTACT: ContactFacts = {
  kind: 'person',
  roleAddress: false,
  designatedForOffers: false,
  employeeWorkAddress: false,
  employee: false,
  marketable: true,
  purchases: [],
  customerOptedOut: false,
  earlierConsentDocumented: false,
  source: null,
  lead: false,
  repermissionRequestsSent: 0,
};
