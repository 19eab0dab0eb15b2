import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { recordDeliveryEvent, putBounceSettings } from '../../src/services/events/delivery-events.js';
import { eraseContact } from '../../src/services/rights/erase.js';
import { campaignFigures } from '../../src/services/campaigns/figures.js';
import { exportMyData } from '../../src/services/rights/manage.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { deliveryEventCounts } from '../../src/store/delivery-events.js';
import { suppressionOf } from '../../src/store/suppressions.js';
import { suppressionHash } from '../../src/core/suppression.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { DomainError } from '../../src/services/errors.js';
import { confirmed, manageToken, sendCampaign, suppressions } from './support.js';

const DAY = 24 * 3600 * 1000;

for (const dialect of DIALECTS) {
  describe(`delivery events (${dialect.name})`, () => {
    it('a hard bounce suppresses at once, shows on the delivery with its time, in the export, once per report', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const jan = await confirmed(w, 'jan@example.nl');
        await confirmed(w, 'piet@example.nl');
        const d = (await sendCampaign(w)).get('jan@example.nl')!;
        const at = new Date('2026-11-30T10:05:00Z');
        const report = { deliveryId: d.id, kind: 'hard_bounce' as const, occurredAt: at, source: 'dsn' as const, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <jan@example.nl>: user unknown', reportKey: '<r1@mx.example>' };
        const first = await recordDeliveryEvent(w.deps, report);
        assert.deepEqual([first.recorded, first.kind, first.suppressed], [true, 'hard_bounce', 'hard_bounce']);
        const again = await recordDeliveryEvent(w.deps, report);
        assert.deepEqual([again.recorded, again.eventId, again.suppressed], [false, first.eventId, null]);

        assert.deepEqual(await suppressions(w), { 'jan@example.nl': 'hard_bounce', 'piet@example.nl': null });
        assert.equal(await suppressionOf(store.db, suppressionHash(w.deps.secret, 'jan@example.nl')), 'hard_bounce');
        assert.deepEqual(await deliveryEventCounts(store.db, d.campaign_id), { hard_bounce: 1 });
        const ev = await contactEvidence(w.deps, jan);
        assert.equal(ev.deliveries[0]!.state, 'bounced');
        assert.equal(ev.deliveryEvents.length, 1);
        assert.equal(ev.deliveryEvents[0]!.occurred_at, at.toISOString());
        assert.ok(ev.generalEvents.some((e) => e.type === 'suppressed' && e.details.reason === 'hard_bounce'));

        const data = JSON.parse((await exportMyData(w.deps, manageToken(w, jan), 'json')).body);
        assert.equal(data.profile.suppression.reason, 'hard_bounce');
        assert.equal(data.profile.suppression.since, w.clock.now().toISOString());
        assert.deepEqual(data.deliveries[0].events.map((e: { kind: string; occurredAt: string; status: string }) => [e.kind, e.occurredAt, e.status]), [['hard_bounce', at.toISOString(), '5.1.1']]);
        const csv = (await exportMyData(w.deps, manageToken(w, jan), 'csv')).body;
        assert.match(csv, /\r\ndelivery_event,[^,]+,,hard_bounce,,2026-11-30T10:05:00.000Z,/);
        assert.match(csv, /\r\nsuppression,,,hard_bounce,,2026-11-30T10:00:00.000Z,/);
        assert.deepEqual((await verifyLedger(store.db, store.dialect)).problems, []);
      } finally {
        await store.dispose();
      }
    });

    it('soft bounces about the mailbox suppress at the limit; policy refusals never do', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmed(w, 'vol@example.nl');
        await confirmed(w, 'relay@example.nl');
        const soft = (status: string, address: string, d: Map<string, { id: string }>) =>
          recordDeliveryEvent(w.deps, { deliveryId: d.get(address)!.id, kind: 'soft_bounce', occurredAt: w.clock.now(), source: 'dsn', status, diagnostic: 'mailbox full' });
        const outcomes: Array<string | null> = [];
        for (let i = 0; i < 3; i++) {
          const sent = await sendCampaign(w, `c${i}`);
          outcomes.push((await soft('4.2.2', 'vol@example.nl', sent)).suppressed);
          // A relay that refuses everyone for its own reasons (H4), also claimed as hard: recorded, never suppresses.
          await soft('4.7.1', 'relay@example.nl', sent);
          const hardPolicy = await recordDeliveryEvent(w.deps, { deliveryId: sent.get('relay@example.nl')!.id, kind: 'hard_bounce', occurredAt: w.clock.now(), source: 'smtp', status: '5.7.1', diagnostic: 'relay denied', reportKey: `smtp:${i}` });
          assert.deepEqual([hardPolicy.kind, hardPolicy.suppressed], ['soft_bounce', null]);
          w.clock.advance(2 * DAY);
        }
        assert.deepEqual(outcomes, [null, null, 'soft_bounce_limit']);
        assert.deepEqual(await suppressions(w), { 'relay@example.nl': null, 'vol@example.nl': 'soft_bounce_limit' });
      } finally {
        await store.dispose();
      }
    });

    it('soft bounces older than the window do not count; the limit is a setting', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmed(w, 'vol@example.nl');
        await putBounceSettings(store.db, { softBounceLimit: 2, softBounceWindowDays: 10 });
        await assert.rejects(putBounceSettings(store.db, { softBounceLimit: 0 }), (e: DomainError) => e.field === 'softBounceLimit');
        const bounce = async () => {
          const d = (await sendCampaign(w, `c${w.clock.now().getTime()}`)).get('vol@example.nl')!;
          return (await recordDeliveryEvent(w.deps, { deliveryId: d.id, kind: 'soft_bounce', occurredAt: w.clock.now(), source: 'webhook:postmark', status: null })).suppressed;
        };
        assert.equal(await bounce(), null);
        w.clock.advance(11 * DAY);
        assert.equal(await bounce(), null);
        w.clock.advance(1 * DAY);
        assert.equal(await bounce(), 'soft_bounce_limit');
      } finally {
        await store.dispose();
      }
    });

    it('a complaint suppresses at once and records an objection to direct marketing (GDPR 21(3))', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const kees = await confirmed(w, 'kees@example.nl');
        await confirmed(w, 'piet@example.nl');
        const d = (await sendCampaign(w)).get('kees@example.nl')!;
        const r = await recordDeliveryEvent(w.deps, { deliveryId: d.id, kind: 'complaint', occurredAt: w.clock.now(), source: 'arf', status: null, diagnostic: 'abuse' });
        assert.deepEqual([r.suppressed, r.objected], ['complaint', ['tips']]);
        const ev = await contactEvidence(w.deps, kees);
        assert.equal(ev.permissions[0]!.status, 'objected');
        assert.equal(ev.permissions[0]!.history.at(-1)!.details.channel, 'complaint');
        assert.equal(ev.contact.customer_opted_out, 1);
        assert.equal(ev.deliveries[0]!.state, 'sent', 'a complaint is about a delivered message');
        assert.deepEqual(await suppressions(w), { 'kees@example.nl': 'complaint', 'piet@example.nl': null });
      } finally {
        await store.dispose();
      }
    });

    it('an erasure keeps the campaign figures: the bounce and the complaint of an erased person still count', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const anna = await confirmed(w, 'anna@example.nl');
        const carla = await confirmed(w, 'carla@example.nl');
        await confirmed(w, 'piet@example.nl');
        const sent = await sendCampaign(w);
        const campaignId = sent.get('anna@example.nl')!.campaign_id;
        await recordDeliveryEvent(w.deps, { deliveryId: sent.get('anna@example.nl')!.id, kind: 'complaint', occurredAt: w.clock.now(), source: 'arf', status: null, diagnostic: 'abuse' });
        await recordDeliveryEvent(w.deps, { deliveryId: sent.get('carla@example.nl')!.id, kind: 'hard_bounce', occurredAt: w.clock.now(), source: 'dsn', status: '5.1.1', diagnostic: null });
        const before = await campaignFigures(w.deps, campaignId);
        assert.deepEqual([before.sent, before.complaints, before.hardBounces], [3, 1, 1]);
        await eraseContact(w.deps, anna, 'request:art17');
        await eraseContact(w.deps, carla, 'request:art17');
        const after = await campaignFigures(w.deps, campaignId);
        assert.deepEqual([after.sent, after.complaints, after.hardBounces], [3, 1, 1]);
      } finally {
        await store.dispose();
      }
    });

    it('refuses an unknown or erased delivery and bad input, suppressing nobody', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const gone = await confirmed(w, 'weg@example.nl');
        await confirmed(w, 'piet@example.nl');
        const sent = await sendCampaign(w);
        const d = sent.get('weg@example.nl')!;
        const base = { deliveryId: d.id, kind: 'hard_bounce' as const, occurredAt: w.clock.now(), source: 'dsn' as const, status: '5.1.1' };
        await assert.rejects(recordDeliveryEvent(w.deps, { ...base, status: '550' }), (e: DomainError) => e.field === 'status');
        await assert.rejects(recordDeliveryEvent(w.deps, { ...base, source: 'fax' as 'smtp' }), (e: DomainError) => e.field === 'source');
        await assert.rejects(recordDeliveryEvent(w.deps, { ...base, deliveryId: '00000000-0000-4000-8000-000000000000' }), (e: DomainError) => e.code === 'unknown-delivery');
        await eraseContact(w.deps, gone, 'request:art17');
        await assert.rejects(recordDeliveryEvent(w.deps, base), (e: DomainError) => e.kind === 'not_found' && e.code === 'unknown-delivery');
        assert.deepEqual(await suppressions(w), { 'piet@example.nl': null });
        const left = await store.db.selectFrom('delivery_events').selectAll().execute();
        assert.equal(left.length, 0);
      } finally {
        await store.dispose();
      }
    });
  });
}
