/** Tests of the decision input/output schema used by `consentry decide` and `POST /api/v1/decisions`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import { explainReason } from './explain.js';
import { decisionOutputSchema, parseDecisionInput, toDecisionOutput } from './facts-schema.js';
import { DEFAULT_SETTINGS, PLAIN_CONTACT } from './facts.js';

test('a minimal input gets every default', () => {
  const { facts, now } = parseDecisionInput({ facts: { message: { category: 'purpose_marketing', purposeId: 'tips' } } });
  assert.equal(now, null);
  assert.deepEqual(facts.contact, PLAIN_CONTACT);
  assert.deepEqual(facts.settings, DEFAULT_SETTINGS);
  assert.equal(facts.permission, null);
  assert.equal(facts.suppression, null);
  assert.equal(decide(facts, new Date()).allowed, false);
});

test('A1 a full input parses and decides; now is read', () => {
  const { facts, now } = parseDecisionInput({
    now: '2025-06-01T12:00:00Z',
    facts: {
      message: { category: 'purpose_marketing', purposeId: 'tips' },
      contact: { kind: 'person', source: 'form' },
      permission: { basis: 'A6-1-a', status: 'active', method: 'double_opt_in', sourceKind: 'form', givenAt: '2025-01-01T10:00:00Z', confirmedAt: '2025-01-01T10:05:00+01:00' },
      settings: { customerExceptionMonths: 12 },
    },
  });
  assert.equal(now?.toISOString(), '2025-06-01T12:00:00.000Z');
  assert.equal(facts.settings.customerExceptionMonths, 12);
  const d = decide(facts, now ?? new Date());
  assert.equal(d.allowed, true);
  const out = { ...d, reasons: d.reasons.map((r) => ({ ...r, sources: [...r.sources], en: explainReason(r.code, 'en', r.detail) })) };
  assert.equal(decisionOutputSchema.safeParse(out).success, true);
  const json = toDecisionOutput(d);
  assert.equal(decisionOutputSchema.safeParse(JSON.parse(JSON.stringify(json))).success, true);
  assert.match(json.reasons[0]?.nl ?? '', /bevestigd.*\[GDPR 6\(1\)\(a\); Tw 11\.7\(1\)\]$/);
});

const bad: [string, unknown, RegExp][] = [
  ['no facts', {}, /at facts: /],
  ['unknown category', { facts: { message: { category: 'spam', purposeId: 'x' } } }, /at facts\.message\.category: /],
  ['bad time', { facts: { message: { category: 'repermission', purposeId: 'x', repermissionDeadline: 'tomorrow' } } }, /facts\.message\.repermissionDeadline/],
  ['bad purchase time', { facts: { message: { category: 'customer_marketing', purposeId: 'x' }, contact: { purchases: [{ productCategory: 'c', purchasedAt: '2025-13-01', optOutOffered: 'clear' }] } } }, /facts\.contact\.purchases\[0\]\.purchasedAt/],
  ['misspelt field', { facts: { message: { category: 'service', purposeId: 'x' }, contact: { desginatedForOffers: true } } }, /facts\.contact/],
  ['not an object', 'hello', /\(root\)/],
  ['bad now', { now: 'yesterday', facts: { message: { category: 'service', purposeId: 'x' } } }, /at now: /],
];
for (const [name, json, re] of bad) {
  test(`parseDecisionInput names the invalid field: ${name}`, () => {
    assert.throws(() => parseDecisionInput(json), (e: unknown) => e instanceof Error && re.test(e.message));
  });
}
