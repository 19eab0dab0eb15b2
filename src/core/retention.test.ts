import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRetention, type ContactRetentionFacts, type PermissionRetentionFacts } from './retention.js';

const now = new Date('2025-06-15T12:00:00.000Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);

const perm = (p: Partial<PermissionRetentionFacts>): PermissionRetentionFacts => ({
  purposeId: 'tips',
  basis: 'A6-1-a',
  status: 'active',
  category: 'purpose_marketing',
  since: ago(10),
  ...p,
});
const contact = (id: string, c: Partial<ContactRetentionFacts>): ContactRetentionFacts => ({
  contactId: id,
  sourceKind: 'form',
  createdAt: ago(400),
  permissions: [],
  lastActivityAt: null,
  lastPurchaseAt: null,
  ...c,
});
const one = (c: ContactRetentionFacts, rules = {}) => planRetention([c], rules, now)[0]!;

test('E6: consent withdrawn, no other basis → erase at once by default', () => {
  const d = one(contact('a', { permissions: [perm({ status: 'withdrawn', since: ago(0) })] }));
  assert.equal(d.action, 'erase');
  assert.equal(d.rule, 'withdrawn_after_days');
  assert.match(d.reason_en, /GDPR 17\(1\)\(b\)/);
  assert.match(d.reason_en, /suppression list/);
  assert.match(d.reason_nl, /ingetrokken/);
});

test('withdrawn with a grace period → kept until it ends, then erased', () => {
  const c = contact('a', { permissions: [perm({ status: 'withdrawn', since: ago(5) })] });
  const kept = one(c, { withdrawn_after_days: 7 });
  assert.equal(kept.action, 'keep');
  assert.match(kept.reason_en, /erasure due on 2025-06-17/);
  assert.equal(one(c, { withdrawn_after_days: 5 }).action, 'erase');
});

test('objection erases citing 21(3)', () => {
  const d = one(contact('a', { permissions: [perm({ status: 'objected', basis: 'A6-1-f' })] }));
  assert.equal(d.action, 'erase');
  assert.match(d.reason_en, /21\(3\)/);
});

test('E7: a customer who unsubscribes from the newsletter is kept', () => {
  const c = contact('a', {
    permissions: [perm({ status: 'withdrawn' }), perm({ purposeId: 'offers', basis: 'A6-1-f', category: 'customer_marketing' })],
    lastPurchaseAt: ago(100),
  });
  const d = one(c, { former_customer_after_years: 2 });
  assert.equal(d.action, 'keep');
  assert.match(d.reason_en, /customer/);
  assert.equal(d.rule, undefined);
});

test('a purchase alone keeps a contact within the period, and ends it after', () => {
  const c = contact('a', { permissions: [perm({ status: 'withdrawn' })], lastPurchaseAt: new Date('2023-06-15T12:00:00.000Z') });
  assert.equal(one(c, { former_customer_after_years: 3 }).action, 'keep');
  const d = one(c, { former_customer_after_years: 2 });
  assert.equal(d.action, 'erase');
  assert.equal(d.rule, 'former_customer_after_years', 'the customer period ended last');
});

test('withdrawn for one purpose, active consent for another → kept', () => {
  const c = contact('a', { permissions: [perm({ status: 'withdrawn' }), perm({ purposeId: 'ebook' })] });
  const d = one(c);
  assert.equal(d.action, 'keep');
  assert.match(d.reason_en, /active consent for "ebook"/);
});

test('E8: unconfirmed sign-ups go after N days, not before', () => {
  const c = (days: number) => contact('a', { permissions: [perm({ status: 'pending', since: ago(days) })] });
  assert.equal(one(c(29), { unconfirmed_after_days: 30 }).action, 'keep');
  const d = one(c(30), { unconfirmed_after_days: 30 });
  assert.deepEqual([d.action, d.rule], ['erase', 'unconfirmed_after_days']);
  assert.equal(one(c(3000)).action, 'keep', 'rule off when absent');
});

test('E8: inactive consent goes after N months without open/click/send', () => {
  const c = contact('a', { permissions: [perm({ since: ago(900) })], lastActivityAt: new Date('2024-06-15T12:00:00.000Z') });
  assert.equal(one(c, { inactive_after_months: 13 }).action, 'keep');
  const d = one(c, { inactive_after_months: 12 });
  assert.deepEqual([d.action, d.rule], ['erase', 'inactive_after_months']);
  const fresh = contact('b', { permissions: [perm({ since: ago(10) })] });
  assert.equal(one(fresh, { inactive_after_months: 1 }).action, 'keep', 'recent consent counts as activity');
});

test('E8: recruiter and trade-fair follow-up data goes after N days', () => {
  const fair = contact('a', { sourceKind: 'trade_fair', permissions: [perm({ basis: 'A6-1-f', category: 'one_to_one', since: ago(100) })] });
  const d = one(fair, { one_to_one_after_days: 90, inactive_after_months: 60 });
  assert.deepEqual([d.action, d.rule], ['erase', 'one_to_one_after_days']);
  const recruiter = contact('b', { sourceKind: 'public_profile', permissions: [perm({ basis: 'A6-1-f', category: 'purpose_marketing', since: ago(100) })], lastActivityAt: ago(20) });
  assert.equal(one(recruiter, { one_to_one_after_days: 90 }).action, 'keep', 'activity 20 days ago');
  assert.equal(one(recruiter, { one_to_one_after_days: 14 }).rule, 'one_to_one_after_days');
});

test('an open request holds a due erasure (GDPR 12(3), 18); without one it erases; contract and legal bases keep', () => {
  const w = [perm({ status: 'withdrawn' })];
  const restricted = one(contact('a', { permissions: w, openRequests: [{ kind: 'restriction', receivedAt: ago(3) }] }));
  assert.deepEqual([restricted.action, restricted.rule], ['hold', 'withdrawn_after_days']);
  assert.match(restricted.reason_en, /^Held until completed: restriction request \(GDPR 18\) received 2025-06-12\. Then: Erase: /);
  assert.match(restricted.reason_nl, /^Vastgehouden tot afgehandeld: verzoek om beperking \(art\. 18 AVG\)/);
  const access = one(contact('a', { permissions: w, openRequests: [{ kind: 'objection', receivedAt: ago(1) }, { kind: 'access', receivedAt: ago(2) }] }));
  assert.equal(access.action, 'hold');
  assert.match(access.reason_en, /access request \(GDPR 15\) received 2025-06-13; objection request \(GDPR 21\)/);
  assert.equal(one(contact('a', { permissions: w, openRequests: [] })).action, 'erase');
  // A request does not turn a kept contact into a held one.
  assert.equal(one(contact('a', { permissions: [perm({})], openRequests: [{ kind: 'access', receivedAt: ago(1) }] })).action, 'keep');
  assert.equal(one(contact('a', { permissions: [...w, perm({ purposeId: 'staff', basis: 'A6-1-c', category: 'internal' })] })).action, 'keep');
});

test('no permissions and no purchases → erase without a rule', () => {
  const d = one(contact('a', {}));
  assert.deepEqual([d.action, d.rule], ['erase', undefined]);
});

test('output is sorted by contactId and does not depend on input order', () => {
  const cs = ['c', 'a', 'b'].map((id) => contact(id, { permissions: [perm({ status: id === 'b' ? 'withdrawn' : 'active' })] }));
  const out = planRetention(cs, {}, now);
  assert.deepEqual(out.map((d) => `${d.contactId}:${d.action}`), ['a:keep', 'b:erase', 'c:keep']);
  assert.deepEqual(planRetention([...cs].reverse(), {}, now), out);
});

test('invalid rules are refused', () => {
  assert.throws(() => planRetention([], { withdrawn_after_days: -1 }, now), /withdrawn_after_days/);
  assert.throws(() => planRetention([], { inactive_after_months: 1.5 }, now), RangeError);
});

test('B4: a business card with no permission is kept for the personal follow-up, then erased', () => {
  const card = (days: number) => contact('card', { sourceKind: 'trade_fair', createdAt: ago(days), permissions: [] });
  const rules = { one_to_one_after_days: 90 };
  assert.equal(one(card(10), rules).action, 'keep');
  assert.match(one(card(10), rules).reason_en, /personal follow-up/);
  const late = one(card(91), rules);
  assert.deepEqual([late.action, late.rule], ['erase', 'one_to_one_after_days']);
  // A contact from a form with nothing left has no such window.
  assert.equal(one(contact('x', { sourceKind: 'form', createdAt: ago(1), permissions: [] }), rules).action, 'erase');
});
