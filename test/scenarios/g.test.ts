// SCENARIOS G: informing (G1 and G2 are covered with the privacy-notice tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { scene } from './support.js';

for (const dialect of DIALECTS) {
  describe(`scenarios G: informing (${dialect.name})`, () => {
    it('G3: frequency is not required; a form may show it (DDMA)', async () => {
      const s = await scene(await dialect.open());
      try {
        const withFrequency = await s.app.inject({ method: 'GET', url: '/f/tips' });
        assert.equal(withFrequency.statusCode, 200);
        assert.match(withFrequency.body, /maandelijks/);
        await createPurpose(s.deps, { id: 'acties', name_nl: 'Acties', name_en: 'Offers', description_nl: 'Onze acties.', description_en: 'Our offers.' });
        await createForm(s.deps, { id: 'acties', name: 'Acties', boxes: [{ purposeIds: ['acties'], preTicked: false, required: false }] });
        const without = await s.app.inject({ method: 'GET', url: '/f/acties' });
        assert.equal(without.statusCode, 200);
      } finally { await s.close(); }
    });
  });
}
