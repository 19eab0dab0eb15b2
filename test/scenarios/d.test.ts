// SCENARIOS D: organisations and employees. Set up through the API and use cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { sendPersonalMessage } from '../../src/services/campaigns/personal.js';
import { addContact, designateForOffers, setEmployee } from '../../src/services/consent/relationships.js';
import { assertAllowed, assertBlocked, decisionFor, purpose, scene, type Scene } from './support.js';

const staffNews = async (s: Scene) => {
  await purpose(s, 'personeel');
  return createCampaign(s.deps, { name: 'Personeel', purposeId: 'personeel', category: 'internal', subject: 'Nieuws voor collega’s', body: 'Hallo' });
};
const cold = (s: Scene) => createCampaign(s.deps, { name: 'Aanbod', purposeId: 'tips', subject: 'Aanbod', body: 'Hallo' });

for (const dialect of DIALECTS) {
  describe(`scenarios D: organisations and employees (${dialect.name})`, () => {
    const run = (name: string, body: (s: Scene) => Promise<void>) =>
      it(name, async () => {
        const s = await scene(await dialect.open());
        try { await body(s); } finally { await s.close(); }
      });

    run('D1: staff newsletter to work addresses → allowed without consent, with an opt-out link', async (s) => {
      await s.api('POST', '/contacts', { email: 'eva@deboon.example', source: 'personal_contact', kind: 'person' });
      const res = await s.api('PUT', '/contacts/eva@deboon.example/employee', { workAddress: true });
      assert.equal(res.statusCode, 200);
      assertAllowed(await decisionFor(s, (await staffNews(s)).id, 'eva@deboon.example'), 'STAFF_WORK_ADDRESS', 'A6-1-f', 'GDPR 6(1)(f)');
    });

    run('D2: staff newsletter to an employee’s private address → blocked without consent', async (s) => {
      await addContact(s.deps, { email: 'eva.prive@example.nl', source: 'personal_contact', kind: 'person' });
      await setEmployee(s.deps, 'eva.prive@example.nl', { workAddress: false });
      assertBlocked(await decisionFor(s, (await staffNews(s)).id, 'eva.prive@example.nl'), 'STAFF_PRIVATE_ADDRESS', 'Tw 11.7(1)', { first: true });
    });

    run('D2: an employee at a free-mail address (gmail.com) is taken as private unless the operator says it is their work address', async (s) => {
      await addContact(s.deps, { email: 'eva.jansen@gmail.com', source: 'personal_contact', kind: 'person' });
      const { byDomain } = await setEmployee(s.deps, 'eva.jansen@gmail.com', {});
      assert.equal(byDomain, true);
      const news = await staffNews(s);
      assertBlocked(await decisionFor(s, news.id, 'eva.jansen@gmail.com'), 'STAFF_PRIVATE_ADDRESS', 'Tw 11.7(1)', { first: true });
      // The API without workAddress decides the same way; with it, the operator's word counts.
      await s.api('POST', '/contacts', { email: 'kees@deboon.example', source: 'personal_contact', kind: 'person' });
      assert.equal((await s.api('PUT', '/contacts/kees@deboon.example/employee', {})).json().employee_work_address, 1);
      assert.equal((await s.api('PUT', '/contacts/eva.jansen@gmail.com/employee', { workAddress: true })).json().employee_work_address, 1);
      assertAllowed(await decisionFor(s, news.id, 'eva.jansen@gmail.com'), 'STAFF_WORK_ADDRESS', 'A6-1-f', 'GDPR 6(1)(f)');
    });

    run('D3: cold commercial mail to a personal address found on the web → blocked (Tw 11.7 lid 1)', async (s) => {
      await addContact(s.deps, { email: 'jan.jansen@example.nl', source: 'public_profile', kind: 'person', sourceRef: 'https://jansen.example/contact' });
      const d = await decisionFor(s, (await cold(s)).id, 'jan.jansen@example.nl');
      assertBlocked(d, 'NO_CONSENT_COMMERCIAL', 'Tw 11.7(1)');
      assertBlocked(d, 'PUBLIC_PROFILE_SOURCE', 'Tw 11.7(1)');
    });

    run('D4: an address a company published and designated for offers → allowed; a plain info@ is not', async (s) => {
      await s.api('POST', '/contacts', { email: 'offertes@bouwbedrijf.example', source: 'public_profile', kind: 'organisation', sourceRef: 'https://bouwbedrijf.example/leveranciers' });
      const missing = await s.api('PUT', '/contacts/offertes@bouwbedrijf.example/designation', {});
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().error.field, 'evidence');
      const res = await s.api('PUT', '/contacts/offertes@bouwbedrijf.example/designation', { evidence: 'https://bouwbedrijf.example/leveranciers' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().designation_evidence, 'https://bouwbedrijf.example/leveranciers');
      const c = await cold(s);
      assertAllowed(await decisionFor(s, c.id, 'offertes@bouwbedrijf.example'), 'BUSINESS_ADDRESS_DESIGNATED', 'A6-1-f', 'Tw 11.7(1)(b)');
      await addContact(s.deps, { email: 'info@bouwbedrijf.example', source: 'public_profile', kind: 'organisation' });
      assertBlocked(await decisionFor(s, c.id, 'info@bouwbedrijf.example'), 'ROLE_ADDRESS_NOT_DESIGNATED', 'Tw 11.7(1)');
    });

    run('D5: info@ of a one-person business (ZZP) → a natural person: D3 applies', async (s) => {
      await addContact(s.deps, { email: 'info@klusjesman.example', source: 'public_profile', kind: 'sole_trader' });
      await assert.rejects(designateForOffers(s.deps, 'info@klusjesman.example', { evidence: 'https://klusjesman.example' }), (e: DomainError) => e.field === 'kind');
      const d = await decisionFor(s, (await cold(s)).id, 'info@klusjesman.example');
      assertBlocked(d, 'SOLE_TRADER_IS_PERSON', 'GDPR 4(1)');
      assertBlocked(d, 'NO_CONSENT_COMMERCIAL', 'Tw 11.7(1)');
    });

    run('D6: a recruiter’s personal message about one vacancy → allowed one-to-one; never in bulk', async (s) => {
      await purpose(s, 'werving');
      await addContact(s.deps, { email: 'kandidaat@example.nl', source: 'public_profile', kind: 'person', sourceRef: 'https://linkedin.example/in/kandidaat' });
      const r = await sendPersonalMessage(s.deps, { to: 'kandidaat@example.nl', purposeId: 'werving', author: 'Eva (recruiter)', subject: 'Vacature hoofdbrander', body: 'Beste kandidaat, …' });
      assert.equal(r.sent, true);
      assertAllowed(r.decision, 'ONE_TO_ONE_PERSONAL', 'A6-1-f', 'GDPR 6(1)(f)');
      await assert.rejects(
        createCampaign(s.deps, { name: 'Bulk', purposeId: 'werving', category: 'one_to_one', subject: 'Vacature', body: 'Hallo' }),
        (e: DomainError) => e.field === 'category',
      );
      const bulk = await s.api('POST', '/decisions', { facts: { message: { category: 'one_to_one', purposeId: 'werving', personal: true, recipients: 250 } } });
      assert.equal(bulk.json().allowed, false);
      assert.equal(bulk.json().reasons[0].code, 'ONE_TO_ONE_ONLY');
    });
  });
}
