import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, sqliteStore } from '../support/stores.js';
import { world, linkIn, type TestWorld } from '../support/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { eraseContact } from '../../src/services/rights/erase.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { recordDeliveryEvent } from '../../src/services/events/delivery-events.js';
import { addWebhookEndpoint, webhookDeliveries } from '../../src/services/webhooks/endpoints.js';
import { deliverDueWebhooks } from '../../src/services/webhooks/deliver.js';
import { verifyWebhook, type WebhookEvent } from '../../src/core/webhooks.js';
import { campaignById } from '../../src/store/campaigns.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import type { DomainError } from '../../src/services/errors.js';
import { startReceiver, until, type Answer, type Received } from './receiver.js';

const LOCAL = { allowPrivate: true };

async function confirmed(w: TestWorld, email: string): Promise<string> {
  const r = await subscribe(w.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const mails = await w.mails();
  await confirm(w.deps, { token: linkIn(mails[mails.length - 1]!.text!, '/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  return r.contactId;
}

async function setup(open: () => ReturnType<typeof sqliteStore>, events: WebhookEvent[], answer: (n: number) => Answer) {
  const store = await open();
  const w = await world(store);
  const receiver = await startReceiver(answer);
  const { endpoint, secret } = await addWebhookEndpoint(w.deps, { url: receiver.url, events }, LOCAL);
  return { w, receiver, endpoint, secret, close: async () => { await receiver.close(); await store.dispose(); } };
}

/** Checks the Standard Webhooks headers and signature of a received request and returns its JSON body. */
function signed(r: Received, secret: string): { type: string; timestamp: string; data: Record<string, unknown> } {
  const id = String(r.headers['webhook-id']);
  const ts = Number(r.headers['webhook-timestamp']);
  assert.match(id, /^msg_[0-9a-f]{32}$/);
  assert.ok(Number.isInteger(ts));
  assert.ok(verifyWebhook(secret, id, ts, r.body, String(r.headers['webhook-signature'])), 'the signature verifies with the secret');
  assert.equal(verifyWebhook(secret, id, ts, r.body.replace('}', ' }'), String(r.headers['webhook-signature'])), false, 'a changed body does not verify');
  assert.equal(r.headers['content-type'], 'application/json');
  return JSON.parse(r.body);
}

for (const dialect of DIALECTS) {
  describe(`webhooks out (${dialect.name})`, () => {
    it('a confirmation arrives signed, is retried after a 500, and an erased contact\'s events carry no address', async () => {
      const s = await setup(dialect.open, ['contact.confirmed', 'contact.unsubscribed', 'contact.erased'], (n) => (n === 0 ? { status: 500, body: 'database down' } : { status: 204 }));
      try {
        const id = await confirmed(s.w, 'eva@example.nl');
        let round = await deliverDueWebhooks(s.w.deps, LOCAL);
        assert.deepEqual(round, { attempted: 1, delivered: 0, retried: 1, failed: 0 });
        let [d] = await webhookDeliveries(s.w.deps, { endpointId: s.endpoint.id });
        assert.deepEqual(
          { state: d!.state, attempts: d!.attempts, lastStatus: d!.lastStatus, lastResponse: d!.lastResponse, next: d!.nextAttemptAt, last: d!.lastAttemptAt },
          { state: 'pending', attempts: 1, lastStatus: 500, lastResponse: 'database down', next: '2026-11-30T10:00:05.000Z', last: '2026-11-30T10:00:00.000Z' },
        );
        assert.equal((await deliverDueWebhooks(s.w.deps, LOCAL)).attempted, 0, 'not due before the 5 s back-off');
        s.w.clock.advance(5_000);
        round = await deliverDueWebhooks(s.w.deps, LOCAL);
        assert.deepEqual(round, { attempted: 1, delivered: 1, retried: 0, failed: 0 });
        [d] = await webhookDeliveries(s.w.deps, { endpointId: s.endpoint.id });
        assert.deepEqual({ state: d!.state, attempts: d!.attempts, lastStatus: d!.lastStatus, next: d!.nextAttemptAt }, { state: 'delivered', attempts: 2, lastStatus: 204, next: null });

        assert.equal(s.receiver.received.length, 2);
        const [first, second] = s.receiver.received.map((r) => signed(r, s.secret));
        assert.equal(s.receiver.received[0]!.headers['webhook-id'], s.receiver.received[1]!.headers['webhook-id'], 'a retry keeps its webhook-id');
        assert.equal(Number(s.receiver.received[1]!.headers['webhook-timestamp']), Date.parse('2026-11-30T10:00:05Z') / 1000);
        assert.deepEqual(second, first);
        assert.deepEqual(first, { type: 'contact.confirmed', timestamp: '2026-11-30T10:00:00.000Z', data: { contactId: id, purposes: ['tips'], email: 'eva@example.nl' } });

        // An unsubscribe queued, then the erasure before the worker runs: neither message names the address.
        const token = unsubscribeUrl(s.w.deps, id, 'tips', null).split('/u/')[1]!;
        await unsubscribe(s.w.deps, { token, scope: 'all', channel: 'one-click' });
        await eraseContact(s.w.deps, id, 'request:art17');
        round = await deliverDueWebhooks(s.w.deps, LOCAL);
        assert.equal(round.delivered, 2);
        const later = s.receiver.received.slice(2);
        assert.deepEqual(later.map((r) => signed(r, s.secret).type).sort(), ['contact.erased', 'contact.unsubscribed']);
        for (const r of later) assert.ok(!r.body.includes('eva@') && !r.body.includes('example.nl'), r.body);
        const erased = signed(later.find((r) => r.body.includes('contact.erased'))!, s.secret);
        assert.deepEqual(erased.data, { contactId: id, reason: 'request:art17' });
        assert.equal(signed(later.find((r) => r.body.includes('contact.unsubscribed'))!, s.secret).data.email, null);
        const stored = await s.w.deps.db.selectFrom('webhook_messages').select(['data', 'last_response']).execute();
        assert.ok(stored.every((m) => !m.data.includes('eva@')), 'the outbox holds no address');
      } finally {
        await s.close();
      }
    });

    it('stops after the last attempt of the schedule and shows the last answer', async () => {
      const s = await setup(dialect.open, ['contact.confirmed'], () => ({ status: 503, body: 'maintenance' }));
      try {
        await confirmed(s.w, 'piet@example.nl');
        for (let i = 0; i < 12; i++) {
          await deliverDueWebhooks(s.w.deps, LOCAL);
          s.w.clock.advance(11 * 3600_000);
        }
        assert.equal(s.receiver.received.length, 8, 'once and 7 retries (Standard Webhooks schedule)');
        const [d] = await webhookDeliveries(s.w.deps);
        assert.deepEqual({ state: d!.state, attempts: d!.attempts, lastStatus: d!.lastStatus, lastResponse: d!.lastResponse, next: d!.nextAttemptAt }, { state: 'failed', attempts: 8, lastStatus: 503, lastResponse: 'maintenance', next: null });
      } finally {
        await s.close();
      }
    });

    it('a bounce and a complaint recorded by the events service are sent as delivery.bounced / delivery.complained', async () => {
      const s = await setup(dialect.open, ['delivery.bounced', 'delivery.complained'], () => ({ status: 200 }));
      try {
        const eva = await confirmed(s.w, 'eva@example.nl');
        const c = await createCampaign(s.w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Tekst' });
        await startCampaign(s.w.deps, c.id);
        await drainQueue(s.w.deps);
        const delivery = (await deliveryFor(s.w.deps.db, c.id, eva))!;
        await recordDeliveryEvent(s.w.deps, { deliveryId: delivery.id, kind: 'soft_bounce', occurredAt: new Date('2026-11-30T09:59:00Z'), source: 'dsn', status: '4.2.2', reportKey: 'a' });
        await recordDeliveryEvent(s.w.deps, { deliveryId: delivery.id, kind: 'complaint', occurredAt: new Date('2026-11-30T09:59:30Z'), source: 'arf', reportKey: 'b' });
        await deliverDueWebhooks(s.w.deps, LOCAL);
        const bodies = s.receiver.received.map((r) => signed(r, s.secret)).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
        assert.deepEqual(bodies.map((b) => [b.type, b.timestamp]), [['delivery.bounced', '2026-11-30T09:59:00.000Z'], ['delivery.complained', '2026-11-30T09:59:30.000Z']]);
        assert.deepEqual(bodies[0]!.data, { deliveryId: delivery.id, campaignId: c.id, contactId: eva, source: 'dsn', suppressed: null, bounce: 'soft', status: '4.2.2', email: 'eva@example.nl' });
        assert.deepEqual(bodies[1]!.data, { deliveryId: delivery.id, campaignId: c.id, contactId: eva, source: 'arf', suppressed: 'complaint', objected: ['tips'], email: 'eva@example.nl' });
      } finally {
        await s.close();
      }
    });
  });
}

describe('webhooks out: receivers that do not answer', () => {
  it('a receiver that holds its answer does not delay a send; campaign.finished is queued and sent after', async () => {
    const s = await setup(sqliteStore, ['contact.confirmed', 'campaign.finished'], (n) => (n === 0 ? 'hold' : { status: 200 }));
    try {
      const eva = await confirmed(s.w, 'eva@example.nl');
      const held = deliverDueWebhooks(s.w.deps, { ...LOCAL, timeoutMs: 60_000 });
      await until(() => s.receiver.held() === 1, 'the receiver to hold the first message');
      const c = await createCampaign(s.w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Tekst' });
      await startCampaign(s.w.deps, c.id);
      const sent = await drainQueue(s.w.deps);
      assert.equal(sent.sent, 1);
      assert.equal((await campaignById(s.w.deps.db, c.id))!.status, 'sent');
      assert.equal(s.receiver.held(), 1, 'the campaign went out while the receiver still held its answer');
      const waiting = await webhookDeliveries(s.w.deps);
      assert.deepEqual(waiting.map((d) => [d.event, d.state]).sort(), [['campaign.finished', 'pending'], ['contact.confirmed', 'pending']]);
      s.receiver.release();
      assert.equal((await held).delivered, 1);
      assert.equal((await deliverDueWebhooks(s.w.deps, LOCAL)).delivered, 1);
      const finished = signed(s.receiver.received[1]!, s.secret);
      assert.deepEqual(finished, { type: 'campaign.finished', timestamp: '2026-11-30T10:00:00.000Z', data: { campaignId: c.id, deliveries: { sent: 1 } } });
      assert.equal((await deliveryFor(s.w.deps.db, c.id, eva))!.state, 'sent');
    } finally {
      await s.close();
    }
  });

  it('a receiver that never answers is given up at the deadline and tried again later', async () => {
    const s = await setup(sqliteStore, ['contact.confirmed'], () => 'hold');
    try {
      await confirmed(s.w, 'eva@example.nl');
      const round = await deliverDueWebhooks(s.w.deps, { ...LOCAL, timeoutMs: 200 });
      assert.deepEqual(round, { attempted: 1, delivered: 0, retried: 1, failed: 0 });
      const [d] = await webhookDeliveries(s.w.deps);
      assert.deepEqual({ state: d!.state, lastStatus: d!.lastStatus, lastError: d!.lastError }, { state: 'pending', lastStatus: null, lastError: 'no answer within 200 ms' });
    } finally {
      await s.close();
    }
  });
});

describe('webhook targets', () => {
  it('takes https, http only for localhost, and no private address unless allowed', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const refused = async (url: string, allowPrivate: boolean, events: string[] = ['contact.confirmed']) => {
        await assert.rejects(addWebhookEndpoint(w.deps, { url, events: events as WebhookEvent[] }, { allowPrivate }), (e: DomainError) => {
          assert.equal(e.kind, 'invalid');
          return true;
        });
      };
      await refused('http://crm.example.nl/hook', true);
      await refused('ftp://127.0.0.1/hook', true);
      await refused('https://user:pw@crm.example.nl/hook', true);
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'https://10.1.2.3/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/x', 'https://[::ffff:192.168.1.1]/x']) {
        await refused(url, false);
      }
      await assert.rejects(addWebhookEndpoint(w.deps, { url: 'https://crm.example.nl/h', events: ['contact.opened' as WebhookEvent] }, LOCAL), (e: DomainError) => e.field === 'events[0]');
      await assert.rejects(addWebhookEndpoint(w.deps, { url: 'https://crm.example.nl/h', events: [] }, LOCAL), (e: DomainError) => e.field === 'events');
      const ok = await addWebhookEndpoint(w.deps, { url: 'http://127.0.0.1:8080/hook', events: ['contact.confirmed', 'contact.confirmed'] }, LOCAL);
      assert.deepEqual(ok.endpoint.events, ['contact.confirmed']);
      assert.match(ok.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    } finally {
      await store.dispose();
    }
  });

  it('checks the target again when delivering: a private target registered earlier is not reached once refused', async () => {
    const s = await setup(sqliteStore, ['contact.confirmed'], () => ({ status: 200 }));
    try {
      await confirmed(s.w, 'eva@example.nl');
      await deliverDueWebhooks(s.w.deps, { allowPrivate: false });
      assert.equal(s.receiver.received.length, 0);
      const [d] = await webhookDeliveries(s.w.deps);
      assert.match(d!.lastError!, /local or private address/);
    } finally {
      await s.close();
    }
  });
});
