import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { setClickCounting } from '../../src/services/campaigns/click-links.js';
import { campaignFigures } from '../../src/services/campaigns/figures.js';
import { confirmedSubscriber } from './helpers.js';

const TABLES = ['contacts', 'permissions', 'consent_events', 'deliveries', 'suppressions', 'campaign_counters', 'campaign_links', 'settings'] as const;

for (const dialect of DIALECTS) {
  describe(`aggregate click counting (${dialect.name})`, () => {
    it('counts clicks per link only, redirects only to the stored target, and the notice says so', async () => {
      const store = await dialect.open();
      const w = await world(store);
      const app = await buildApp(w.deps);
      try {
        const before = await createCampaign(w.deps, { name: 'Uit', purposeId: 'tips', subject: 'x', body: 'Zie https://deboon.example/oogst' });
        assert.equal((await store.db.selectFrom('campaign_links').selectAll().where('campaign_id', '=', before.id).execute()).length, 0, 'off by default');

        assert.ok((await setClickCounting(w.deps, 'tips', true)).noticeVersion);
        const notice = await app.inject({ method: 'GET', url: '/privacy?lang=nl' });
        assert.match(notice.body, /tellen wij per link hoe vaak erop is geklikt, alleen als totaal/);

        await confirmedSubscriber(w.deps, 'anna@example.nl', 'Anna');
        const c = await createCampaign(w.deps, {
          name: 'Nov', purposeId: 'tips', subject: 'Oogst', format: 'markdown',
          body: 'Zie [de oogst](https://deboon.example/oogst) en https://deboon.example/oogst/extra.\n\nVoor {{ first_name }}: https://deboon.example/p/{{ first_name }}',
        });
        const links = await store.db.selectFrom('campaign_links').selectAll().where('campaign_id', '=', c.id).orderBy('position').execute();
        assert.deepEqual(links.map((l) => Object.keys(l).sort()), [['campaign_id', 'clicks', 'position', 'url'], ['campaign_id', 'clicks', 'position', 'url']]);
        assert.deepEqual(links.map((l) => l.url), ['https://deboon.example/oogst', 'https://deboon.example/oogst/extra']);

        await startCampaign(w.deps, c.id);
        await drainQueue(w.deps, { campaignId: c.id });
        const mail = (await w.mails()).find((m) => m.subject === 'Oogst')!;
        const counted = [...new Set([...(mail.html as string).matchAll(/http:\/\/localhost:3000(\/r\/[^"\s<]+)/g)].map((m) => m[1]!))];
        assert.equal(counted.length, 2);
        assert.ok(!(mail.html as string).includes('href="https://deboon.example/oogst"'));
        assert.match(mail.html as string, /https:\/\/deboon\.example\/p\/Anna/, 'a personal link is not counted');

        const rows = async () => Promise.all(TABLES.map(async (t) => Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
        const rowsBefore = await rows();
        const first = counted.find((p) => /\/0\./.test(p))!;
        const res = await app.inject({ method: 'GET', url: first, headers: { 'x-forwarded-for': '203.0.113.9' } });
        assert.equal(res.statusCode, 302);
        assert.equal(res.headers.location, 'https://deboon.example/oogst');
        assert.equal((await app.inject({ method: 'HEAD', url: first })).statusCode, 302);
        assert.deepEqual(await rows(), rowsBefore, 'a click adds no row anywhere');
        const stored = await store.db.selectFrom('campaign_links').selectAll().where('campaign_id', '=', c.id).orderBy('position').execute();
        assert.deepEqual(stored.map((l) => Number(l.clicks)), [1, 0]);
        assert.ok(!JSON.stringify(stored).includes('203.0.113.9') && !JSON.stringify(stored).includes('anna'));

        // Only stored targets: a forged signature, another campaign's position, an unknown position.
        const forged = first.replace(/\.[A-Za-z0-9_-]{22}$/, '.AAAAAAAAAAAAAAAAAAAAAA');
        assert.equal((await app.inject({ method: 'GET', url: forged })).statusCode, 404);
        assert.equal((await app.inject({ method: 'GET', url: first.replace(c.id, before.id) })).statusCode, 404);
        assert.equal((await app.inject({ method: 'GET', url: `/r/${c.id}/https%3A%2F%2Fevil.example` })).statusCode, 404);

        const f = await campaignFigures(w.deps, c.id);
        assert.deepEqual(f.clicks, { counting: true, total: 1, links: [{ position: 0, url: 'https://deboon.example/oogst', clicks: 1 }, { position: 1, url: 'https://deboon.example/oogst/extra', clicks: 0 }] });

        await setClickCounting(w.deps, 'tips', false);
        assert.doesNotMatch((await app.inject({ method: 'GET', url: '/privacy?lang=en' })).body, /we count how often each link is clicked/);
      } finally {
        await app.close();
        await store.dispose();
      }
    });
  });
}
