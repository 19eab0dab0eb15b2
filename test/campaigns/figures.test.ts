import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { campaignFigures } from '../../src/services/campaigns/figures.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { recordDeliveryEvent } from '../../src/services/events/delivery-events.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { confirmedSubscriber } from './helpers.js';

for (const dialect of DIALECTS) {
  describe(`campaign figures (${dialect.name})`, () => {
    it('counts sent, blocked by reason, bounces, complaints, unsubscribes through its own links and sends per hour', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const anna = await confirmedSubscriber(w.deps, 'anna@example.nl', 'Anna');
        const bob = await confirmedSubscriber(w.deps, 'bob@example.nl', 'Bob');
        const carla = await confirmedSubscriber(w.deps, 'carla@example.nl', 'Carla');
        await subscribe(w.deps, { formId: 'tips', email: 'dirk@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });

        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
        const other = await createCampaign(w.deps, { name: 'Okt', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        await startCampaign(w.deps, c.id);
        await drainQueue(w.deps, { campaignId: c.id });

        // Anna unsubscribes through this campaign's link (twice: the second changes nothing and is not counted),
        // Bob through another campaign's link: only Anna's counts here.
        const token = (contact: string, campaign: string) => unsubscribeUrl(w.deps, contact, 'tips', campaign).split('/u/')[1]!;
        await unsubscribe(w.deps, { token: token(anna, c.id), scope: 'purpose', channel: 'one-click' });
        await unsubscribe(w.deps, { token: token(anna, c.id), scope: 'all', channel: 'page' });
        await unsubscribe(w.deps, { token: token(anna, c.id), scope: 'all', channel: 'page' });
        await unsubscribe(w.deps, { token: token(bob, other.id), scope: 'purpose', channel: 'page' });

        const bobs = await deliveryFor(store.db, c.id, bob);
        const carlas = await deliveryFor(store.db, c.id, carla);
        await recordDeliveryEvent(w.deps, { deliveryId: bobs!.id, kind: 'soft_bounce', occurredAt: w.clock.now(), source: 'dsn', status: '4.2.2', reportKey: 'a' });
        await recordDeliveryEvent(w.deps, { deliveryId: bobs!.id, kind: 'soft_bounce', occurredAt: w.clock.now(), source: 'dsn', status: '4.2.2', reportKey: 'b' });
        await recordDeliveryEvent(w.deps, { deliveryId: carlas!.id, kind: 'complaint', occurredAt: w.clock.now(), source: 'arf' });

        const f = await campaignFigures(w.deps, c.id);
        assert.equal(f.sent, 3);
        assert.equal(f.queued, 0);
        assert.equal(f.blocked, 1);
        assert.deepEqual(f.blockedBy, { CONSENT_PENDING: 1 });
        assert.equal(f.unsubscribes, 2); // the purpose, then the suppression of everything; the repeat changed nothing
        assert.equal(f.softBounces, 1);
        assert.equal(f.hardBounces, 0);
        assert.equal(f.complaints, 1);
        assert.equal((await campaignFigures(w.deps, other.id)).unsubscribes, 1);
        assert.deepEqual(f.sendsOverTime, { unit: 'hour', timeZone: 'Europe/Amsterdam', series: [{ at: '2026-11-30 11:00', sent: 3 }] });
        assert.deepEqual(f.clicks, { counting: false, total: 0, links: [] });
        assert.equal((await campaignFigures(w.deps, c.id, 'day')).sendsOverTime.series[0]!.at, '2026-11-30');
      } finally {
        await store.dispose();
      }
    });
  });
}
