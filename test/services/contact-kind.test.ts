import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { addContact, designateForOffers, updateContactFacts } from '../../src/services/consent/relationships.js';
import { DomainError } from '../../src/services/errors.js';

it('D5: a sole trader becomes an organisation (and so designatable) only with evidence', async () => {
  const store = await sqliteStore();
  try {
    const w = await world(store);
    await addContact(w.deps, { email: 'info@zzp.example', kind: 'sole_trader', source: 'trade_fair' });
    await assert.rejects(updateContactFacts(w.deps, 'info@zzp.example', { kind: 'organisation' }), (e: DomainError) => e.field === 'kindEvidence');
    await assert.rejects(designateForOffers(w.deps, 'info@zzp.example', { evidence: 'https://zzp.example/contact' }), (e: DomainError) => e.field === 'kind');
    const c = await updateContactFacts(w.deps, 'info@zzp.example', { kind: 'organisation', kindEvidence: 'KvK 87654321: B.V. since 2026-06-01' });
    assert.equal(c.kind, 'organisation');
    assert.equal(JSON.parse(c.attributes).kindEvidence, 'KvK 87654321: B.V. since 2026-06-01');
  } finally {
    await store.dispose();
  }
});
