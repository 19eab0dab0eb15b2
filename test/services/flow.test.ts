import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world, linkIn } from '../support/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { createCampaign, previewCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { DomainError } from '../../src/services/errors.js';

for (const dialect of DIALECTS) {
  describe(`main flow through the use cases (${dialect.name})`, () => {
    it('subscribes, confirms, sends, unsubscribes and then blocks', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const sub = await subscribe(w.deps, { formId: 'tips', email: ' Anna@Example.NL ', firstName: 'Anna', purposes: ['tips'], language: 'nl', ip: '192.0.2.7', userAgent: 'test' });
        assert.deepEqual(sub.pending, ['tips']);
        const [confirmation] = await w.mails();
        const token = linkIn(confirmation!.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!;

        const campaign = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo {{ first_name }}', body: 'Beste {{ first_name }},\n\nVers gebrand.' });
        let preview = await previewCampaign(w.deps, campaign.id);
        assert.deepEqual(preview.blockedBy, { CONSENT_PENDING: 1 });

        await confirm(w.deps, { token, ip: null, userAgent: null });
        await assert.rejects(confirm(w.deps, { token, ip: null, userAgent: null }), (e: DomainError) => e.kind === 'conflict');
        preview = await previewCampaign(w.deps, campaign.id);
        assert.deepEqual(preview.allowedBy, { CONSENT_CONFIRMED: 1 });

        await startCampaign(w.deps, campaign.id);
        const sent = await drainQueue(w.deps);
        assert.equal(sent.sent, 1);
        const mails = await w.mails();
        const news = mails[1]!;
        assert.equal(news.subject, 'Hallo Anna');
        const listHeader = news.headers.get('list') as { unsubscribe?: { url: string } };
        const unsub = listHeader.unsubscribe!.url;
        assert.match(unsub, /^http:\/\/localhost:3000\/u\//);
        assert.ok(!unsub.includes('anna'));

        await unsubscribe(w.deps, { token: unsub.split('/u/')[1]!, scope: 'purpose', channel: 'one-click' });
        const second = await createCampaign(w.deps, { name: 'Dec', purposeId: 'tips', subject: 'December', body: 'Hoi' });
        await startCampaign(w.deps, second.id);
        await drainQueue(w.deps);
        const d = await deliveryFor(store.db, second.id, sub.contactId);
        assert.equal(d!.state, 'blocked');
        assert.deepEqual(JSON.parse(d!.reasons), ['CONSENT_WITHDRAWN']);
        assert.equal((await w.mails()).length, 2);
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
      } finally {
        await store.dispose();
      }
    });

    it('stops a running campaign for someone who unsubscribes after it started (E4)', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const sub = await subscribe(w.deps, { formId: 'tips', email: 'bob@example.nl', purposes: ['tips'], language: 'en', ip: null, userAgent: null });
        const token = linkIn((await w.mails())[0]!.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!;
        await confirm(w.deps, { token, ip: null, userAgent: null });
        const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'x', body: 'x' });
        assert.deepEqual(await startCampaign(w.deps, c.id), { queued: 1, blocked: 0 });
        const { unsubscribeUrl } = await import('../../src/services/consent/links.js');
        const link = unsubscribeUrl(w.deps, sub.contactId, 'tips', c.id);
        await unsubscribe(w.deps, { token: link.split('/u/')[1]!, scope: 'all', channel: 'page' });
        const r = await drainQueue(w.deps);
        assert.equal(r.sent, 0);
        const d = await deliveryFor(store.db, c.id, sub.contactId);
        assert.equal(d!.state, 'blocked');
        assert.equal(JSON.parse(d!.reasons)[0], 'SUPPRESSED');
      } finally {
        await store.dispose();
      }
    });
  });
}
