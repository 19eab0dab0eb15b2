import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addMonths,
  completeRequest,
  dueDate,
  extend,
  openRequest,
  requestDueDate,
  requestState,
} from './requests.js';

const d = (s: string) => new Date(s);
const iso = (x: Date) => x.toISOString();

test('dueDate: 31 January → last day of February, time of day kept (Reg. 1182/71 3(2)(c))', () => {
  assert.equal(iso(dueDate(d('2025-01-31T14:30:00.000Z'))), '2025-02-28T14:30:00.000Z');
  assert.equal(iso(dueDate(d('2024-01-31T14:30:00.000Z'))), '2024-02-29T14:30:00.000Z');
});

test('dueDate: 30 April → 30 May; 15 December → 15 January next year', () => {
  assert.equal(iso(dueDate(d('2025-04-30T08:00:00.000Z'))), '2025-05-30T08:00:00.000Z');
  assert.equal(iso(dueDate(d('2025-12-15T08:00:00.000Z'))), '2026-01-15T08:00:00.000Z');
});

test('addMonths counts from the original day, and rejects fractions', () => {
  assert.equal(iso(addMonths(d('2025-01-31T00:00:00.000Z'), 3)), '2025-04-30T00:00:00.000Z');
  assert.equal(iso(addMonths(d('2025-03-31T00:00:00.000Z'), -1)), '2025-02-28T00:00:00.000Z');
  assert.throws(() => addMonths(d('2025-01-01'), 1.5), RangeError);
  assert.throws(() => addMonths(new Date('nonsense'), 1), RangeError);
});

test('extend to three months in total, counted from receipt', () => {
  const r = openRequest('r1', 'access', d('2025-01-31T10:00:00.000Z'));
  const once = extend(r, 1, 'many requests');
  assert.equal(iso(requestDueDate(once)), '2025-03-31T10:00:00.000Z');
  const twice = extend(once, 1, 'complex request');
  assert.equal(twice.extensionMonths, 2);
  assert.deepEqual(twice.extensionReasons, ['many requests', 'complex request']);
  assert.equal(iso(requestDueDate(twice)), '2025-04-30T10:00:00.000Z');
  assert.equal(iso(requestDueDate(extend(r, 2, 'complex'))), '2025-04-30T10:00:00.000Z');
  assert.equal(r.extensionMonths, 0, 'the original is not changed');
});

test('extend refuses a third month', () => {
  const r = extend(openRequest('r1', 'erasure', d('2025-01-10T10:00:00Z')), 2, 'complex');
  assert.throws(() => extend(r, 1, 'still complex'), /two further months/);
  const one = extend(openRequest('r2', 'erasure', d('2025-01-10T10:00:00Z')), 1, 'complex');
  assert.throws(() => extend(one, 2, 'more'), /two further months/);
});

test('extend refuses without a reason, when done, or after the first month', () => {
  const r = openRequest('r1', 'portability', d('2025-01-10T10:00:00Z'));
  assert.throws(() => extend(r, 1, ''), /reason/);
  assert.throws(() => extend(r, 1, '   '), /reason/);
  assert.throws(() => extend(completeRequest(r, d('2025-01-12T00:00:00Z')), 1, 'x'), /done/);
  assert.throws(() => extend(r, 1, 'late', d('2025-02-11T00:00:00Z')), /within one month/);
  assert.equal(extend(r, 1, 'in time', d('2025-02-09T00:00:00Z')).extensionMonths, 1);
});

test('requestState: open, due_soon at 7 days, overdue, extended, done', () => {
  const r = openRequest('r1', 'objection', d('2025-03-01T12:00:00Z')); // due 2025-04-01T12:00Z
  assert.equal(requestState(r, d('2025-03-02T00:00:00Z')), 'open');
  assert.equal(requestState(r, d('2025-03-25T11:59:59Z')), 'open');
  assert.equal(requestState(r, d('2025-03-25T12:00:00Z')), 'due_soon');
  assert.equal(requestState(r, d('2025-04-01T12:00:00Z')), 'due_soon');
  assert.equal(requestState(r, d('2025-04-01T12:00:01Z')), 'overdue');
  const ext = extend(r, 1, 'complex');
  assert.equal(requestState(ext, d('2025-04-02T00:00:00Z')), 'extended');
  assert.equal(requestState(ext, d('2025-04-28T00:00:00Z')), 'due_soon');
  assert.equal(requestState(ext, d('2025-05-02T00:00:00Z')), 'overdue');
  assert.equal(requestState(completeRequest(r, d('2025-03-05T00:00:00Z')), d('2025-09-01T00:00:00Z')), 'done');
});

test('openRequest rejects an unknown kind', () => {
  assert.throws(() => openRequest('r', 'deletion' as never, d('2025-01-01')), RangeError);
});
