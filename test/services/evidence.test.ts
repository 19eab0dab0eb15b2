import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { addContact, addPurchase } from '../../src/services/consent/relationships.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';

it("C6: a customer's opt-out of customer mail is in their evidence, though they never had a permission", async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    const { contact } = await addContact(w.deps, { email: 'klant@example.nl', source: 'customer_records' });
    await addPurchase(w.deps, 'klant@example.nl', { productCategory: 'Thee', date: '2026-05-01', optOut: 'clear' });
    const token = unsubscribeUrl(w.deps, contact.id, 'tips', null).split('/u/')[1]!;
    await unsubscribe(w.deps, { token, scope: 'purpose', channel: 'one-click' });
    const e = await contactEvidence(w.deps, contact.id);
    assert.equal(e.permissions.length, 0);
    assert.deepEqual(e.generalEvents.map((x) => [x.type, x.purposeId, x.details.channel]), [['objected', 'tips', 'one-click']]);
    assert.equal(e.contact.customer_opted_out, 1);
  } finally {
    await store.dispose();
  }
});
