// SCENARIOS C: customers. Customers come from the webshop file (CSV importer, preset webshop-klanten).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { addPurchase } from '../../src/services/consent/relationships.js';
import { assertAllowed, assertBlocked, decisionFor, optIn, purpose, scene, tempFile, type Scene } from './support.js';

/** Imports one customer row: last order date (dd-mm-yyyy), product group, opt-out offered (ja / alleen in voorwaarden / nee). */
async function customer(s: Scene, email: string, date: string, group: string, optOut: string): Promise<void> {
  const csv = tempFile('klanten.csv', `Klantnummer;Voornaam;Achternaam;E-mailadres;Laatste bestelling;Productgroep;Afmelden aangeboden bij bestelling\nK1;Piet;Dekker;${email};${date};${group};${optOut}\n`);
  await importCsv(s.deps, { path: csv, preset: 'webshop-klanten', purposeId: 'aanbod' });
}
const offer = (s: Scene, productCategory: string, extra: { otherLegalEntity?: boolean } = {}) =>
  createCampaign(s.deps, { name: 'Aanbod', purposeId: 'aanbod', category: 'customer_marketing', productCategory, subject: 'Aanbieding', body: 'Hallo', ...extra });

for (const dialect of DIALECTS) {
  describe(`scenarios C: customers (${dialect.name})`, () => {
    const run = (name: string, body: (s: Scene) => Promise<void>) =>
      it(name, async () => {
        const s = await scene(await dialect.open());
        try {
          await purpose(s, 'aanbod');
          await body(s);
        } finally { await s.close(); }
      });

    run('C1: service messages to a customer → allowed without consent (contract)', async (s) => {
      await customer(s, 'piet@klant.example', '10-05-2026', 'Espressomachines', 'ja');
      const c = await createCampaign(s.deps, { name: 'Bevestiging', purposeId: 'aanbod', category: 'service', subject: 'Uw bestelling', body: 'Verzonden' });
      assertAllowed(await decisionFor(s, c.id, 'piet@klant.example'), 'SERVICE_MESSAGE', 'A6-1-b', 'GDPR 6(1)(b)');
      // A newsletter subscriber who never bought anything has no contract: a "service" campaign is not for her.
      await optIn(s, 'anna@example.nl');
      assertBlocked(await decisionFor(s, c.id, 'anna@example.nl'), 'NO_SERVICE_RELATIONSHIP', 'GDPR 6(1)(b)');
      assert.deepEqual(await startCampaign(s.deps, c.id), { queued: 1, blocked: 1 });
      assert.equal((await drainQueue(s.deps)).sent, 1);
    });

    run('C2: bought X with a clear opt-out at the sale → mail about X allowed, opt-out in every message', async (s) => {
      await customer(s, 'piet@klant.example', '10-05-2026', 'Espressomachines', 'ja');
      const c = await offer(s, 'Espressomachines');
      assertAllowed(await decisionFor(s, c.id, 'piet@klant.example'), 'CUSTOMER_EXCEPTION', 'A6-1-f', 'Tw 11.7(3)');
      await startCampaign(s.deps, c.id);
      assert.equal((await drainQueue(s.deps)).sent, 1);
      const mail = (await s.mails()).at(-1)!;
      assert.ok(mail.headerLines.some((h) => h.key === 'list-unsubscribe-post' && /One-Click/.test(h.line)));
      assert.match(mail.text!, /http:\/\/localhost:3000\/u\//);
    });

    run('C3: unrelated product, or a sister company’s product → blocked', async (s) => {
      await customer(s, 'piet@klant.example', '10-05-2026', 'Espressomachines', 'ja');
      const other = await decisionFor(s, (await offer(s, 'Thee')).id, 'piet@klant.example');
      assertBlocked(other, 'CUSTOMER_PRODUCT_NOT_SIMILAR', 'Tw 11.7(3)');
      const sister = await decisionFor(s, (await offer(s, 'Espressomachines', { otherLegalEntity: true })).id, 'piet@klant.example');
      assertBlocked(sister, 'CUSTOMER_PRODUCT_NOT_SIMILAR', 'ePrivacy 13(2)');
      assert.equal(sister.reasons.find((r) => r.code === 'CUSTOMER_PRODUCT_NOT_SIMILAR')!.detail!.otherLegalEntity, 'yes');
    });

    run('C4: a mailing on behalf of a third party → blocked without consent (and flagged at creation)', async (s) => {
      await customer(s, 'piet@klant.example', '10-05-2026', 'Espressomachines', 'ja');
      const c = await createCampaign(s.deps, { name: 'Partner', purposeId: 'aanbod', category: 'third_party_promotion', subject: 'Van onze partner', body: 'Hallo' });
      assert.equal(c.warnings[0]!.code, 'CAMPAIGN_THIRD_PARTY_CONTENT');
      assertBlocked(await decisionFor(s, c.id, 'piet@klant.example'), 'THIRD_PARTY_PROMOTION_NO_CONSENT', 'Tw 11.7(1)', { first: true });
    });

    run('C5: opt-out only in the terms → customer exception does not apply', async (s) => {
      await customer(s, 'lieke@klant.example', '10-05-2026', 'Espressomachines', 'alleen in voorwaarden');
      const d = await decisionFor(s, (await offer(s, 'Espressomachines')).id, 'lieke@klant.example');
      assertBlocked(d, 'CUSTOMER_OPT_OUT_NOT_OFFERED', 'ACM');
      assert.equal(d.reasons.find((r) => r.code === 'CUSTOMER_OPT_OUT_NOT_OFFERED')!.detail!.optOutOffered, 'terms_only');
    });

    run('C6: the customer opted out of customer mail → blocked (21(3))', async (s) => {
      await customer(s, 'piet@klant.example', '10-05-2026', 'Espressomachines', 'ja');
      const c = await offer(s, 'Espressomachines');
      await startCampaign(s.deps, c.id);
      await drainQueue(s.deps);
      const token = (await s.mails()).at(-1)!.text!.match(/http:\/\/localhost:3000\/u\/([^\s>)"]+)/)![1]!;
      await unsubscribe(s.deps, { token, scope: 'purpose', channel: 'one-click' });
      assertBlocked(await decisionFor(s, (await offer(s, 'Espressomachines')).id, 'piet@klant.example'), 'CUSTOMER_OPTED_OUT', 'GDPR 21(3)', { first: true });
    });

    run('C7: last purchase long ago → exception lapses after the configured period, shown in the decision', async (s) => {
      await customer(s, 'oud@klant.example', '15-01-2024', 'Espressomachines', 'ja');
      const c = await offer(s, 'Espressomachines');
      const lapsed = await decisionFor(s, c.id, 'oud@klant.example');
      assertBlocked(lapsed, 'CUSTOMER_EXCEPTION_LAPSED', 'Tw 11.7(3)');
      assert.equal(lapsed.reasons.find((r) => r.code === 'CUSTOMER_EXCEPTION_LAPSED')!.detail!.months, 24);
      const res = await s.api('PATCH', '/settings/decisions', { customerExceptionMonths: 36 });
      assert.equal(res.json().customerExceptionMonths, 36);
      const now = await decisionFor(s, c.id, 'oud@klant.example');
      assertAllowed(now, 'CUSTOMER_EXCEPTION', 'A6-1-f', 'Tw 11.7(3)');
      assert.equal(now.reasons[0]!.detail!.months, 36);
      await addPurchase(s.deps, 'oud@klant.example', { productCategory: 'Espressomachines', date: '2026-11-01', optOut: 'clear' });
      assert.equal((await decisionFor(s, c.id, 'oud@klant.example')).reasons[0]!.detail!.lastPurchaseAt, '2026-11-01');
    });
  });
}
