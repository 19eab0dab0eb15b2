// Finding 3 (fresh-user audit, 2026-12-07): an import whose lawful basis its purpose does not accept is refused by
// the import service before anything is stored (CLI, API and admin page share it), naming the field and the
// purposes that accept the basis. SQLite and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { mailchimpSubscribed, scene, tempFile } from '../scenarios/support.js';
import type { DomainError } from '../../src/services/errors.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';

const CUSTOMERS = 'Klantnummer;E-mailadres;Laatste bestelling;Productgroep;Afmelden aangeboden bij bestelling\nK1;piet@mail.example;23-02-2024;Thee;ja\nK2;ans@mail.example;12-09-2024;Thee;ja\n';

for (const dialect of DIALECTS) {
  describe(`an import's basis must be one its purpose accepts (${dialect.name})`, () => {
    it('customers on legitimate interest into the consent-only newsletter: refused, nothing stored; the customer purpose is named', async () => {
      const s = await scene(await dialect.open());
      try {
        const path = tempFile('klanten.csv', CUSTOMERS);
        const counts = async () => [
          (await s.deps.db.selectFrom('contacts').select('id').execute()).length,
          (await s.deps.db.selectFrom('imports').select('id').execute()).length,
          (await s.deps.db.selectFrom('consent_events').select('id').execute()).length,
        ];
        const before = await counts();
        const input = { path, source: 'customer_records', basis: 'A6-1-f', purposeId: 'tips' };
        await assert.rejects(importCsv(s.deps, input), (e: DomainError) =>
          e.kind === 'invalid' && e.field === 'basis' && e.code === 'import-basis-no-purpose' && /accepts A6-1-a, not A6-1-f; nothing was imported\. No purpose accepts A6-1-f yet/.test(e.message));
        assert.deepEqual(await counts(), before, 'nothing stored');

        await createPurpose(s.deps, { id: 'klanten', name_nl: 'Klantaanbiedingen', name_en: 'Customer offers', description_nl: 'Aanbiedingen.', description_en: 'Offers.', category: 'customer_marketing' });
        await assert.rejects(importCsv(s.deps, input), (e: DomainError) =>
          e.field === 'basis' && e.code === 'import-basis-not-accepted' && e.params?.othersNl === '“Klantaanbiedingen” (klanten)' && /Purposes that accept A6-1-f: “Customer offers” \(klanten\)\./.test(e.message));
        const report = await importCsv(s.deps, { ...input, purposeId: 'klanten' });
        assert.equal(report.mailability.judged, 2, 'the customer purpose accepts them');
      } finally {
        await s.close();
      }
    });

    it('a Mailchimp audience (consent) into a service purpose: refused', async () => {
      const s = await scene(await dialect.open());
      try {
        await createPurpose(s.deps, { id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service' });
        const files = { subscribed: mailchimpSubscribed([['anna@example.nl', '2024-01-01 10:00:00', '2024-01-01 10:05:00']]) };
        await assert.rejects(importMailchimp(s.deps, { files, purposeId: 'ebook' }), (e: DomainError) =>
          e.field === 'basis' && e.code === 'import-basis-not-accepted' && /purpose "ebook" \(service\) accepts A6-1-b, not A6-1-a/.test(e.message));
        assert.equal((await s.deps.db.selectFrom('contacts').select('id').execute()).length, 0);
      } finally {
        await s.close();
      }
    });
  });
}
