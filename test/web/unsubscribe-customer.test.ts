import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { addContact, addPurchase } from '../../src/services/consent/relationships.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';

it('C6: the unsubscribe page of customer mail speaks of offers for customers, not of a subscription', async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const { contact } = await addContact(w.deps, { email: 'klant@example.nl', source: 'customer_records' });
    await addPurchase(w.deps, 'klant@example.nl', { productCategory: 'Thee', date: '2026-05-01', optOut: 'clear' });
    const c = await createCampaign(w.deps, { name: 'thee', purposeId: 'tips', category: 'customer_marketing', productCategory: 'Thee', subject: 'Thee', body: 'Thee' });
    const app = await buildApp(w.deps);
    const path = new URL(unsubscribeUrl(w.deps, contact.id, 'tips', c.id)).pathname;
    const page = await app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'nl' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /stuurt u aanbiedingen voor klanten/);
    assert.doesNotMatch(page.body, /Koffietips/);
    await app.close();
  } finally {
    await store.dispose();
  }
});
