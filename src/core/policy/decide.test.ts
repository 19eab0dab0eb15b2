/**
 * Table-driven tests of the send gate: one row per SCENARIOS.md situation (id in the name) and, for every
 * allowing code, a near case that blocks. The last test checks that the table reaches every reason code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageCategory } from '../vocab.js';
import { decide, type Decision } from './decide.js';
import { DEFAULT_SETTINGS, PLAIN_CONTACT, type ContactFacts, type Facts, type MessageFacts, type PermissionFacts } from './facts.js';
import { REASONS, REASON_CODES, type ReasonCode } from './reasons.js';

const NOW = new Date('2025-06-01T12:00:00Z');

const consent = (over: Partial<PermissionFacts> = {}): PermissionFacts => ({
  basis: 'A6-1-a',
  status: 'active',
  method: 'double_opt_in',
  sourceKind: 'form',
  givenAt: '2025-01-01T10:00:00Z',
  confirmedAt: '2025-01-01T10:05:00Z',
  ...over,
});

/** A requested item confirmed through the form's link (A3): basis 6(1)(b), active. */
const contract = (over: Partial<PermissionFacts> = {}): PermissionFacts => consent({ basis: 'A6-1-b', method: 'contract', ...over });

interface Build {
  category?: MessageCategory;
  message?: Partial<MessageFacts>;
  contact?: Partial<ContactFacts>;
  permission?: PermissionFacts | null;
  suppression?: Facts['suppression'];
  months?: number;
}
const facts = (b: Build): Facts => ({
  message: { category: b.category ?? 'purpose_marketing', purposeId: 'newsletter-a', ...b.message },
  contact: { ...PLAIN_CONTACT, ...b.contact },
  permission: b.permission === undefined ? null : b.permission,
  suppression: b.suppression ?? null,
  settings: { ...DEFAULT_SETTINGS, ...(b.months ? { customerExceptionMonths: b.months } : {}) },
});

const customer = (over: Partial<ContactFacts> = {}): Partial<ContactFacts> => ({
  source: 'customer_records',
  purchases: [{ productCategory: 'coffee', purchasedAt: '2025-01-10T09:00:00Z', optOutOffered: 'clear' }],
  ...over,
});

interface Case {
  name: string;
  facts: Facts;
  now?: Date;
  /** Expected basis when allowed, or 'block'. */
  expect: 'A6-1-a' | 'A6-1-b' | 'A6-1-f' | 'block';
  /** Expected first reason code. */
  first: ReasonCode;
  /** Further codes that must be present. */
  also?: ReasonCode[];
  /** A source the first reason must cite. */
  source?: string;
  detail?: Record<string, string | number>;
}

const CASES: Case[] = [
  // A. Consent, per purpose
  { name: 'A1 ticked box + double opt-in allows newsletter A', facts: facts({ permission: consent() }), expect: 'A6-1-a', first: 'CONSENT_CONFIRMED', source: 'Tw 11.7(1)' },
  { name: 'A2 same person, newsletter B: consent is per purpose', facts: facts({ message: { purposeId: 'newsletter-b' }, contact: { source: 'form' } }), expect: 'block', first: 'NO_PERMISSION_FOR_PURPOSE', source: 'GDPR 5(1)(b)' },
  { name: 'A3 e-book delivery is a service message', facts: facts({ category: 'service', message: { purposeId: 'ebook' }, permission: contract() }), expect: 'A6-1-b', first: 'SERVICE_MESSAGE', source: 'GDPR 6(1)(b)' },
  { name: 'A3 an e-book request not yet confirmed gets no service message', facts: facts({ category: 'service', message: { purposeId: 'ebook' }, permission: contract({ status: 'pending' }) }), expect: 'block', first: 'NO_SERVICE_RELATIONSHIP' },
  { name: 'A service message to someone without a request, contract or purchase is blocked', facts: facts({ category: 'service' }), expect: 'block', first: 'NO_SERVICE_RELATIONSHIP', source: 'GDPR 6(1)(b)' },
  { name: 'A service message to a subscriber who withdrew and bought nothing is blocked', facts: facts({ category: 'service', permission: consent({ status: 'withdrawn' }), suppression: 'unsubscribed' }), expect: 'block', first: 'NO_SERVICE_RELATIONSHIP' },
  { name: 'A3 address given for the e-book only: newsletter blocked', facts: facts({ permission: consent({ basis: 'A6-1-b', method: 'contract' }) }), expect: 'block', first: 'NO_PERMISSION_FOR_PURPOSE' },
  { name: 'A5 imported consent by pre-ticked box is not valid', facts: facts({ permission: consent({ method: 'pre_ticked', sourceKind: 'import' }) }), expect: 'block', first: 'CONSENT_INVALID_PRE_TICKED', source: 'GDPR Recital 32' },
  { name: 'A6 deliberate single opt-in allows', facts: facts({ permission: consent({ method: 'single_opt_in', confirmedAt: null }) }), expect: 'A6-1-a', first: 'CONSENT_SINGLE_OPT_IN' },
  { name: 'A6 near: single opt-in still pending blocks', facts: facts({ permission: consent({ method: 'single_opt_in', status: 'pending' }) }), expect: 'block', first: 'CONSENT_PENDING' },
  { name: 'A7 pending double opt-in blocks', facts: facts({ permission: consent({ status: 'pending', confirmedAt: null }) }), expect: 'block', first: 'CONSENT_PENDING', source: 'GDPR 7(1)' },
  { name: 'A7 active but never confirmed double opt-in blocks', facts: facts({ permission: consent({ confirmedAt: null }) }), expect: 'block', first: 'CONSENT_PENDING' },
  { name: 'F3 imported consent with original time allows', facts: facts({ permission: consent({ method: 'import', sourceKind: 'import', confirmedAt: null }) }), expect: 'A6-1-a', first: 'CONSENT_IMPORTED' },
  { name: 'F3 near: imported consent without a time is not provable', facts: facts({ permission: consent({ method: 'import', sourceKind: 'import', givenAt: null }) }), expect: 'block', first: 'BASIS_NOT_PROVABLE' },
  // B. Where the address came from
  { name: 'B1 third-party addresses without evidence', facts: facts({ permission: consent({ method: 'third_party', sourceKind: 'third_party' }) }), expect: 'block', first: 'THIRD_PARTY_NO_EVIDENCE', source: 'ACM' },
  { name: 'B1 third-party address with no permission record', facts: facts({ contact: { source: 'third_party' } }), expect: 'block', first: 'THIRD_PARTY_NO_EVIDENCE', also: ['NO_CONSENT_COMMERCIAL'] },
  { name: 'B2 third party with evidence naming us and the purpose', facts: facts({ permission: consent({ method: 'third_party', sourceKind: 'third_party', thirdPartyEvidence: true }) }), expect: 'A6-1-a', first: 'CONSENT_THIRD_PARTY_DOCUMENTED', source: 'GDPR 14' },
  { name: 'B3 address copied from LinkedIn', facts: facts({ contact: { source: 'public_profile' } }), expect: 'block', first: 'PUBLIC_PROFILE_SOURCE', source: 'Tw 11.7(1)' },
  { name: 'B3 imported "consent" for a scraped address', facts: facts({ permission: consent({ method: 'import', sourceKind: 'public_profile' }) }), expect: 'block', first: 'PUBLIC_PROFILE_SOURCE' },
  { name: 'B3 near: scraped contact who later opted in themselves', facts: facts({ contact: { source: 'public_profile' }, permission: consent() }), expect: 'A6-1-a', first: 'CONSENT_CONFIRMED' },
  { name: 'B4 trade-fair card: no bulk mail', facts: facts({ contact: { source: 'trade_fair' } }), expect: 'block', first: 'TRADE_FAIR_NO_CONSENT', also: ['NO_CONSENT_COMMERCIAL'] },
  { name: 'B4 trade-fair card: imported as consent still blocks', facts: facts({ permission: consent({ method: 'import', sourceKind: 'trade_fair' }) }), expect: 'block', first: 'TRADE_FAIR_NO_CONSENT' },
  { name: 'B4 trade-fair card: personal follow-up allowed', facts: facts({ category: 'one_to_one', message: { personal: true, recipients: 1 }, contact: { source: 'trade_fair' } }), expect: 'A6-1-f', first: 'ONE_TO_ONE_PERSONAL', source: 'GDPR 14(3)(b)' },
  { name: 'B4 trade-fair cards: "one-to-one" to 80 people is bulk', facts: facts({ category: 'one_to_one', message: { personal: true, recipients: 80 }, contact: { source: 'trade_fair' } }), expect: 'block', first: 'TRADE_FAIR_NO_CONSENT', also: ['ONE_TO_ONE_ONLY'] },
  { name: 'B5 lead who never opted in', facts: facts({ contact: { lead: true, source: 'personal_contact' } }), expect: 'block', first: 'LEAD_NO_CONSENT' },
  { name: 'B6 imported list without timestamps or source', facts: facts({ permission: consent({ method: 'not_provable', sourceKind: 'import', givenAt: null, confirmedAt: null }) }), expect: 'block', first: 'BASIS_NOT_PROVABLE', source: 'GDPR 5(2)' },
  // C. Customers
  { name: 'C1 order confirmation to a customer', facts: facts({ category: 'service', contact: customer() }), expect: 'A6-1-b', first: 'SERVICE_MESSAGE' },
  { name: 'C2 customer exception: similar own product', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer() }), expect: 'A6-1-f', first: 'CUSTOMER_EXCEPTION', source: 'Tw 11.7(3)', detail: { months: 24, lastPurchaseAt: '2025-01-10', until: '2027-01-10' } },
  { name: 'C3 unrelated product', facts: facts({ category: 'customer_marketing', message: { productCategory: 'bicycles' }, contact: customer() }), expect: 'block', first: 'CUSTOMER_PRODUCT_NOT_SIMILAR', also: ['NO_PERMISSION_FOR_PURPOSE'], detail: { productCategory: 'bicycles' } },
  { name: 'C3 sister company’s product', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee', otherLegalEntity: true }, contact: customer() }), expect: 'block', first: 'CUSTOMER_PRODUCT_NOT_SIMILAR', detail: { otherLegalEntity: 'yes' } },
  { name: 'C4 mailing on behalf of a third party to a customer', facts: facts({ category: 'third_party_promotion', message: { productCategory: 'coffee' }, contact: customer() }), expect: 'block', first: 'THIRD_PARTY_PROMOTION_NO_CONSENT' },
  { name: 'C4 near: consent for exactly the partner-offers purpose', facts: facts({ category: 'third_party_promotion', contact: customer(), permission: consent() }), expect: 'A6-1-a', first: 'CONSENT_CONFIRMED' },
  { name: 'C5 opt-out only in the terms', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer({ purchases: [{ productCategory: 'coffee', purchasedAt: '2025-01-10T09:00:00Z', optOutOffered: 'terms_only' }] }) }), expect: 'block', first: 'CUSTOMER_OPT_OUT_NOT_OFFERED', source: 'ACM', detail: { optOutOffered: 'terms_only' } },
  { name: 'C6 customer opted out of customer mail', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer({ customerOptedOut: true }) }), expect: 'block', first: 'CUSTOMER_OPTED_OUT', source: 'GDPR 21(3)' },
  { name: 'C7 former customer: exception lapsed', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer({ purchases: [{ productCategory: 'coffee', purchasedAt: '2022-01-10T09:00:00Z', optOutOffered: 'clear' }] }) }), expect: 'block', first: 'CUSTOMER_EXCEPTION_LAPSED', detail: { months: 24, lastPurchaseAt: '2022-01-10' } },
  { name: 'C7 near: a longer configured period keeps it', facts: facts({ months: 48, category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer({ purchases: [{ productCategory: 'coffee', purchasedAt: '2022-01-10T09:00:00Z', optOutOffered: 'clear' }] }) }), expect: 'A6-1-f', first: 'CUSTOMER_EXCEPTION', detail: { months: 48 } },
  { name: 'C2 near: not a customer at all', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' } }), expect: 'block', first: 'NOT_A_CUSTOMER', also: ['NO_CONSENT_COMMERCIAL'] },
  { name: 'C2 consent for the purpose covers customer mail too', facts: facts({ category: 'customer_marketing', message: { productCategory: 'bicycles' }, permission: consent() }), expect: 'A6-1-a', first: 'CONSENT_CONFIRMED' },
  // D. Organisations and employees
  { name: 'D1 staff newsletter to a work address', facts: facts({ category: 'internal', contact: { employee: true, employeeWorkAddress: true } }), expect: 'A6-1-f', first: 'STAFF_WORK_ADDRESS' },
  { name: 'D2 staff newsletter to a private address', facts: facts({ category: 'internal', contact: { employee: true } }), expect: 'block', first: 'STAFF_PRIVATE_ADDRESS', source: 'Tw 11.7(1)' },
  { name: 'D1 near: internal mail to someone who is not staff', facts: facts({ category: 'internal' }), expect: 'block', first: 'NOT_AN_EMPLOYEE' },
  { name: 'D2 near: private address with consent for staff news', facts: facts({ category: 'internal', contact: { employee: true }, permission: consent() }), expect: 'A6-1-a', first: 'CONSENT_CONFIRMED' },
  { name: 'D3 cold mail to a person found on the web', facts: facts({ contact: { source: 'public_profile' } }), expect: 'block', first: 'PUBLIC_PROFILE_SOURCE', also: ['NO_CONSENT_COMMERCIAL'] },
  { name: 'D4 address designated for offers', facts: facts({ contact: { kind: 'organisation', roleAddress: true, designatedForOffers: true, source: 'public_profile' } }), expect: 'A6-1-f', first: 'BUSINESS_ADDRESS_DESIGNATED', source: 'Tw 11.7(1)(b)' },
  { name: 'D4 near: plain info@ not designated', facts: facts({ contact: { kind: 'organisation', roleAddress: true } }), expect: 'block', first: 'ROLE_ADDRESS_NOT_DESIGNATED' },
  { name: 'D4 customer mail to a designated business address', facts: facts({ category: 'customer_marketing', contact: { kind: 'organisation', designatedForOffers: true } }), expect: 'A6-1-f', first: 'BUSINESS_ADDRESS_DESIGNATED' },
  { name: 'D5 info@ of a sole trader is a person', facts: facts({ contact: { kind: 'sole_trader', roleAddress: true, designatedForOffers: true } }), expect: 'block', first: 'SOLE_TRADER_IS_PERSON', also: ['NO_CONSENT_COMMERCIAL'], source: 'GDPR 4(1)' },
  { name: 'D6 recruiter writes personally to one candidate', facts: facts({ category: 'one_to_one', message: { purposeId: 'recruiting', personal: true }, contact: { source: 'public_profile' } }), expect: 'A6-1-f', first: 'ONE_TO_ONE_PERSONAL' },
  { name: 'D6 near: templated recruiter mail', facts: facts({ category: 'one_to_one', message: { purposeId: 'recruiting', personal: false } }), expect: 'block', first: 'ONE_TO_ONE_ONLY', detail: { recipients: 1 } },
  // E. Opting out and after
  { name: 'E5 unsubscribed stays unsubscribed despite a new import', facts: facts({ suppression: 'unsubscribed', permission: consent({ method: 'import' }) }), expect: 'block', first: 'SUPPRESSED', detail: { suppression: 'unsubscribed' } },
  { name: 'E4 withdrawn during the campaign', facts: facts({ permission: consent({ status: 'withdrawn' }) }), expect: 'block', first: 'CONSENT_WITHDRAWN', source: 'GDPR 7(3)' },
  { name: 'E-objection blocks customer mail too', facts: facts({ category: 'customer_marketing', message: { productCategory: 'coffee' }, contact: customer(), permission: consent({ status: 'objected' }) }), expect: 'block', first: 'OBJECTED' },
  { name: 'E-withdrawn staff news blocks even at the work address', facts: facts({ category: 'internal', contact: { employee: true, employeeWorkAddress: true }, permission: consent({ basis: 'A6-1-f', method: 'staff', status: 'withdrawn' }) }), expect: 'block', first: 'CONSENT_WITHDRAWN' },
  { name: 'E7 customer who left the newsletter still gets service mail', facts: facts({ category: 'service', contact: customer(), permission: consent({ status: 'withdrawn' }), suppression: 'unsubscribed' }), expect: 'A6-1-b', first: 'SERVICE_MESSAGE' },
  { name: 'E-expired consent', facts: facts({ permission: consent({ status: 'expired' }) }), expect: 'block', first: 'CONSENT_EXPIRED' },
  { name: 'E-suppressed and no consent lists both', facts: facts({ suppression: 'hard_bounce' }), expect: 'block', first: 'SUPPRESSED', also: ['NO_PERMISSION_FOR_PURPOSE'] },
  { name: 'address unfit for bulk mail', facts: facts({ contact: { marketable: false }, permission: consent() }), expect: 'block', first: 'ADDRESS_NOT_MARKETABLE', source: 'RFC 5321' },
  // F. Re-permission
  { name: 'F1 one re-permission request to documented earlier consent', facts: facts({ category: 'repermission', message: { repermissionDeadline: '2025-07-01T00:00:00Z' }, contact: { earlierConsentDocumented: true }, permission: consent({ method: 'not_provable' }) }), expect: 'A6-1-a', first: 'REPERMISSION_ALLOWED' },
  { name: 'F1 after the deadline', facts: facts({ category: 'repermission', message: { repermissionDeadline: '2025-05-01T00:00:00Z' }, contact: { earlierConsentDocumented: true } }), expect: 'block', first: 'REPERMISSION_DEADLINE_PASSED', detail: { deadline: '2025-05-01T00:00:00Z' } },
  { name: 'F1 a second request', facts: facts({ category: 'repermission', contact: { earlierConsentDocumented: true, repermissionRequestsSent: 1 } }), expect: 'block', first: 'REPERMISSION_ALREADY_SENT' },
  { name: 'F2 no basis at all: not even a confirm-your-consent mail', facts: facts({ category: 'repermission' }), expect: 'block', first: 'REPERMISSION_NO_EARLIER_CONSENT', source: 'Tw 11.7(1)' },
  { name: 'F2 pre-ticked history is no earlier consent', facts: facts({ category: 'repermission', contact: { earlierConsentDocumented: true }, permission: consent({ method: 'pre_ticked' }) }), expect: 'block', first: 'REPERMISSION_NO_EARLIER_CONSENT' },
  { name: 'F2 unsubscribed contact gets no re-permission mail', facts: facts({ category: 'repermission', contact: { earlierConsentDocumented: true }, permission: consent({ status: 'withdrawn' }) }), expect: 'block', first: 'CONSENT_WITHDRAWN' },
];

const seen = new Set<ReasonCode>();

for (const c of CASES) {
  test(c.name, () => {
    const d: Decision = decide(c.facts, c.now ?? NOW);
    for (const r of d.reasons) seen.add(r.code);
    assert.equal(d.allowed ? d.basis : 'block', c.expect, JSON.stringify(d.reasons.map((r) => r.code)));
    const first = d.reasons[0];
    assert.ok(first);
    assert.equal(first.code, c.first, JSON.stringify(d.reasons.map((r) => r.code)));
    assert.deepEqual(first.sources, REASONS[c.first].sources);
    for (const code of c.also ?? []) assert.ok(d.reasons.some((r) => r.code === code), `missing ${code}`);
    if (c.source) assert.ok(first.sources.includes(c.source), `${c.first} should cite ${c.source}`);
    for (const [k, v] of Object.entries(c.detail ?? {})) assert.equal(first.detail?.[k], v, `detail.${k}`);
    assert.equal(REASONS[first.code].effect, d.allowed ? 'allow' : 'block');
    if (d.allowed) assert.equal(d.reasons.length, 1);
    assert.equal(new Set(d.reasons.map((r) => r.code)).size, d.reasons.length, 'no duplicate codes');
  });
}

test('the table reaches every reason code', () => {
  const missing = REASON_CODES.filter((c) => !seen.has(c));
  assert.deepEqual(missing, []);
});
