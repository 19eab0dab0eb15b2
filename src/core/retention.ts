/**
 * Retention rules and the pure retention planner (GDPR 5(1)(e) storage limitation, 17(1)(a)–(c); SCENARIOS
 * E6–E8). The planner decides per contact whether its personal data is erased now or kept, and why, in Dutch and
 * English. The same function serves `--dry-run` and the real run, so both lists are identical by construction.
 * A contact is kept while any basis is live (an active consent for another purpose, a customer within the
 * period, a contract, a legal obligation) even when one purpose was withdrawn (E7). A contact whose erasure is due
 * but who has an open data-subject request (GDPR 15–22, a restriction under 18 included) is held, not erased,
 * until the request is completed: the answer needs the data (GDPR 12(3)). Pure: `now` is an argument.
 */
import { z } from 'zod';
import { addMonths, REQUEST_ARTICLES, type RequestKind } from './requests.js';
import type { LawfulBasis, MessageCategory, PermissionStatus, SourceKind } from './vocab.js';

export const RETENTION_RULE_KINDS = [
  'unconfirmed_after_days',
  'withdrawn_after_days',
  'inactive_after_months',
  'one_to_one_after_days',
  'former_customer_after_years',
] as const;
export type RetentionRuleKind = (typeof RETENTION_RULE_KINDS)[number];

const count = z.number().int().nonnegative();
/**
 * The rules, one number each; an absent rule is off, except `withdrawn_after_days`, which defaults to 0 (erase
 * at once after withdrawal when no other basis remains, GDPR 17(1)(b), E6).
 * - unconfirmed_after_days: days a pending sign-up may wait for confirmation
 * - withdrawn_after_days: days after withdrawal, objection or expiry before erasure
 * - inactive_after_months: months without open/click/send activity before consent/interest data goes
 * - one_to_one_after_days: days after the last contact before one-to-one follow-up data (recruiter, trade fair) goes
 * - former_customer_after_years: years after the last purchase before customer data goes
 */
export const retentionRulesSchema = z.object({
  unconfirmed_after_days: count.optional(),
  withdrawn_after_days: count.optional(),
  inactive_after_months: count.optional(),
  one_to_one_after_days: count.optional(),
  former_customer_after_years: count.optional(),
});
export type RetentionRules = z.infer<typeof retentionRulesSchema>;

/** Defaults: unconfirmed sign-ups go after 30 days, withdrawn data at once. */
export const DEFAULT_RETENTION_RULES: RetentionRules = { unconfirmed_after_days: 30, withdrawn_after_days: 0, one_to_one_after_days: 90 };

/** One permission (contact × purpose) as the planner needs it. */
export interface PermissionRetentionFacts {
  purposeId: string;
  basis: LawfulBasis;
  status: PermissionStatus;
  /** The purpose's message category; 'customer_marketing'/'service' tie it to purchases, 'one_to_one' to the follow-up rule. */
  category?: MessageCategory;
  /** When the permission got its current status (given, confirmed, withdrawn …). */
  since: Date;
}

export interface ContactRetentionFacts {
  contactId: string;
  sourceKind: SourceKind;
  createdAt: Date;
  permissions: PermissionRetentionFacts[];
  /** Last open, click or send, or null. */
  lastActivityAt: Date | null;
  /** Last purchase, or null for non-customers. */
  lastPurchaseAt: Date | null;
  /** The contact's data-subject requests not yet completed (GDPR 15–22); any of them holds an erasure. */
  openRequests?: readonly OpenRequestFacts[];
}

/** A data-subject request still open (received, not completed). */
export interface OpenRequestFacts {
  kind: RequestKind;
  receivedAt: Date;
}

export interface RetentionDecision {
  contactId: string;
  /** 'hold': erasure is due but waits for the open requests named in the reason. */
  action: 'erase' | 'keep' | 'hold';
  /** The rule that made erasure due (absent when kept, or when no purpose at all remains). */
  rule?: RetentionRuleKind;
  reason_en: string;
  reason_nl: string;
}

/** Sources whose data is one-to-one follow-up data when it rests on 6(1)(f). */
const ONE_TO_ONE_SOURCES: ReadonlySet<SourceKind> = new Set(['trade_fair', 'personal_contact', 'public_profile']);
const DAY_MS = 86_400_000;

type Bi = { en: string; nl: string };
type Verdict =
  | { kind: 'live'; why: Bi }
  | { kind: 'grace'; why: Bi }
  | { kind: 'ended'; rule: RetentionRuleKind; at: Date; why: Bi };

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);
const latest = (...ds: Array<Date | null>) =>
  new Date(Math.max(...ds.filter((d): d is Date => d !== null).map((d) => d.getTime())));
const customerTied = (p: PermissionRetentionFacts) =>
  p.category === 'customer_marketing' || p.category === 'service' || p.basis === 'A6-1-b';

/** Judges one permission at `now`. */
function judge(c: ContactRetentionFacts, p: PermissionRetentionFacts, rules: RetentionRules, now: Date): Verdict {
  const q = `"${p.purposeId}"`;
  const ended = (rule: RetentionRuleKind, at: Date, why: Bi): Verdict | null =>
    now.getTime() >= at.getTime() ? { kind: 'ended', rule, at, why } : null;
  if (p.status === 'pending') {
    const n = rules.unconfirmed_after_days;
    const e =
      n === undefined
        ? null
        : ended('unconfirmed_after_days', addDays(p.since, n), {
            en: `sign-up for ${q} not confirmed within ${n} days (GDPR 5(1)(e))`,
            nl: `aanmelding voor ${q} niet binnen ${n} dagen bevestigd (art. 5 lid 1 onder e AVG)`,
          });
    return e ?? { kind: 'live', why: { en: `sign-up for ${q} awaits confirmation`, nl: `aanmelding voor ${q} wacht op bevestiging` } };
  }
  if (p.status !== 'active') {
    const n = rules.withdrawn_after_days ?? 0;
    const due = addDays(p.since, n);
    const art = p.status === 'objected' ? { en: 'GDPR 17(1)(c), 21(3)', nl: 'art. 17 lid 1 onder c en 21 lid 3 AVG' } : { en: 'GDPR 17(1)(b)', nl: 'art. 17 lid 1 onder b AVG' };
    const nlStatus = { withdrawn: 'ingetrokken', objected: 'bezwaar gemaakt', expired: 'verlopen' }[p.status];
    return (
      ended('withdrawn_after_days', due, {
        en: `${q} ${p.status} on ${day(p.since)} and no other basis remains (${art.en}); keep only the keyed hash in the suppression list`,
        nl: `${q} ${nlStatus} op ${day(p.since)} en er is geen andere grondslag (${art.nl}); bewaar alleen de sleutelhash in de blokkeerlijst`,
      }) ?? {
        kind: 'grace',
        why: { en: `${q} ${p.status} on ${day(p.since)}; erasure due on ${day(due)}`, nl: `${q} ${nlStatus} op ${day(p.since)}; wissen op ${day(due)}` },
      }
    );
  }
  const touched = latest(p.since, c.lastActivityAt);
  if (customerTied(p) && c.lastPurchaseAt) {
    const n = rules.former_customer_after_years;
    const e =
      n === undefined
        ? null
        : ended('former_customer_after_years', addMonths(c.lastPurchaseAt, 12 * n), {
            en: `last purchase on ${day(c.lastPurchaseAt)}, more than ${n} years ago (GDPR 5(1)(e))`,
            nl: `laatste aankoop op ${day(c.lastPurchaseAt)}, meer dan ${n} jaar geleden (art. 5 lid 1 onder e AVG)`,
          });
    return e ?? { kind: 'live', why: { en: `customer (last purchase ${day(c.lastPurchaseAt)}), purpose ${q}`, nl: `klant (laatste aankoop ${day(c.lastPurchaseAt)}), doel ${q}` } };
  }
  if (p.category === 'one_to_one' || (ONE_TO_ONE_SOURCES.has(c.sourceKind) && p.basis === 'A6-1-f' && !customerTied(p))) {
    const n = rules.one_to_one_after_days;
    const e =
      n === undefined
        ? null
        : ended('one_to_one_after_days', addDays(touched, n), {
            en: `follow-up data for ${q} unused since ${day(touched)}, more than ${n} days (GDPR 5(1)(e))`,
            nl: `opvolggegevens voor ${q} niet gebruikt sinds ${day(touched)}, meer dan ${n} dagen (art. 5 lid 1 onder e AVG)`,
          });
    return e ?? { kind: 'live', why: { en: `one-to-one follow-up for ${q}`, nl: `persoonlijke opvolging voor ${q}` } };
  }
  if (p.basis === 'A6-1-a' || p.basis === 'A6-1-f') {
    const n = rules.inactive_after_months;
    const e =
      n === undefined
        ? null
        : ended('inactive_after_months', addMonths(touched, n), {
            en: `no activity for ${q} since ${day(touched)}, more than ${n} months (GDPR 5(1)(e))`,
            nl: `geen activiteit voor ${q} sinds ${day(touched)}, meer dan ${n} maanden (art. 5 lid 1 onder e AVG)`,
          });
    const what = p.basis === 'A6-1-a' ? { en: 'active consent', nl: 'actieve toestemming' } : { en: 'legitimate interest', nl: 'gerechtvaardigd belang' };
    return e ?? { kind: 'live', why: { en: `${what.en} for ${q}`, nl: `${what.nl} voor ${q}` } };
  }
  return { kind: 'live', why: { en: `active basis ${p.basis} for ${q}`, nl: `actieve grondslag ${p.basis} voor ${q}` } };
}

/** The customer relationship on its own (a purchase without any permission row), as a verdict, or null. */
function judgeCustomer(c: ContactRetentionFacts, rules: RetentionRules, now: Date): Verdict | null {
  if (!c.lastPurchaseAt) return null;
  const n = rules.former_customer_after_years;
  const at = n === undefined ? null : addMonths(c.lastPurchaseAt, 12 * n);
  if (at && now.getTime() >= at.getTime())
    return {
      kind: 'ended',
      rule: 'former_customer_after_years',
      at,
      why: {
        en: `last purchase on ${day(c.lastPurchaseAt)}, more than ${n} years ago (GDPR 5(1)(e))`,
        nl: `laatste aankoop op ${day(c.lastPurchaseAt)}, meer dan ${n} jaar geleden (art. 5 lid 1 onder e AVG)`,
      },
    };
  return { kind: 'live', why: { en: `customer (last purchase ${day(c.lastPurchaseAt)})`, nl: `klant (laatste aankoop ${day(c.lastPurchaseAt)})` } };
}

/**
 * A business card or personal contact with no permission at all (B4, D6): kept for the personal follow-up
 * (legitimate interest, GDPR 6(1)(f)) for `one_to_one_after_days` after it was collected or last used, or null
 * when the contact did not come from such a source.
 */
function judgeFollowUp(c: ContactRetentionFacts, rules: RetentionRules, now: Date): Verdict | null {
  if (c.permissions.length > 0 || !ONE_TO_ONE_SOURCES.has(c.sourceKind)) return null;
  const n = rules.one_to_one_after_days;
  const touched = latest(c.createdAt, c.lastActivityAt);
  const at = n === undefined ? null : addDays(touched, n);
  if (at && now.getTime() >= at.getTime())
    return {
      kind: 'ended',
      rule: 'one_to_one_after_days',
      at,
      why: {
        en: `personal follow-up data unused since ${day(touched)}, more than ${n} days (GDPR 5(1)(e))`,
        nl: `gegevens voor persoonlijke opvolging niet gebruikt sinds ${day(touched)}, meer dan ${n} dagen (art. 5 lid 1 onder e AVG)`,
      },
    };
  return { kind: 'live', why: { en: `personal follow-up (collected ${day(c.createdAt)})`, nl: `persoonlijke opvolging (verzameld ${day(c.createdAt)})` } };
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const REQUEST_NAMES: Record<RequestKind, Bi> = {
  access: { en: 'access', nl: 'inzage' },
  portability: { en: 'portability', nl: 'overdraagbaarheid' },
  rectification: { en: 'rectification', nl: 'rectificatie' },
  erasure: { en: 'erasure', nl: 'wissing' },
  restriction: { en: 'restriction', nl: 'beperking' },
  objection: { en: 'objection', nl: 'bezwaar' },
};

/** An erasure that is due, held while requests are open (GDPR 12(3): the answer needs the data; 18 for a restriction). */
function hold(d: RetentionDecision, open: readonly OpenRequestFacts[]): RetentionDecision {
  const list = [...open].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const en = list.map((r) => `${REQUEST_NAMES[r.kind].en} request (${REQUEST_ARTICLES[r.kind]}) received ${day(r.receivedAt)}`);
  const nl = list.map((r) => `verzoek om ${REQUEST_NAMES[r.kind].nl} (art. ${REQUEST_ARTICLES[r.kind].slice(5)} AVG) ontvangen ${day(r.receivedAt)}`);
  return {
    ...d,
    action: 'hold',
    reason_en: `Held until completed: ${en.join('; ')}. Then: ${d.reason_en}`,
    reason_nl: `Vastgehouden tot afgehandeld: ${nl.join('; ')}. Daarna: ${d.reason_nl}`,
  };
}

/** Plans one contact: its erasure decision, held while a request is open. */
function planOne(c: ContactRetentionFacts, rules: RetentionRules, now: Date): RetentionDecision {
  const d = planErasure(c, rules, now);
  return d.action === 'erase' && c.openRequests && c.openRequests.length > 0 ? hold(d, c.openRequests) : d;
}

/** Plans one contact without looking at open requests. */
function planErasure(c: ContactRetentionFacts, rules: RetentionRules, now: Date): RetentionDecision {
  const keep = (why: Bi[]): RetentionDecision => ({
    contactId: c.contactId,
    action: 'keep',
    reason_en: `Kept: ${why.map((w) => w.en).join('; ')}.`,
    reason_nl: `Bewaard: ${why.map((w) => w.nl).join('; ')}.`,
  });
  const perms = [...c.permissions].sort((a, b) => byString(a.purposeId, b.purposeId) || byString(a.status, b.status));
  const verdicts = perms.map((p) => judge(c, p, rules, now));
  const customer = judgeCustomer(c, rules, now);
  if (customer) verdicts.push(customer);
  const followUp = judgeFollowUp(c, rules, now);
  if (followUp) verdicts.push(followUp);
  const live = verdicts.filter((v) => v.kind === 'live');
  if (live.length > 0) return keep(live.map((v) => v.why));
  const grace = verdicts.filter((v) => v.kind === 'grace');
  if (grace.length > 0) return keep(grace.map((v) => v.why));
  let last: Extract<Verdict, { kind: 'ended' }> | undefined;
  for (const v of verdicts) if (v.kind === 'ended' && (!last || v.at.getTime() > last.at.getTime())) last = v;
  if (!last)
    return {
      contactId: c.contactId,
      action: 'erase',
      reason_en: 'Erase: no purpose or lawful basis remains (GDPR 5(1)(e)).',
      reason_nl: 'Wissen: er is geen doel of grondslag meer (art. 5 lid 1 onder e AVG).',
    };
  return {
    contactId: c.contactId,
    action: 'erase',
    rule: last.rule,
    reason_en: `Erase: ${last.why.en}.`,
    reason_nl: `Wissen: ${last.why.nl}.`,
  };
}

/**
 * Plans retention for a batch of contacts (GDPR 5(1)(e), 12(3), 17(1)(a)–(c), 18; SCENARIOS E6–E8).
 * @param contacts the facts per contact (permissions with their status and `since` time, last activity, last
 *   purchase, source kind, open data-subject requests)
 * @param rules retention rules (days, months, years as named); absent rules are off except
 *   `withdrawn_after_days` (default 0). Rule boundaries are inclusive: erasure is due from the exact moment
 *   `since + period` is reached. Months and years follow Regulation 1182/71 (see `addMonths`).
 * @param now the time of the run
 * @returns one decision per contact, sorted by contactId (code-unit order), each with Dutch and English reasons;
 *   `rule` names the rule whose period ended last when erasing (or holding: 'hold' is an erasure that waits for
 *   the contact's open requests, GDPR 12(3), 18)
 * @throws RangeError when a rule is negative or not an integer
 * @example planRetention([facts], { withdrawn_after_days: 0 }, new Date()) // [{ contactId, action: 'erase', rule: 'withdrawn_after_days', … }]
 */
export function planRetention(
  contacts: readonly ContactRetentionFacts[],
  rules: RetentionRules,
  now: Date,
): RetentionDecision[] {
  const parsed = retentionRulesSchema.safeParse(rules);
  if (!parsed.success)
    throw new RangeError(`invalid retention rules: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return [...contacts]
    .sort((a, b) => byString(a.contactId, b.contactId))
    .map((c) => planOne(c, parsed.data, now));
}
