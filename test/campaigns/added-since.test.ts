import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { sendToAddedSince } from '../../src/services/campaigns/added-since.js';
import { campaignById } from '../../src/store/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { confirmedSubscriber, pendingSubscriber } from './helpers.js';

for (const dialect of DIALECTS) {
  describe(`send to those added since (${dialect.name})`, () => {
    it('mails people who became eligible after the campaign went out, each once', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmedSubscriber(w.deps, 'anna@example.nl');
        const dirk = await pendingSubscriber(w.deps, 'dirk@example.nl');
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Nieuws van november', body: 'x' });
        await assert.rejects(sendToAddedSince(w.deps, c.id), (e: DomainError) => e.kind === 'conflict' && e.code === 'not-sent');
        await startCampaign(w.deps, c.id);
        await drainQueue(w.deps, { campaignId: c.id });
        assert.equal((await campaignById(store.db, c.id))!.status, 'sent');

        await dirk.confirm(); // blocked then (pending), eligible now
        await confirmedSubscriber(w.deps, 'eva@example.nl'); // new since
        await pendingSubscriber(w.deps, 'fred@example.nl'); // new, but not eligible
        assert.deepEqual(await sendToAddedSince(w.deps, c.id), { added: 1, requeued: 1 });
        assert.equal((await campaignById(store.db, c.id))!.status, 'sending');
        const r = await drainQueue(w.deps, { campaignId: c.id });
        assert.equal(r.sent, 2);
        assert.equal((await campaignById(store.db, c.id))!.status, 'sent');
        assert.deepEqual(await sendToAddedSince(w.deps, c.id), { added: 0, requeued: 0 });

        const news = (await w.mails()).filter((m) => m.subject === 'Nieuws van november').map((m) => (m.to as { text: string }).text).sort();
        assert.deepEqual(news, ['anna@example.nl', 'dirk@example.nl', 'eva@example.nl']);
      } finally {
        await store.dispose();
      }
    });
  });
}
