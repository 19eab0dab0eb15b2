import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftNotice, type NoticeContent } from './notice.js';
import { renderNotice } from './notice-render.js';
import type { Organisation } from './organisation.js';

const org: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Markt 1, 1234 AB Utrecht',
  replyTo: 'info@deboon.nl',
  fromAddress: 'nieuws@deboon.nl',
  chamberOfCommerce: '12345678',
};
const purposes = [
  { id: 'tips', name_nl: 'Koffietips', name_en: 'Coffee tips', basis: 'A6-1-a' as const, retention_nl: 'Tot afmelding', retention_en: 'Until you unsubscribe' },
  { id: 'klant', name_nl: 'Aanbiedingen voor klanten', name_en: 'Offers for customers', basis: 'A6-1-f' as const },
];
const full: NoticeContent = {
  ...draftNotice(org, purposes, [{ name: 'SendCo', service_nl: 'E-mail verzenden', service_en: 'Sending e-mail', country: 'US' }]),
  dpo: { appointed: false },
  legitimateInterests: [{ purposeId: 'klant', interest: { nl: 'Klanten op de hoogte houden', en: 'Keeping customers informed' } }],
  transfers: [
    { recipient: 'SendCo', country: 'US', safeguard: 'standard_contractual_clauses', details: { nl: 'Kopie op verzoek.', en: 'Copy on request.' } },
  ],
  provisionRequirement: { nl: 'Niet verplicht.', en: 'Not required.' },
  otherSources: { dataCategories: { nl: 'Naam en zakelijk adres', en: 'Name and business address' }, sources: { nl: 'Beurs', en: 'Trade fair' } },
};

test('every section names its GDPR item, in article order', () => {
  const r = renderNotice(full, 'en', '2025-03');
  assert.deepEqual(
    r.sections.map((s) => s.item),
    ['13(1)(a)', '13(1)(b)', '13(1)(c)', '13(1)(d)', '13(1)(e)', '13(1)(f)', '13(2)(a)', '13(2)(b)', '13(2)(c)', '13(2)(d)', '13(2)(e)', '13(2)(f)', '14(1)(d)', '14(2)(f)'],
  );
  assert.equal(r.title, 'Privacy notice of Koffiebranderij De Boon B.V. (version 2025-03)');
});

test('Dutch rendering speaks Dutch and names bases and safeguards', () => {
  const r = renderNotice(full, 'nl', 'v2');
  const text = (item: string) => r.sections.find((s) => s.item === item)?.paragraphs.join('\n') ?? '';
  assert.equal(r.title, 'Privacyverklaring van Koffiebranderij De Boon B.V. (versie v2)');
  assert.deepEqual(r.sections.slice(0, 2).map((s) => s.heading), ['Wie wij zijn', 'Functionaris gegevensbescherming']);
  assert.match(text('13(1)(a)'), /KvK-nummer: 12345678/);
  assert.match(text('13(1)(a)'), /info@deboon\.nl/);
  assert.match(text('13(1)(b)'), /geen functionaris/);
  assert.match(text('13(1)(c)'), /Koffietips — op basis van uw toestemming \(art\. 6 lid 1 onder a AVG\)/);
  assert.match(text('13(1)(d)'), /Aanbiedingen voor klanten: Klanten op de hoogte houden/);
  assert.match(text('13(1)(f)'), /SendCo in Verenigde Staten — met modelcontractbepalingen/);
  assert.match(text('13(2)(d)'), /Postbus 93374/);
  assert.match(text('13(2)(f)'), /art\. 22 AVG/);
});

test('no HTML escaping in plain text', () => {
  const c = { ...full, controller: { ...full.controller, name: 'Smit & Zn <B.V.>' } };
  const r = renderNotice(c, 'en', '1');
  assert.match(r.title, /Smit & Zn <B\.V\.>/);
  assert.match(r.sections[0]!.paragraphs[0]!, /^Smit & Zn <B\.V\.> is the controller/);
});

test('unanswered and inapplicable sections are left out; "none" is rendered', () => {
  const d = draftNotice(org, [{ ...purposes[0]!, basis: 'A6-1-b' }]);
  const items = renderNotice(d, 'en', '1').sections.map((s) => s.item);
  for (const absent of ['13(1)(b)', '13(1)(d)', '13(1)(e)', '13(1)(f)', '13(2)(c)', '13(2)(e)', '14(1)(d)']) assert.ok(!items.includes(absent), absent);
  const none = renderNotice({ ...d, recipients: 'none', transfers: 'none' }, 'en', '1').sections;
  assert.deepEqual(none.find((s) => s.item === '13(1)(e)')?.paragraphs, ['We do not give your data to anyone else.']);
  assert.match(none.find((s) => s.item === '13(1)(f)')?.paragraphs[0] ?? '', /not processed outside the European Economic Area/);
});
