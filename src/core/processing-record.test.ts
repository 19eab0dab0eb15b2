import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processingRecord, toCsv, RECORD_COLUMNS, type RecordPurposeInput } from './processing-record.js';
import type { Organisation } from './organisation.js';

const org: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Markt 1, 1234 AB Utrecht',
  replyTo: 'info@deboon.nl',
  fromAddress: 'nieuws@deboon.nl',
  dpoContact: 'fg@deboon.nl',
  chamberOfCommerce: '12345678',
};
const purposes: RecordPurposeInput[] = [
  { id: 'tips', name_nl: 'Koffietips', name_en: 'Coffee tips', basis: 'A6-1-a', category: 'purpose_marketing', retention_en: 'Until unsubscribed' },
  { id: 'offers', name_nl: 'Klantaanbiedingen', name_en: 'Customer offers', basis: 'A6-1-f', category: 'customer_marketing' },
];
const processors = [
  { name: 'Mailer GmbH', service_nl: 'E-mail verzenden', service_en: 'Sending e-mail', country: 'DE' },
  { name: 'SendCo', service_nl: 'Bounces verwerken', service_en: 'Handling bounces', country: 'US', safeguard: 'standard_contractual_clauses' as const },
  { name: 'HostCo', service_nl: 'Hosting', service_en: 'Hosting', country: 'GB' },
];

test('one row per purpose with every art. 30(1) field filled', () => {
  const rows = processingRecord(org, purposes, processors, { withdrawn_after_days: 0, former_customer_after_years: 2 });
  assert.equal(rows.length, 2);
  for (const r of rows) for (const c of RECORD_COLUMNS) assert.ok(r[c].length > 0, c);
  const [tips, offers] = rows;
  assert.equal(tips!.activity, 'Coffee tips');
  assert.equal(tips!.controller, 'Koffiebranderij De Boon B.V., Markt 1, 1234 AB Utrecht, CoC 12345678');
  assert.equal(tips!.contact, 'info@deboon.nl; DPO: fg@deboon.nl');
  assert.equal(tips!.lawfulBasis, 'GDPR 6(1)(a) consent');
  assert.equal(offers!.lawfulBasis, 'GDPR 6(1)(f) legitimate interest');
  assert.equal(tips!.dataSubjects, 'Subscribers who gave consent');
  assert.match(offers!.dataCategories, /purchase date/);
  assert.doesNotMatch(tips!.dataCategories, /purchase/);
  assert.match(tips!.retention, /^Until unsubscribed; .*after withdrawal or objection: at the next hourly retention run.*former customers: 2 years/);
  assert.match(tips!.recipients, /Mailer GmbH \(processor: Sending e-mail\)/);
});

test('transfers list only non-EEA processors, with their safeguard or a flag', () => {
  const [r] = processingRecord(org, purposes, processors, {});
  assert.equal(r!.transfers, 'SendCo, US: standard contractual clauses (GDPR 46(2)(c)); HostCo, GB: safeguard not recorded');
  const [eea] = processingRecord(org, purposes, processors.slice(0, 1), {});
  assert.equal(eea!.transfers, 'None outside the EEA');
});

test('Dutch rows', () => {
  const [r] = processingRecord(org, purposes, [], { withdrawn_after_days: 14 }, { lang: 'nl' });
  assert.equal(r!.activity, 'Koffietips');
  assert.equal(r!.lawfulBasis, 'AVG 6(1)(a) toestemming');
  assert.equal(r!.recipients, 'Geen');
  assert.match(r!.retention, /na intrekking of bezwaar: 14 dagen/);
  assert.match(r!.controller, /KvK 12345678/);
});

test('toCsv: header row, RFC 4180 quoting, CRLF', () => {
  const rows = processingRecord({ ...org, name: 'De "Boon", B.V.' }, purposes.slice(0, 1), [], {}, { security: { nl: 'a\nb', en: 'line1\nline2' } });
  const csv = toCsv(rows);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'Processing activity,Controller,Contact / DPO,Lawful basis,Categories of data subjects,Categories of personal data,Recipients,Transfers outside the EEA,Time limits for erasure,Security measures');
  assert.ok(lines[1]!.startsWith('Coffee tips,"De ""Boon"", B.V., Markt 1, 1234 AB Utrecht, CoC 12345678",'));
  assert.ok(csv.includes('"line1\nline2"'), 'newline inside a quoted field');
  assert.ok(csv.endsWith('\r\n'));
  assert.equal(toCsv([], 'nl').split('\r\n')[0]!.split(',')[0], 'Verwerking');
});
