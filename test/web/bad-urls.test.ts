import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';

it('answers malformed and overlong links with an error page, never Fastify JSON', async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const app = await buildApp(w.deps);
    for (const [url, status] of [['/confirm/%00%ff', 400], [`/u/${'a'.repeat(9000)}`, 414], ['/f/%zz', 400]] as const) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
      assert.equal(res.statusCode, status, url.slice(0, 20));
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.doesNotMatch(res.body, /FST_ERR/);
    }
    await app.close();
  } finally {
    await store.dispose();
  }
});
