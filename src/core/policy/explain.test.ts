/** Tests of the reason table's completeness, of `explain`/`explainReason`, and of the totality of `decide`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CONSENT_METHODS,
  CONTACT_KINDS,
  LAWFUL_BASES,
  MESSAGE_CATEGORIES,
  PERMISSION_STATUSES,
  SOURCE_KINDS,
  SUPPRESSION_REASONS,
} from '../vocab.js';
import { BLOCK_RANK, decide } from './decide.js';
import { explain, explainReason } from './explain.js';
import { DEFAULT_SETTINGS, PLAIN_CONTACT, type Facts } from './facts.js';
import { REASONS, REASON_CODES } from './reasons.js';

const NOW = new Date('2025-06-01T12:00:00Z');

test('every reason code has Dutch and English text and at least one source', () => {
  for (const code of REASON_CODES) {
    const r = REASONS[code];
    assert.ok(r.nl.length > 10 && r.en.length > 10, code);
    assert.notEqual(r.nl, r.en, `${code}: Dutch text is a copy of the English`);
    assert.ok(r.sources.length > 0, code);
  }
});

test('every blocking code has a rank and only blocking codes are ranked', () => {
  for (const code of REASON_CODES) {
    assert.equal(BLOCK_RANK.includes(code), REASONS[code].effect === 'block', code);
  }
});

test('explainReason gives the sentence and the sources in brackets, per language', () => {
  assert.equal(
    explainReason('CONSENT_PENDING', 'en'),
    'Sign-up not confirmed yet (double opt-in). [GDPR 7(1)]',
  );
  assert.equal(explainReason('CONSENT_PENDING', 'nl'), 'Aanmelding nog niet bevestigd (double opt-in). [GDPR 7(1)]');
});

test('C7 explainReason states the configured period and the last purchase', () => {
  const en = explainReason('CUSTOMER_EXCEPTION_LAPSED', 'en', { months: 24, lastPurchaseAt: '2022-01-10' });
  assert.match(en, /Configured period: 24 months; last purchase: 2022-01-10\. \[Tw 11\.7\(3\); ACM\]$/);
  const nl = explainReason('CUSTOMER_EXCEPTION_LAPSED', 'nl', { months: 24, lastPurchaseAt: '2022-01-10' });
  assert.match(nl, /Ingestelde termijn: 24 maanden/);
});

test('C3 explainReason names what was not similar', () => {
  const s = explainReason('CUSTOMER_PRODUCT_NOT_SIMILAR', 'en', { otherLegalEntity: 'yes', productCategory: 'tea' });
  assert.match(s, /another legal entity/);
  assert.match(s, /\(tea\) was not bought/);
});

test('explainReason lists parameters it has no template for', () => {
  assert.match(explainReason('NO_CONSENT_COMMERCIAL', 'en', { x: 1 }), /x: 1\. \[Tw 11\.7\(1\)\]$/);
});

test('explain gives one sentence per reason, strongest first', () => {
  const d = decide(
    {
      message: { category: 'purpose_marketing', purposeId: 'tips' },
      contact: { ...PLAIN_CONTACT, source: 'public_profile' },
      permission: null,
      suppression: 'complaint',
      settings: DEFAULT_SETTINGS,
    },
    NOW,
  );
  const lines = explain(d, 'nl');
  assert.equal(lines.length, d.reasons.length);
  assert.ok(lines.length >= 3);
  assert.match(lines[0] ?? '', /onderdrukkingslijst.*Reden: complaint\. \[GDPR 17\(1\)\(b\); GDPR 21\(3\)\]$/);
  for (const line of [...lines, ...explain(d, 'en')]) assert.match(line, /\[[^\]]+\]$/);
});

test('decide is total: every category × status × method × source × contact shape gives reasons', () => {
  const contacts = [
    PLAIN_CONTACT,
    { ...PLAIN_CONTACT, kind: 'organisation' as const, roleAddress: true, designatedForOffers: true },
    { ...PLAIN_CONTACT, kind: 'sole_trader' as const, roleAddress: true, lead: true },
    { ...PLAIN_CONTACT, kind: 'unknown' as const, marketable: false, employee: true, earlierConsentDocumented: true },
    {
      ...PLAIN_CONTACT,
      employee: true,
      employeeWorkAddress: true,
      purchases: [{ productCategory: 'coffee', purchasedAt: 'not a date', optOutOffered: 'none' as const }],
    },
  ];
  let count = 0;
  for (const category of MESSAGE_CATEGORIES)
    for (const status of PERMISSION_STATUSES)
      for (const method of CONSENT_METHODS)
        for (const sourceKind of SOURCE_KINDS)
          for (const [i, contact] of contacts.entries()) {
            const facts: Facts = {
              message: { category, purposeId: 'p', productCategory: 'coffee', personal: i % 2 === 0, repermissionDeadline: i === 3 ? 'garbage' : null },
              contact: { ...contact, source: sourceKind },
              permission: { basis: LAWFUL_BASES[i % LAWFUL_BASES.length] ?? 'A6-1-a', status, method, sourceKind, givenAt: i % 2 ? null : '2025-01-01T00:00:00Z', confirmedAt: null },
              suppression: i === 4 ? (SUPPRESSION_REASONS[count % SUPPRESSION_REASONS.length] ?? null) : null,
              settings: DEFAULT_SETTINGS,
            };
            for (const f of [facts, { ...facts, permission: null }]) {
              const d = decide(f, NOW);
              count++;
              assert.ok(d.reasons.length > 0);
              assert.equal(d.allowed, d.basis !== null);
              assert.equal(REASONS[d.reasons[0]!.code].effect, d.allowed ? 'allow' : 'block');
              assert.ok(d.reasons.every((r) => REASONS[r.code].effect === (d.allowed ? 'allow' : 'block')));
            }
          }
  assert.ok(count > 5000);
});

test('contact kinds are all handled', () => {
  for (const kind of CONTACT_KINDS) {
    const d = decide({ message: { category: 'purpose_marketing', purposeId: 'p' }, contact: { ...PLAIN_CONTACT, kind }, permission: null, suppression: null, settings: DEFAULT_SETTINGS }, NOW);
    assert.equal(d.allowed, false, kind);
  }
});

test('docs/compliance.md has an entry for every reason code', () => {
  const doc = readFileSync(new URL('../../../docs/compliance.md', import.meta.url), 'utf8');
  const missing = REASON_CODES.filter((code) => !doc.includes(`### \`${code}\``));
  assert.deepEqual(missing, []);
});
