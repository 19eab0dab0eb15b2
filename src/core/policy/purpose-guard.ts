/**
 * Configuration-time guard for a purpose (the unit of consent) before it is created, changed or archived. Pure;
 * returns problems in the shape of guards.ts (field, code, source, nl/en message). The rules:
 * - each message category accepts only the lawful bases that can carry it: marketing on consent needs consent
 *   (GDPR 6(1)(a); Tw 11.7(1)), the customer exception rests on legitimate interest (Tw 11.7(3); GDPR 6(1)(f),
 *   Recital 47), service mail on the contract (GDPR 6(1)(b)), staff news and one-to-one mail on legitimate
 *   interest (GDPR 6(1)(f));
 * - once a permission exists for a purpose, its category and bases are fixed: consent was given for what the
 *   purpose was, and a changed purpose needs new consent (GDPR 5(1)(b), 6(4), 7(1); EDPB 05/2020 §§ 55–56);
 * - a consent purpose without double opt-in needs the operator's explicit choice (SCENARIOS A6; GDPR 5(2), 7(1));
 * - a purpose that a form still offers cannot be archived: the form would collect consent for it (A8, G1).
 */
import { LAWFUL_BASES, type LawfulBasis, type MessageCategory } from '../vocab.js';
import type { Problem } from './guards.js';

/** The categories a purpose may have; `repermission` is a kind of message, never a purpose of its own. */
export const PURPOSE_CATEGORIES = [
  'purpose_marketing',
  'customer_marketing',
  'service',
  'internal',
  'one_to_one',
  'third_party_promotion',
] as const satisfies readonly MessageCategory[];
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];
export const isPurposeCategory = (v: unknown): v is PurposeCategory => (PURPOSE_CATEGORIES as readonly unknown[]).includes(v);

/** The lawful bases each category can rest on (see the module comment for the sources). */
export const ACCEPTED_BASES: Readonly<Record<PurposeCategory, readonly LawfulBasis[]>> = {
  purpose_marketing: ['A6-1-a'],
  third_party_promotion: ['A6-1-a'],
  customer_marketing: ['A6-1-f', 'A6-1-a'],
  service: ['A6-1-b', 'A6-1-c'],
  internal: ['A6-1-f', 'A6-1-b'],
  one_to_one: ['A6-1-f'],
};

/** A purpose as it would be saved. */
export interface PurposeDraft {
  category: string;
  bases: readonly string[];
  doubleOptIn: boolean;
  /** The operator chose single opt-in for a consent purpose on purpose (A6). */
  singleOptInAcknowledged?: boolean;
  archived?: boolean;
}

/** What is stored already and bears on the change. */
export interface PurposeContext {
  /** The purpose as stored, when this is a change. */
  before?: { category: string; bases: readonly string[] };
  /** Whether any permission (any status) exists for the purpose. */
  hasPermissions: boolean;
  /** Ids of the forms that offer the purpose (as a box or as a lead magnet). */
  offeredByForms: readonly string[];
}

const problem = (field: string, code: string, source: string, en: string, nl: string): Problem => ({
  field,
  code,
  source,
  message_en: en,
  message_nl: nl,
  severity: 'error',
});

/**
 * Checks a purpose draft against what is stored.
 * @returns problems, empty when the purpose may be saved
 * @example checkPurpose({ category: 'purpose_marketing', bases: ['A6-1-f'], doubleOptIn: true },
 *   { hasPermissions: false, offeredByForms: [] }) // → [{ field: 'bases', code: 'PURPOSE_BASIS_NOT_ACCEPTED', … }]
 */
export function checkPurpose(draft: PurposeDraft, ctx: PurposeContext): Problem[] {
  const out: Problem[] = [];
  if (!isPurposeCategory(draft.category)) {
    out.push(problem('category', 'PURPOSE_UNKNOWN_CATEGORY', 'GDPR 5(1)(b)',
      `Choose one of: ${PURPOSE_CATEGORIES.join(', ')}.`,
      `Kies een van: ${PURPOSE_CATEGORIES.join(', ')}.`));
    return out;
  }
  const accepted = ACCEPTED_BASES[draft.category];
  if (draft.bases.length === 0) {
    out.push(problem('bases', 'PURPOSE_NO_BASIS', 'GDPR 6(1)', 'Choose at least one lawful basis.', 'Kies minstens één grondslag.'));
  }
  for (const b of draft.bases) {
    if (!(LAWFUL_BASES as readonly string[]).includes(b) || !accepted.includes(b as LawfulBasis)) {
      out.push(problem('bases', 'PURPOSE_BASIS_NOT_ACCEPTED', draft.category === 'purpose_marketing' || draft.category === 'third_party_promotion' ? 'Tw 11.7(1); GDPR 6(1)(a)' : 'GDPR 6(1)',
        `${b} cannot carry ${draft.category} mail; accepted: ${accepted.join(', ')}.`,
        `${b} kan geen ${draft.category}-mail dragen; toegestaan: ${accepted.join(', ')}.`));
      break;
    }
  }
  if (ctx.before && ctx.hasPermissions) {
    if (ctx.before.category !== draft.category) {
      out.push(problem('category', 'PURPOSE_CHANGED_AFTER_CONSENT', 'GDPR 5(1)(b); GDPR 6(4); GDPR 7(1)',
        'People have given permission for this purpose as it was; create a new purpose instead of changing its kind.',
        'Mensen gaven toestemming voor dit doel zoals het was; maak een nieuw doel in plaats van de soort te wijzigen.'));
    }
    const same = ctx.before.bases.length === draft.bases.length && ctx.before.bases.every((b) => draft.bases.includes(b));
    if (!same) {
      out.push(problem('bases', 'PURPOSE_CHANGED_AFTER_CONSENT', 'GDPR 5(1)(b); GDPR 6(4); GDPR 7(1)',
        'Permissions rest on the bases this purpose had; create a new purpose instead of changing them.',
        'Toestemmingen rusten op de grondslagen die dit doel had; maak een nieuw doel in plaats van ze te wijzigen.'));
    }
  }
  if (draft.bases.includes('A6-1-a') && !draft.doubleOptIn && !draft.singleOptInAcknowledged) {
    out.push(problem('doubleOptIn', 'PURPOSE_SINGLE_OPT_IN_UNACKNOWLEDGED', 'GDPR 7(1); GDPR 5(2)',
      'Double opt-in is off: confirm that you want single opt-in (addresses are then not verified).',
      'Double opt-in staat uit: bevestig dat u single opt-in wilt (adressen worden dan niet geverifieerd).'));
  }
  if (draft.archived && ctx.offeredByForms.length > 0) {
    out.push(problem('archived', 'PURPOSE_OFFERED_BY_FORM', 'GDPR 5(1)(b); GDPR 13(1)(c)',
      `Forms still offer this purpose (${ctx.offeredByForms.join(', ')}); take it off them first.`,
      `Formulieren bieden dit doel nog aan (${ctx.offeredByForms.join(', ')}); haal het daar eerst af.`));
  }
  return out;
}
