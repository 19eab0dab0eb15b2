// The sign-up counters and spent challenges (migration 010) on both databases: a window starts at its first hit
// and a hit after it ends starts a new one; a challenge is spent once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { countHit, spendChallenge, uncountHit } from '../../src/store/signup-guard.js';

const HOUR = 3600_000;

for (const dialect of DIALECTS) {
  describe(`sign-up guard store (${dialect.name})`, () => {
    it('counts hits in a window that starts at the first hit; takes one back; starts over after it', async () => {
      const store = await dialect.open();
      try {
        const t0 = new Date('2026-01-01T10:00:00Z');
        const at = (ms: number) => new Date(t0.getTime() + ms);
        assert.equal(await countHit(store.db, 'k', HOUR, t0), 1);
        assert.equal(await countHit(store.db, 'k', HOUR, at(HOUR - 1)), 2);
        assert.equal(await countHit(store.db, 'other', HOUR, at(10)), 1);
        await uncountHit(store.db, 'k');
        assert.equal(await countHit(store.db, 'k', HOUR, at(HOUR - 1)), 2);
        assert.equal(await countHit(store.db, 'k', HOUR, at(HOUR + 20)), 1, 'a new window');
        const rows = await store.db.selectFrom('signup_counters').select('key').orderBy('key').execute();
        assert.deepEqual(rows.map((r) => r.key), ['k'], 'the ended counter was deleted on the way');
      } finally {
        await store.dispose();
      }
    });

    it('spends a challenge once, and forgets it after it expired', async () => {
      const store = await dialect.open();
      try {
        const now = new Date('2026-01-01T10:00:00Z');
        const exp = new Date(now.getTime() + HOUR);
        assert.equal(await spendChallenge(store.db, 'd1', exp, now), true);
        assert.equal(await spendChallenge(store.db, 'd1', exp, now), false, 'a replay');
        assert.equal(await spendChallenge(store.db, 'd2', new Date(exp.getTime() + HOUR), exp), true);
        const left = await store.db.selectFrom('spent_challenges').select('digest').execute();
        assert.deepEqual(left.map((r) => r.digest), ['d2']);
      } finally {
        await store.dispose();
      }
    });
  });
}
