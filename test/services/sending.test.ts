/**
 * Sending at scale against real SMTP peers (smtp-server in-process): what a relay's refusal does to a campaign
 * (issue 11 point 4), pacing a throttling relay, fencing with several senders on PostgreSQL, and kill -9.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DIALECTS, PG_URL, postgresStore, sqliteStore, type TestStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { seedSubscribers, subscriberAddress } from '../support/audience.js';
import { startPeer, type PeerRules, type SmtpPeer } from '../support/smtp-peer.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign } from '../../src/services/campaigns/control.js';
import { drainQueue, type DrainOptions } from '../../src/services/campaigns/send.js';
import { LocalPacer, SharedPacer } from '../../src/services/campaigns/pacing.js';
import { SmtpMailer } from '../../src/mail/smtp.js';
import { openStore } from '../../src/store/db.js';
import { suppressionHash } from '../../src/core/suppression.js';
import { suppressionOf } from '../../src/store/suppressions.js';
import { systemClock, type Deps } from '../../src/services/deps.js';
import { buildApp } from '../../src/web/app.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';

const FAST = { connectionMs: 1000, greetingMs: 1000, socketMs: 1000 };
const quiet: DrainOptions = { log: () => {} };

/** A world whose mail goes to `peer`; `real` uses the system clock (retries, leases in real time). */
async function sendingWorld(store: TestStore, peer: SmtpPeer, n: number, real = false) {
  const w = await world(store);
  const mailer = new SmtpMailer(peer.url, { timeouts: FAST });
  const deps: Deps = { ...w.deps, mailer, ...(real && { clock: systemClock }) };
  const ids = await seedSubscribers(store.db, 'tips', n);
  return { w, deps, ids, mailer };
}

async function newCampaign(deps: Deps, name = 'Nieuws'): Promise<string> {
  const c = await createCampaign(deps, { name, purposeId: 'tips', subject: 'Hallo {{ first_name }}', body: 'Tekst voor {{ first_name }}.' });
  await startCampaign(deps, c.id);
  return c.id;
}

async function suppressedCount(store: TestStore): Promise<number> {
  const s = await store.db.selectFrom('suppressions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const c = await store.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).where('suppression', 'is not', null).executeTakeFirstOrThrow();
  return Number(s.n) + Number(c.n);
}

/** Every address 0…n-1 accepted exactly once. */
function assertEachOnce(peer: SmtpPeer, n: number): void {
  const twice = [...peer.accepted].filter(([, k]) => k > 1).map(([a]) => a);
  assert.deepEqual(twice, [], 'no recipient gets two messages');
  for (let i = 0; i < n; i++) assert.equal(peer.accepted.get(subscriberAddress(i)), 1, `${subscriberAddress(i)} got its message`);
  assert.equal(peer.total(), n);
}

describe('a relay that refuses for its own reasons pauses the campaign and suppresses nobody', () => {
  const cases: Array<[string, PeerRules, RegExp]> = [
    ['554 at MAIL FROM', { mailFrom: () => ({ code: 554, text: 'Sender address not verified' }) }, /554.*not verified/],
    ['535 at AUTH', { auth: () => ({ code: 535, text: '5.7.8 Authentication credentials invalid' }) }, /535.*credentials invalid/],
    ['5.7.1 at RCPT for every recipient', { rcpt: () => ({ code: 550, text: '5.7.1 Relaying denied' }) }, /550 5\.7\.1 Relaying denied/],
  ];
  for (const [name, broken, reason] of cases) {
    it(`${name}: paused with the reason, then resume after the fix delivers everyone once`, async () => {
      const store = await sqliteStore();
      const peer = await startPeer({ ...broken });
      const { deps, mailer } = await sendingWorld(store, peer, 20);
      try {
        const id = await newCampaign(deps);
        const r = await drainQueue(deps, quiet);
        assert.equal(r.sent, 0);
        assert.equal(r.paused, 1);
        const p = await campaignProgress(deps, id);
        assert.equal(p.status, 'paused');
        assert.match(p.pausedReason!, reason);
        assert.match(p.lastRelayError!, reason);
        assert.equal(p.deliveries.queued, 20, 'every delivery waits, none failed or bounced');
        assert.equal(await suppressedCount(store), 0, 'nobody is suppressed');
        // Still paused: a worker claims nothing.
        assert.equal((await drainQueue(deps, quiet)).claimed, 0);
        // The API shows the same, in the list and for the campaign, and resumes it.
        const app = await buildApp(deps);
        const auth = { authorization: `Bearer ${await createApiKey(deps, 'test')}` };
        try {
          const list = (await app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: auth })).json() as Array<{ id: string; paused_reason: string }>;
          assert.match(list.find((c) => c.id === id)!.paused_reason, reason);
          const shown = await app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}`, headers: auth });
          assert.equal(shown.statusCode, 200);
          assert.match(shown.json().lastRelayError, reason);
          peer.rules = {};
          const resumed = await app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/resume`, headers: auth });
          assert.equal(resumed.json().status, 'sending');
          const twice = await app.inject({ method: 'POST', url: `/api/v1/campaigns/${id}/resume`, headers: auth });
          assert.equal(twice.statusCode, 409);
        } finally {
          await app.close();
        }
        const again = await drainQueue(deps, quiet);
        assert.equal(again.sent, 20);
        assertEachOnce(peer, 20);
        const done = await campaignProgress(deps, id);
        assert.equal(done.status, 'sent');
        assert.equal(done.pausedReason, null);
        assert.match(done.lastRelayError!, reason, 'the last relay error stays visible');
      } finally {
        await mailer.close();
        await peer.close();
        await store.dispose();
      }
    });
  }

  it('the same 5.1.1 for several different recipients in a row is the relay\'s, not theirs', async () => {
    const store = await sqliteStore();
    const peer = await startPeer({ rcpt: (to) => ({ code: 550, text: `5.1.1 <${to}>: Recipient address rejected: User unknown in relay table` }) });
    const { deps, mailer } = await sendingWorld(store, peer, 12);
    try {
      const id = await newCampaign(deps);
      await drainQueue(deps, { ...quiet, concurrency: 1 });
      const p = await campaignProgress(deps, id);
      assert.equal(p.status, 'paused');
      assert.match(p.pausedReason!, /same permanent reply for 5 different recipients/);
      assert.equal(await suppressedCount(store), 0);
    } finally {
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });
});

describe('pause, resume and cancel while sending', () => {
  it('pause mid-campaign stops it, resume finishes it, cancel ends another: nobody gets two messages', async () => {
    const store = await sqliteStore();
    const peer = await startPeer();
    const { deps, mailer } = await sendingWorld(store, peer, 300);
    const until = async (n: number) => {
      for (let i = 0; i < 3000 && peer.total() < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      const id = await newCampaign(deps);
      const running = drainQueue(deps, { ...quiet, batchSize: 20 });
      await until(50);
      await pauseCampaign(deps, id);
      await running;
      const paused = await campaignProgress(deps, id);
      assert.equal(paused.status, 'paused');
      assert.equal(paused.pausedReason, 'operator');
      assert.ok(peer.total() < 300, `paused before the end (${peer.total()} sent)`);
      assert.equal(paused.deliveries.sent, peer.total());
      await resumeCampaign(deps, id);
      await drainQueue(deps, quiet);
      assertEachOnce(peer, 300);
      assert.equal((await campaignProgress(deps, id)).status, 'sent');

      peer.accepted.clear();
      const other = await newCampaign(deps, 'Ander');
      const second = drainQueue(deps, { ...quiet, batchSize: 20 });
      await until(50);
      const { cancelled } = await cancelCampaign(deps, other);
      await second;
      const p = await campaignProgress(deps, other);
      assert.equal(p.status, 'cancelled');
      assert.ok(cancelled > 0);
      assert.equal((p.deliveries.sent ?? 0) + (p.deliveries.cancelled ?? 0), 300, 'every delivery sent or cancelled');
      assert.equal(p.deliveries.sent, peer.total());
      assert.ok([...peer.accepted.values()].every((k) => k === 1));
      await assert.rejects(resumeCampaign(deps, other), /cancelled; it cannot be resumed/);
    } finally {
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });
});

describe('recipient-specific refusals', () => {
  for (const d of DIALECTS) {
    it(`550 5.1.1 for one address among 100: that one is suppressed, the other 99 delivered (${d.name})`, async () => {
      const store = await d.open();
      const bad = subscriberAddress(37);
      const peer = await startPeer({ rcpt: (to) => (to === bad ? { code: 550, text: `5.1.1 <${to}>: user unknown` } : null) });
      const { deps, mailer, ids } = await sendingWorld(store, peer, 100);
      try {
        const id = await newCampaign(deps);
        const r = await drainQueue(deps, quiet);
        assert.deepEqual([r.sent, r.bounced, r.paused], [99, 1, 0]);
        assert.equal(peer.total(), 99);
        assert.equal(peer.accepted.has(bad), false);
        assert.equal(await suppressionOf(store.db, suppressionHash(deps.secret, bad)), 'hard_bounce');
        const row = await store.db.selectFrom('deliveries').select(['state', 'smtp_reply']).where('contact_id', '=', ids[37]!).executeTakeFirstOrThrow();
        assert.equal(row.state, 'bounced');
        assert.match(row.smtp_reply!, /5\.1\.1/);
        assert.equal((await campaignProgress(deps, id)).status, 'sent');
      } finally {
        await mailer.close();
        await peer.close();
        await store.dispose();
      }
    });
  }

  it('552 5.2.2 (mailbox full): retried, counted soft, suppressed only at the soft-bounce limit', async () => {
    const store = await sqliteStore();
    const full = subscriberAddress(2);
    const peer = await startPeer({ rcpt: (to) => (to === full ? { code: 552, text: '5.2.2 Mailbox full' } : null) });
    const { deps, mailer, w } = await sendingWorld(store, peer, 5);
    const hash = suppressionHash(deps.secret, full);
    try {
      // Default limit: soft bounces of 3 different deliveries within 30 days.
      for (let campaign = 1; campaign <= 3; campaign++) {
        await newCampaign(deps, `c${campaign}`);
        const first = await drainQueue(deps, { ...quiet, maxAttempts: 2, backoffMs: 1000 });
        assert.deepEqual([first.sent, first.retried, first.failed], [4, 1, 0], 'retried, not failed at once');
        // The third delivery that soft-bounces reaches the limit.
        assert.equal(await suppressionOf(store.db, hash), campaign < 3 ? null : 'soft_bounce_limit', `after campaign ${campaign}`);
        w.clock.advance(1500);
        const second = await drainQueue(deps, { ...quiet, maxAttempts: 2, backoffMs: 1000 });
        if (campaign < 3) assert.deepEqual([second.sent, second.failed], [0, 1], 'failed after its attempts, not bounced');
        else assert.deepEqual([second.sent, second.blocked], [0, 1], 'suppressed: blocked at claim time');
      }
      const events = await store.db.selectFrom('delivery_events').select(['kind', 'status']).execute();
      assert.ok(events.length >= 3 && events.every((e) => e.kind === 'soft_bounce' && e.status === '5.2.2'));
      assert.equal(peer.accepted.has(full), false);
    } finally {
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });
});

describe('pacing', () => {
  it('a relay answering 454 above 14 msg/s gets all 200 messages within 30 s and only a few 454s', async () => {
    const store = await sqliteStore();
    const accepted: number[] = [];
    const peer = await startPeer({
      mailFrom: () => {
        const now = performance.now();
        while (accepted.length && now - accepted[0]! > 1000) accepted.shift();
        if (accepted.length >= 14) return { code: 454, text: '4.7.0 Throttling failure: Maximum sending rate exceeded' };
        accepted.push(now);
        return null;
      },
    });
    const { deps, mailer } = await sendingWorld(store, peer, 200, true);
    try {
      await newCampaign(deps);
      const started = performance.now();
      const r = await drainQueue(deps, { ...quiet, pacer: new LocalPacer({ perSecond: null, perHour: null }), throttleRetryMs: 1000, waitForRetriesMs: 10_000 });
      const seconds = (performance.now() - started) / 1000;
      assertEachOnce(peer, 200);
      assert.equal(r.failed, 0);
      const throttled = peer.refused.get(454) ?? 0;
      assert.ok(throttled <= 30, `${throttled} 454 replies`);
      assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
      assert.equal(await suppressedCount(store), 0);
    } finally {
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });
});

/**
 * `k` sender processes' worth of workers: each its own connection pool to the database and its own SMTP pool;
 * `own` adds options per sender (its own pacer on its own connections).
 */
async function senders(
  store: TestStore, peer: SmtpPeer, k: number, base: Deps, opts: DrainOptions,
  timeouts = { connectionMs: 500, greetingMs: 500, socketMs: 500 },
  own: (s: Awaited<ReturnType<typeof openStore>>) => DrainOptions = () => ({}),
) {
  const out: Array<{ s: Awaited<ReturnType<typeof openStore>>; mailer: SmtpMailer; run: () => ReturnType<typeof drainQueue> }> = [];
  for (let i = 0; i < k; i++) {
    const s = await openStore(store.target);
    const mailer = new SmtpMailer(peer.url, { timeouts });
    const mine = { ...opts, ...own(s) };
    out.push({ s, mailer, run: () => drainQueue({ ...base, db: s.db, mailer }, mine) });
  }
  return {
    run: () => Promise.all(out.map((x) => x.run())),
    close: async () => {
      for (const x of out) {
        await x.mailer.close();
        await x.s.close();
      }
    },
  };
}

describe('several senders on PostgreSQL', { skip: PG_URL ? false : 'CONSENTRY_TEST_PG_URL is not set' }, () => {
  it('a peer that stops answering after DATA: the worker times out inside its lease; two senders, nobody gets two messages', async () => {
    const store = await postgresStore();
    let hangs = 3;
    const peer = await startPeer({ data: () => (hangs-- > 0 ? 'hang' : null) });
    const { deps, mailer } = await sendingWorld(store, peer, 40, true);
    // Transaction limit 0.5 + 0.5 + 5 × 0.5 = 3.5 s, inside the 5 s lease.
    const group = await senders(store, peer, 2, deps, { ...quiet, leaseMs: 5000, transactionLimitMs: 3500, backoffMs: 200, waitForRetriesMs: 10_000, batchSize: 10 });
    try {
      const id = await newCampaign(deps);
      const results = await group.run();
      assert.equal(peer.hung, 3);
      assertEachOnce(peer, 40);
      assert.equal(results.reduce((a, r) => a + r.sent, 0), 40);
      assert.equal((await campaignProgress(deps, id)).status, 'sent');
    } finally {
      await group.close();
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });

  it('two senders with SMTP_RATE 15 share one budget: the relay sees at most 15 a second plus the burst, not 30', async () => {
    const store = await postgresStore();
    const starts: number[] = [];
    const peer = await startPeer({ mailFrom: () => (starts.push(performance.now()), null) });
    const { deps, mailer } = await sendingWorld(store, peer, 90, true);
    const rate = 15;
    const group = await senders(store, peer, 2, deps, { ...quiet, batchSize: 20, backoffMs: 200, waitForRetriesMs: 10_000 }, FAST, (s) => ({
      pacer: new SharedPacer(s.db, 'postgres', 'relay.test:587', { perSecond: rate, perHour: null }),
    }));
    try {
      await newCampaign(deps);
      const results = await group.run();
      assertEachOnce(peer, 90);
      assert.ok(results.every((r) => r.sent > 0), `both sent: ${results.map((r) => r.sent).join(', ')}`);
      // Counted at the relay: in any one second at most the rate, the bucket's burst (1.5) and one grant per
      // sender (1 each), with room for a late start bunching up on a loaded machine; apart the two would do 30.
      const busiest = Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 1000).length));
      assert.ok(busiest <= rate + 6, `${busiest} messages in the busiest second`);
      // And over the whole run: 90 messages, less the burst and grants up front, take at least 80 / 15 s.
      const span = (starts[starts.length - 1]! - starts[0]!) / 1000;
      assert.ok(span >= (90 - 10) / rate - 1, `90 messages in ${span.toFixed(2)} s`);
    } finally {
      await group.close();
      await mailer.close();
      await peer.close();
      await store.dispose();
    }
  });

  it('a throttling reply seen by one sender slows the shared bucket for the other', async () => {
    const store = await postgresStore();
    const one = await openStore(store.target);
    const two = await openStore(store.target);
    try {
      const limits = { perSecond: 40, perHour: null };
      const a = new SharedPacer(one.db, 'postgres', 'relay.test:587', limits);
      const b = new SharedPacer(two.db, 'postgres', 'relay.test:587', limits);
      await a.take();
      await b.take();
      assert.equal(b.currentRate(), 40);
      await a.throttled();
      await a.throttled(); // the same burst of refusals counts once
      // b learns the lower rate from the shared row at its next grant.
      for (let i = 0; i < 3; i++) await b.take();
      assert.ok(b.currentRate()! <= 40 * 0.7 + 1, `b now paces at ${b.currentRate()} msg/s`);
      const row = await store.db.selectFrom('relay_budgets').selectAll().where('relay', '=', 'relay.test:587').executeTakeFirstOrThrow();
      assert.ok(Number(row.rate) < 30 && Number(row.rate) >= 27, `shared rate ${row.rate}`);
    } finally {
      await one.close();
      await two.close();
      await store.dispose();
    }
  });

  it('two and then three senders on one campaign of 2,000: each recipient once', async () => {
    const store = await postgresStore();
    const base = await sendingWorld(store, await startPeer(), 2000, true);
    await base.mailer.close();
    try {
      for (const k of [2, 3]) {
        const peer = await startPeer();
        const group = await senders(store, peer, k, base.deps, { ...quiet, batchSize: 100, backoffMs: 200, waitForRetriesMs: 10_000 }, FAST);
        try {
          const id = await newCampaign(base.deps, `k${k}`);
          const results = await group.run();
          assertEachOnce(peer, 2000);
          assert.ok(results.every((r) => r.sent > 0), `every sender sent some: ${results.map((r) => r.sent).join(', ')}`);
          assert.equal((await campaignProgress(base.deps, id)).status, 'sent');
        } finally {
          await group.close();
          await peer.close();
        }
      }
    } finally {
      await store.dispose();
    }
  });
});

describe('kill -9', () => {
  it('kill -9 of the sender mid-campaign of 2,000, then restart: every recipient once, apart from those in flight at the kill', async () => {
    const store = await sqliteStore();
    const peer = await startPeer();
    const { deps, mailer, ids } = await sendingWorld(store, peer, 2000);
    await mailer.close();
    const addressOf = new Map(ids.map((id, i) => [id, subscriberAddress(i)]));
    try {
      const id = await newCampaign(deps);
      const child = () =>
        spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/send-child.ts', import.meta.url))], {
          env: { ...process.env, CHILD_DB: store.target, CHILD_SMTP: peer.url, CHILD_SECRET: deps.secret, CHILD_CAMPAIGN: id, CHILD_LEASE_MS: '10000' },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
      const exited = (p: ReturnType<typeof child>) => new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
      const first = child();
      const firstExit = exited(first);
      for (let i = 0; i < 12_000 && peer.total() < 600; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(peer.total() >= 600 && peer.total() < 2000, `killed mid-campaign at ${peer.total()}`);
      first.kill('SIGKILL');
      await firstExit;
      const atKill = await store.db.selectFrom('deliveries').select('contact_id').where('campaign_id', '=', id).where('state', '=', 'claimed').execute();
      const inFlight = new Set(atKill.map((r) => addressOf.get(r.contact_id)!));
      assert.ok(inFlight.size <= 100, `at most one batch in flight: ${inFlight.size}`);

      const second = child();
      assert.equal(await exited(second), 0);
      const twice = [...peer.accepted].filter(([, k]) => k > 1).map(([a]) => a);
      for (const a of twice) assert.ok(inFlight.has(a), `${a} got two messages but was not in flight at the kill`);
      for (let i = 0; i < 2000; i++) assert.ok((peer.accepted.get(subscriberAddress(i)) ?? 0) >= 1, `${subscriberAddress(i)} got its message`);
      assert.equal((await campaignProgress(deps, id)).status, 'sent');
    } finally {
      await peer.close();
      await store.dispose();
    }
  });
});
