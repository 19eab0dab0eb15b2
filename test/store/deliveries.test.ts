import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { deliveryCounts, enqueueDeliveries, type NewDelivery } from '../../src/store/deliveries.js';

for (const dialect of DIALECTS) {
  describe(`delivery queue (${dialect.name})`, () => {
    it('enqueues more rows than one statement may carry, and enqueueing again adds nothing', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'x', body: 'x' });
        const rows: NewDelivery[] = Array.from({ length: 5000 }, (_, i) => ({
          id: randomUUID(), contactId: `contact-${i}`, messageId: `${i}@example.com`, state: 'blocked', reasons: ['NO_PERMISSION_FOR_PURPOSE'], basis: null,
        }));
        await enqueueDeliveries(store.db, c.id, rows, w.clock.now());
        await enqueueDeliveries(store.db, c.id, rows.map((r) => ({ ...r, id: randomUUID() })), w.clock.now());
        assert.deepEqual(await deliveryCounts(store.db, c.id), { blocked: 5000 });
      } finally {
        await store.dispose();
      }
    });
  });
}
