import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { noticeContent, saveNoticeJson } from '../../src/services/organisation/notice-admin.js';
import { addContact, addPurchase } from '../../src/services/consent/relationships.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';

it('G2: the notice must match what the product does: every purpose, and legitimate interests once customers are mailed', async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const published = (await noticeContent(w.deps)).content;
    const items = async () => (await saveNoticeJson(w.deps, JSON.stringify(published))).missing.map((m) => `${m.item} ${m.field}`);
    assert.deepEqual(await items(), []);

    await addContact(w.deps, { email: 'klant@example.nl', source: 'customer_records' });
    await addPurchase(w.deps, 'klant@example.nl', { productCategory: 'Thee', date: '2026-05-01', optOut: 'clear' });
    assert.deepEqual(await items(), ['13(1)(d) legitimateInterests']);

    await createPurpose(w.deps, { id: 'acties', name_nl: 'Acties', name_en: 'Offers', description_nl: 'Aanbiedingen', description_en: 'Offers' });
    assert.deepEqual(await items(), ['13(1)(c) purposes.acties', '13(1)(d) legitimateInterests']);
  } finally {
    await store.dispose();
  }
});

it('G2: a campaign created while the published notice misses items carries a warning naming them', async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const { createCampaign } = await import('../../src/services/campaigns/campaigns.js');
    assert.deepEqual((await createCampaign(w.deps, { name: 'a', purposeId: 'tips', subject: 'a', body: 'a' })).warnings, []);
    await addContact(w.deps, { email: 'klant@example.nl', source: 'customer_records' });
    await addPurchase(w.deps, 'klant@example.nl', { productCategory: 'Thee', date: '2026-05-01', optOut: 'clear' });
    const c = await createCampaign(w.deps, { name: 'b', purposeId: 'tips', category: 'customer_marketing', productCategory: 'Thee', subject: 'b', body: 'b' });
    assert.deepEqual(c.warnings.map((x) => [x.code, x.message_en]), [['NOTICE_INCOMPLETE', 'the published privacy notice misses 13(1)(d); see `consentry notice missing`']]);
  } finally {
    await store.dispose();
  }
});
