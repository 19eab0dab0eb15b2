import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from './dates.js';

it('reads ISO and Dutch day-first dates as UTC', () => {
  assert.equal((parseDate('2026-01-31') as Date).toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal((parseDate('31-01-2026') as Date).toISOString(), '2026-01-31T00:00:00.000Z');
  assert.equal((parseDate('2026-01-31 13:45:00') as Date).toISOString(), '2026-01-31T13:45:00.000Z');
  assert.equal(parseDate('  '), null);
});

it('refuses dates that do not exist instead of rolling them over', () => {
  for (const bad of ['2026-02-30', '30-02-2026', '2026-13-01', 'morgen', '31/04/2026']) assert.equal(parseDate(bad), 'invalid', bad);
});
