import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, isTimeZone, localBucket, offsetAt, parseWallTime, resolveWallTime } from './zoned-time.js';

const AMS = 'Europe/Amsterdam';
const wall = (text: string) => parseWallTime(text)!.wall;
const instant = (text: string, zone = AMS) => {
  const r = resolveWallTime(wall(text), zone);
  assert.ok(r.ok, `${text} should resolve`);
  return r.instant.toISOString();
};

describe('zoned time (Europe/Amsterdam around the 2026 DST changes)', () => {
  it('resolves ordinary winter and summer times with their offsets', () => {
    assert.equal(instant('2026-01-15 09:00'), '2026-01-15T08:00:00.000Z');
    assert.equal(instant('2026-07-01 09:00'), '2026-07-01T07:00:00.000Z');
    assert.equal(offsetAt(Date.parse('2026-07-01T07:00:00Z'), AMS), 120);
  });

  it('March: 01:59 is winter time, 03:00 summer time, and 02:00–02:59 does not exist', () => {
    assert.equal(instant('2026-03-29 01:59'), '2026-03-29T00:59:00.000Z');
    assert.equal(instant('2026-03-29 03:00'), '2026-03-29T01:00:00.000Z');
    for (const t of ['2026-03-29 02:00', '2026-03-29 02:30', '2026-03-29 02:59']) {
      assert.deepEqual(resolveWallTime(wall(t), AMS), { ok: false, problem: 'nonexistent', gapStart: '02:00', gapEnd: '03:00' });
    }
    // The same wall time a day before and after is fine.
    assert.equal(instant('2026-03-28 02:30'), '2026-03-28T01:30:00.000Z');
    assert.equal(instant('2026-03-30 02:30'), '2026-03-30T00:30:00.000Z');
  });

  it('October: 02:00–02:59 happens twice; an offset picks one; 03:00 is winter time', () => {
    assert.deepEqual(resolveWallTime(wall('2026-10-25 02:30'), AMS), {
      ok: false,
      problem: 'ambiguous',
      foldStart: '02:00',
      foldEnd: '03:00',
      offsets: [120, 60],
    });
    assert.equal(resolveWallTime(wall('2026-10-25 02:00'), AMS).ok, false);
    assert.equal(instant('2026-10-25 01:59'), '2026-10-24T23:59:00.000Z');
    assert.equal(instant('2026-10-25 03:00'), '2026-10-25T02:00:00.000Z');
    const first = parseWallTime('2026-10-25 02:30+02:00')!;
    const second = parseWallTime('2026-10-25T02:30+01:00')!;
    const r1 = resolveWallTime(first.wall, AMS, first.offsetMinutes);
    const r2 = resolveWallTime(second.wall, AMS, second.offsetMinutes);
    assert.ok(r1.ok && r2.ok);
    assert.equal(r1.instant.toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(r2.instant.toISOString(), '2026-10-25T01:30:00.000Z');
    assert.deepEqual(resolveWallTime(wall('2026-10-25 12:00'), AMS, 120), { ok: false, problem: 'wrong-offset', offsets: [60] });
  });

  it('formats instants in the zone, and buckets by local hour and day', () => {
    assert.equal(formatInZone(new Date('2026-03-29T01:30:00Z'), AMS), '2026-03-29 03:30 +02:00');
    assert.equal(formatInZone(new Date('2026-10-25T01:30:00Z'), AMS), '2026-10-25 02:30 +01:00');
    assert.equal(localBucket(new Date('2026-10-24T22:30:00Z'), AMS, 'day'), '2026-10-25');
    assert.equal(localBucket(new Date('2026-10-24T22:30:00Z'), AMS, 'hour'), '2026-10-25 00:00');
  });

  it('works in other zones and refuses malformed input and unknown zones', () => {
    assert.equal(instant('2026-03-08 02:30', 'UTC'), '2026-03-08T02:30:00.000Z');
    assert.equal(resolveWallTime(wall('2026-03-08 02:30'), 'America/New_York').ok, false);
    assert.equal(instant('2026-06-01 12:00', 'Asia/Kolkata'), '2026-06-01T06:30:00.000Z');
    assert.equal(parseWallTime('2026-02-30 10:00'), null);
    assert.equal(parseWallTime('2026-01-01 24:00'), null);
    assert.equal(parseWallTime('tomorrow 10:00'), null);
    assert.equal(isTimeZone('Europe/Amsterdam'), true);
    assert.equal(isTimeZone('Mars/Base'), false);
  });
});
