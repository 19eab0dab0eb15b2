import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { listContactPage } from '../../src/services/lists/contact-list.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { DomainError } from '../../src/services/errors.js';

for (const dialect of DIALECTS) {
  describe(`contacts list (${dialect.name})`, () => {
    it('finds by address prefix and name, filters by purpose and status, and pages by keyset without gaps or repeats', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        for (let i = 0; i < 12; i++) {
          await addContact(w.deps, { email: `anna${String(i).padStart(2, '0')}@example.nl`, source: 'trade_fair', firstName: 'Anna' });
          w.clock.advance(1000);
        }
        await addContact(w.deps, { email: 'bert_%@example.nl', source: 'trade_fair' });
        for (const email of ['cor@example.nl', 'dirk@example.nl']) {
          await subscribe(w.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
          w.clock.advance(1000);
        }

        const first = await listContactPage(w.deps, { q: 'ANNA0', limit: 5 });
        assert.equal(first.order, 'email');
        assert.deepEqual(first.items.map((c) => c.email), ['anna00@example.nl', 'anna01@example.nl', 'anna02@example.nl', 'anna03@example.nl', 'anna04@example.nl']);
        const second = await listContactPage(w.deps, { q: 'anna0', limit: 5, after: first.next! });
        assert.deepEqual(second.items.map((c) => c.email), ['anna05@example.nl', 'anna06@example.nl', 'anna07@example.nl', 'anna08@example.nl', 'anna09@example.nl']);
        assert.equal(second.next, null);

        // A LIKE wildcard in the query matches itself only.
        assert.deepEqual((await listContactPage(w.deps, { q: 'bert_%@' })).items.map((c) => c.email), ['bert_%@example.nl']);
        assert.deepEqual((await listContactPage(w.deps, { q: 'ber_' })).items.map((c) => c.email), []);

        // Newest first without a query; every contact once across pages.
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const p = await listContactPage(w.deps, { limit: 4, ...(after && { after }) });
          assert.equal(p.order, 'newest');
          seen.push(...p.items.map((c) => c.email));
          after = p.next ?? undefined;
        } while (after);
        assert.equal(seen.length, 15);
        assert.equal(new Set(seen).size, 15);
        assert.equal(seen[0], 'dirk@example.nl');

        const pending = await listContactPage(w.deps, { purpose: 'tips', status: 'pending' });
        assert.deepEqual(pending.items.map((c) => c.email).sort(), ['cor@example.nl', 'dirk@example.nl']);
        assert.deepEqual((await listContactPage(w.deps, { purpose: 'tips', status: 'active' })).items, []);
        assert.equal((await listContactPage(w.deps, { q: 'anna', source: 'trade_fair', limit: 200 })).items.length, 12);
        assert.equal((await listContactPage(w.deps, { suppressed: 'yes' })).items.length, 0);

        const refuses = async (q: object, field: string) =>
          assert.rejects(listContactPage(w.deps, q), (e: unknown) => e instanceof DomainError && e.field === field);
        await refuses({ status: 'active' }, 'status');
        await refuses({ purpose: 'nope' }, 'purpose');
        await refuses({ purpose: 'tips', status: 'happy' }, 'status');
        await refuses({ limit: '1000' }, 'limit');
      } finally {
        await store.dispose();
      }
    });
  });
}
