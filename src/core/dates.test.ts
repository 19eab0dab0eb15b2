import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from './dates.js';

it('reads ISO and Dutch day-first dates as UTC', () => {
  assert.equal((parseDate('2026-01-31') as Date).toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal((parseDate('31-01-2026') as Date).toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal((parseDate('2026-01-31 13:45:00') as Date).toISOString(), '2026-01-31T13:45:00.000Z');
  assert.equal((parseDate('1-4-2023 10:00') as Date).toISOString(), '2023-04-01T10:00:00.000Z');
  assert.equal((parseDate('01/04/2023 9:05:30') as Date).toISOString(), '2023-04-01T09:05:30.000Z');
  assert.equal(parseDate('  '), null);
});

it('reads zone offsets, also as Go writes them (listmonk exports)', () => {
  assert.equal((parseDate('2024-03-05T14:22:01+01:00') as Date).toISOString(), '2024-03-05T13:22:01.000Z');
  assert.equal((parseDate('2024-03-05 14:22:01.123456 +0000 +0000') as Date).toISOString(), '2024-03-05T14:22:01.000Z');
  assert.equal((parseDate('2024-03-05 14:22:01 +0100 CET') as Date).toISOString(), '2024-03-05T13:22:01.000Z');
  assert.equal(parseDate('2024-03-05 14:22:01 CET'), 'invalid');
});

it('refuses dates that do not exist instead of rolling them over', () => {
  for (const bad of ['2026-02-30', '30-02-2026', '2026-13-01', 'morgen', '31/04/2026', '2026-01-31 25:00:00 +0100', '1-4-2023 24:00', '1-4-2023 10:61']) assert.equal(parseDate(bad), 'invalid', bad);
});
