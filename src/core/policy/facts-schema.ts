/**
 * JSON schema (zod) of the send gate's input and output, as `consentry decide` and `POST /api/v1/decisions`
 * take and give them. Defaults make a minimal input work: only `facts.message` is required; the contact
 * defaults to `PLAIN_CONTACT`, the permission and suppression to null, the settings to `DEFAULT_SETTINGS`.
 */
import { z } from 'zod';
import {
  CONSENT_METHODS,
  CONTACT_KINDS,
  LAWFUL_BASES,
  MESSAGE_CATEGORIES,
  PERMISSION_STATUSES,
  SOURCE_KINDS,
  SUPPRESSION_REASONS,
} from '../vocab.js';
import type { Decision } from './decide.js';
import { explainReason } from './explain.js';
import { DEFAULT_SETTINGS, PLAIN_CONTACT, type Facts } from './facts.js';
import { REASON_CODES } from './reasons.js';

const isoTime = z.iso.datetime({ offset: true });

export const messageFactsSchema = z.strictObject({
  category: z.enum(MESSAGE_CATEGORIES),
  purposeId: z.string().min(1),
  productCategory: z.string().min(1).nullable().optional(),
  otherLegalEntity: z.boolean().optional(),
  repermissionDeadline: isoTime.nullable().optional(),
  personal: z.boolean().optional(),
  recipients: z.int().min(0).optional(),
});

export const permissionFactsSchema = z.strictObject({
  basis: z.enum(LAWFUL_BASES),
  status: z.enum(PERMISSION_STATUSES),
  method: z.enum(CONSENT_METHODS),
  sourceKind: z.enum(SOURCE_KINDS),
  givenAt: isoTime.nullable().default(null),
  confirmedAt: isoTime.nullable().default(null),
  thirdPartyEvidence: z.boolean().optional(),
});

export const purchaseFactsSchema = z.strictObject({
  productCategory: z.string().min(1),
  purchasedAt: isoTime,
  optOutOffered: z.enum(['clear', 'terms_only', 'none']),
});

const c = PLAIN_CONTACT;
export const contactFactsSchema = z
  .strictObject({
    kind: z.enum(CONTACT_KINDS).default(c.kind),
    roleAddress: z.boolean().default(c.roleAddress),
    designatedForOffers: z.boolean().default(c.designatedForOffers),
    employeeWorkAddress: z.boolean().default(c.employeeWorkAddress),
    employee: z.boolean().default(c.employee),
    marketable: z.boolean().default(c.marketable),
    purchases: z.array(purchaseFactsSchema).default([]),
    customerOptedOut: z.boolean().default(c.customerOptedOut),
    earlierConsentDocumented: z.boolean().default(c.earlierConsentDocumented),
    source: z.enum(SOURCE_KINDS).nullable().default(null),
    lead: z.boolean().default(false),
    repermissionRequestsSent: z.int().min(0).default(0),
  })
  .prefault({});

export const settingsFactsSchema = z
  .strictObject({
    customerExceptionMonths: z.int().min(0).max(600).default(DEFAULT_SETTINGS.customerExceptionMonths),
  })
  .prefault({});

export const factsSchema = z.strictObject({
  message: messageFactsSchema,
  contact: contactFactsSchema,
  permission: permissionFactsSchema.nullable().default(null),
  suppression: z.enum(SUPPRESSION_REASONS).nullable().default(null),
  settings: settingsFactsSchema,
});

/** Input of `consentry decide` and `POST /api/v1/decisions`: `{ facts, now? }` (now defaults to the clock). */
export const decisionInputSchema = z.strictObject({
  facts: factsSchema,
  now: isoTime.optional(),
});

export const reasonOutputSchema = z.object({
  code: z.enum(REASON_CODES as [string, ...string[]]),
  sources: z.array(z.string()),
  detail: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** Explanations of this reason (explainReason), when the caller asked for them. */
  nl: z.string().optional(),
  en: z.string().optional(),
});

/** Output: the `Decision` of `decide`, optionally with explanations per reason. */
export const decisionOutputSchema = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true), basis: z.enum(LAWFUL_BASES), reasons: z.array(reasonOutputSchema).min(1) }),
  z.object({ allowed: z.literal(false), basis: z.null(), reasons: z.array(reasonOutputSchema).min(1) }),
]);
export type DecisionOutput = z.infer<typeof decisionOutputSchema>;

/** A parsed decision input: the facts, and the time when one was given. */
export interface DecisionInput {
  facts: Facts;
  now: Date | null;
}

/**
 * Parses the JSON input of `consentry decide` / `POST /api/v1/decisions`.
 * @param json the parsed JSON body, e.g. `{ "facts": { "message": { "category": "service", "purposeId": "ebook" } } }`
 * @returns `{ facts, now }` with every default filled in (`now` null when absent: the caller uses its clock)
 * @throws Error naming the first invalid field path, e.g. `invalid decision input at facts.message.category: …`
 */
export function parseDecisionInput(json: unknown): DecisionInput {
  const result = decisionInputSchema.safeParse(json);
  if (!result.success) {
    const path = (p: readonly PropertyKey[]): string =>
      p.length === 0 ? '(root)' : p.map((k, n) => (typeof k === 'number' ? `[${k}]` : `${n ? '.' : ''}${String(k)}`)).join('');
    const issues = result.error.issues.map((i) => `${path(i.path)}: ${i.message}`);
    throw new Error(`invalid decision input at ${issues.join('; ')}`);
  }
  const { facts, now } = result.data;
  return { facts, now: now ? new Date(now) : null };
}

/**
 * The JSON output for a decision: the `Decision` with each reason explained in Dutch and English.
 * @example toDecisionOutput(decide(facts, now)) // → { allowed: false, basis: null, reasons: [{ code, sources, nl, en }] }
 */
export function toDecisionOutput(d: Decision): DecisionOutput {
  const reasons = d.reasons.map((r) => ({
    code: r.code,
    sources: [...r.sources],
    ...(r.detail ? { detail: { ...r.detail } } : {}),
    nl: explainReason(r.code, 'nl', r.detail),
    en: explainReason(r.code, 'en', r.detail),
  }));
  return d.allowed ? { allowed: true, basis: d.basis, reasons } : { allowed: false, basis: null, reasons };
}
