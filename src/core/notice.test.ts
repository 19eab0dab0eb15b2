import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftNotice, missingItems, noticeContentSchema, type NoticeContent } from './notice.js';
import type { Organisation } from './organisation.js';

const org: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Markt 1, 1234 AB Utrecht',
  replyTo: 'info@deboon.nl',
  fromAddress: 'nieuws@deboon.nl',
  privacyContact: 'privacy@deboon.nl',
};
const tips = { id: 'tips', name_nl: 'Koffietips', name_en: 'Coffee tips', basis: 'A6-1-a' as const };
const smtp = { name: 'Mailgun', service_nl: 'E-mail verzenden', service_en: 'Sending e-mail', country: 'de' };
const noOpts = { usesOtherSources: false, usesLegitimateInterest: false };
const items = (c: NoticeContent, opts = noOpts) => missingItems(c, opts).map((m) => `${m.item} ${m.field}`);

/** A draft with every unknown answered. */
function complete(): NoticeContent {
  const d = draftNotice(org, [{ ...tips, retention_nl: 'Tot afmelding', retention_en: 'Until you unsubscribe' }], [smtp]);
  return {
    ...d,
    dpo: { appointed: false },
    transfers: 'none',
    provisionRequirement: { nl: 'Niet verplicht; zonder e-mailadres geen nieuwsbrief.', en: 'Not required; without an address, no newsletter.' },
  };
}

test('draftNotice fills in the known items and passes the schema', () => {
  const d = draftNotice(org, [tips], [smtp]);
  assert.doesNotThrow(() => noticeContentSchema.parse(d));
  assert.equal(d.controller.email, 'privacy@deboon.nl');
  assert.equal(d.purposes[0]?.basis, 'A6-1-a');
  assert.equal(d.automatedDecisions, 'none');
  assert.equal(d.complaint.authority, 'Autoriteit Persoonsgegevens');
  assert.match(d.withdrawal.nl, /intrekken/);
  assert.deepEqual(d.recipients, [{ name: 'Mailgun', role: 'processor', task: { nl: 'E-mail verzenden', en: 'Sending e-mail' }, country: 'DE' }]);
});

test('missingItems on a fresh draft lists exactly the unknowns', () => {
  assert.deepEqual(items(draftNotice(org, [tips])), [
    '13(1)(b) dpo',
    '13(1)(e) recipients',
    '13(1)(f) transfers',
    '13(2)(a) purposes[0].retention',
    '13(2)(e) provisionRequirement',
  ]);
});

test('a complete notice has no missing items; explicit "none" counts as present', () => {
  assert.deepEqual(missingItems(complete(), noOpts), []);
  assert.deepEqual(missingItems({ ...complete(), recipients: 'none' }, noOpts), []);
});

test('each missing entry carries Dutch and English text', () => {
  for (const m of missingItems(draftNotice(org, [tips]), { usesOtherSources: true, usesLegitimateInterest: true })) {
    assert.ok(m.en.length > 5 && m.nl.length > 5, m.field);
  }
});

test('DPO: appointed needs a contact', () => {
  assert.deepEqual(items({ ...complete(), dpo: { appointed: true, contact: ' ' } }), ['13(1)(b) dpo']);
  assert.deepEqual(items({ ...complete(), dpo: { appointed: true, contact: 'fg@deboon.nl' } }), []);
  assert.deepEqual(draftNotice({ ...org, dpoContact: 'fg@deboon.nl' }, [tips]).dpo, { appointed: true, contact: 'fg@deboon.nl' });
});

test('legitimate interest: needed per 6(1)(f) purpose and when the option says so', () => {
  const li = { id: 'klanten', name_nl: 'Klantaanbiedingen', name_en: 'Customer offers', basis: 'A6-1-f' as const, retention_nl: '2 jaar', retention_en: '2 years' };
  const d = { ...complete(), ...draftNotice(org, [li], [smtp]), dpo: { appointed: false as const }, transfers: 'none' as const, provisionRequirement: complete().provisionRequirement };
  assert.deepEqual(items(d), ['13(1)(d) legitimateInterests.klanten']);
  const filled = { ...d, legitimateInterests: [{ purposeId: 'klanten', interest: { nl: 'Direct marketing', en: 'Direct marketing' } }] };
  assert.deepEqual(items(filled), []);
  assert.deepEqual(items(complete(), { usesOtherSources: false, usesLegitimateInterest: true }), ['13(1)(d) legitimateInterests']);
});

test('withdrawal text is required only when a purpose rests on consent', () => {
  assert.deepEqual(items({ ...complete(), withdrawal: { nl: '', en: '' } }), ['13(2)(c) withdrawal']);
  const contract = { ...complete(), purposes: [{ ...complete().purposes[0]!, basis: 'A6-1-b' as const }], withdrawal: { nl: '', en: '' } };
  assert.deepEqual(items(contract), []);
});

test('a text in only one language is missing', () => {
  assert.deepEqual(items({ ...complete(), rights: { nl: 'Uw rechten', en: '' } }), ['13(2)(b) rights']);
});

test('art. 14 items only when data comes from other sources', () => {
  const opts = { usesOtherSources: true, usesLegitimateInterest: false };
  assert.deepEqual(items(complete(), opts), ['14(1)(d) otherSources.dataCategories', '14(2)(f) otherSources.sources']);
  const t = { nl: 'x', en: 'x' };
  assert.deepEqual(items({ ...complete(), otherSources: { dataCategories: t, sources: { nl: '', en: '' } } }, opts), ['14(2)(f) otherSources.sources']);
});

test('a processor outside the EEA needs a transfer entry', () => {
  const us = { ...smtp, name: 'SendCo', country: 'US' };
  const d = { ...complete(), recipients: draftNotice(org, [tips], [us]).recipients };
  assert.deepEqual(items(d), ['13(1)(f) transfers.SendCo']);
  const t = { recipient: 'SendCo', country: 'US', safeguard: 'adequacy_decision' as const, details: { nl: 'EU-VS kader', en: 'EU-US framework' } };
  assert.deepEqual(items({ ...d, transfers: [t] }), []);
  assert.deepEqual(items({ ...d, transfers: [{ ...t, details: { nl: '', en: '' } }] }), ['13(1)(f) transfers[0].details']);
});

test('no purposes and an empty controller are reported', () => {
  const d = { ...complete(), purposes: [], controller: { name: '', postalAddress: '', email: 'a@b.nl' } };
  assert.deepEqual(items(d), ['13(1)(a) controller.name', '13(1)(a) controller.postalAddress', '13(1)(c) purposes']);
});
