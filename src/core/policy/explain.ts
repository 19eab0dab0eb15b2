/**
 * Plain-language explanations of the send gate's decisions, in Dutch or English: one sentence per reason,
 * its parameters filled in where the reason has them, and its legal sources in brackets. Pure.
 */
import type { Language } from '../vocab.js';
import type { Decision, ReasonDetail } from './decide.js';
import { REASONS, type ReasonCode } from './reasons.js';

/** Sentences that spell out a reason's parameters; `{name}` is replaced by `detail.name`. */
const DETAIL_TEMPLATES: Partial<Record<ReasonCode, Record<Language, string>>> = {
  CUSTOMER_EXCEPTION: {
    nl: 'Geldig tot {until}: {months} maanden na de laatste aankoop ({lastPurchaseAt}).',
    en: 'Valid until {until}: {months} months after the last purchase ({lastPurchaseAt}).',
  },
  CUSTOMER_EXCEPTION_LAPSED: {
    nl: 'Ingestelde termijn: {months} maanden; laatste aankoop: {lastPurchaseAt}.',
    en: 'Configured period: {months} months; last purchase: {lastPurchaseAt}.',
  },
  SUPPRESSED: { nl: 'Reden: {suppression}.', en: 'Reason: {suppression}.' },
  REPERMISSION_DEADLINE_PASSED: { nl: 'Termijn: {deadline}.', en: 'Deadline: {deadline}.' },
  REPERMISSION_ALLOWED: { nl: 'Reageren kan tot {deadline}.', en: 'Responses count until {deadline}.' },
  REPERMISSION_ALREADY_SENT: { nl: 'Al verstuurd: {sent}.', en: 'Already sent: {sent}.' },
  ONE_TO_ONE_ONLY: { nl: 'Aantal ontvangers: {recipients}.', en: 'Number of recipients: {recipients}.' },
  CUSTOMER_OPT_OUT_NOT_OFFERED: {
    nl: 'Afmelden bij de verkoop: {optOutOffered}.',
    en: 'Opt-out at the sale: {optOutOffered}.',
  },
};

/** Sentences for the detail keys that can appear on `CUSTOMER_PRODUCT_NOT_SIMILAR`. */
const NOT_SIMILAR: Record<string, Record<Language, string>> = {
  otherLegalEntity: {
    nl: 'Het product is van een andere rechtspersoon.',
    en: 'The product is sold by another legal entity.',
  },
  productCategory: {
    nl: 'Productcategorie van het bericht ({productCategory}) is niet gekocht.',
    en: 'The message’s product category ({productCategory}) was not bought.',
  },
};

const fill = (template: string, detail: ReasonDetail): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in detail ? String(detail[key]) : whole));

/**
 * One sentence for one reason code, with its parameters and sources.
 * @param code a reason code from `REASONS`
 * @param lang 'nl' or 'en'
 * @param detail the reason's parameters as `decide` reports them (optional)
 * @returns e.g. `Klantuitzondering verlopen: … Ingestelde termijn: 24 maanden; laatste aankoop: 2022-01-05. [Tw 11.7(3); ACM]`
 */
export function explainReason(code: ReasonCode, lang: Language, detail?: ReasonDetail): string {
  const spec = REASONS[code];
  const parts: string[] = [spec[lang]];
  if (detail && Object.keys(detail).length > 0) {
    if (code === 'CUSTOMER_PRODUCT_NOT_SIMILAR') {
      for (const key of Object.keys(detail)) {
        const t = NOT_SIMILAR[key];
        if (t) parts.push(fill(t[lang], detail));
      }
    } else {
      const t = DETAIL_TEMPLATES[code];
      parts.push(t ? fill(t[lang], detail) : Object.entries(detail).map(([k, v]) => `${k}: ${v}`).join('; ') + '.');
    }
  }
  return `${parts.join(' ')} [${spec.sources.join('; ')}]`;
}

/**
 * Explains a decision: one sentence per reason, strongest first, in the given language.
 * @param decision the result of `decide`
 * @param lang 'nl' or 'en'
 * @returns one string per reason, e.g. `['No consent for this purpose; … [GDPR 5(1)(b); GDPR 6(1)(a); EDPB 05/2020]']`
 */
export function explain(decision: Decision, lang: Language): string[] {
  return decision.reasons.map((r) => explainReason(r.code, lang, r.detail));
}
