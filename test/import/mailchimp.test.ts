import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { suppressionHash } from '../../src/core/suppression.js';
import { DomainError } from '../../src/services/errors.js';
import { importMailchimp, mailchimpPaths } from '../../src/services/lists/import/mailchimp.js';
import type { ImportReport } from '../../src/services/lists/import/import-run.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { DIALECTS } from '../support/stores.js';
import { FIXTURES, NOW, SECRET, permissionByEmail, setUp, tableCounts } from './helpers.js';

const DIR = join(FIXTURES, 'mailchimp');
const FILES = {
  subscribed: join(DIR, 'subscribed_members_export.csv'),
  unsubscribed: join(DIR, 'unsubscribed_members_export.csv'),
  cleaned: join(DIR, 'cleaned_members_export.csv'),
};

/** Counts per file role, without the file names. */
const byRole = (r: ImportReport) => Object.fromEntries(r.files.map(({ file: _f, ...c }) => [c.role, c]));

// Computed once from the fixtures: 1201 subscribed rows = 1170 distinct addresses (31 rows are case/space
// duplicates) of which 11 are also unsubscribed (10) or cleaned (1); 145 of the remaining 1159 have no OPTIN_TIME.
const FIRST_RUN = {
  unsubscribed: { role: 'unsubscribed', rows: 150, created: 0, updated: 0, unchanged: 0, merged: 0, suppressed: 150, withdrawn: 0, refused: 0 },
  cleaned: { role: 'cleaned', rows: 40, created: 0, updated: 0, unchanged: 0, merged: 0, suppressed: 40, withdrawn: 0, refused: 0 },
  subscribed: { role: 'subscribed', rows: 1201, created: 1159, updated: 0, unchanged: 0, merged: 31, suppressed: 11, withdrawn: 0, refused: 0 },
};

for (const dialect of DIALECTS) {
  describe(`Mailchimp import (${dialect.name})`, () => {
    it('imports the export with exact counts, evidence times, suppressions and merged duplicates; a re-run changes nothing', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const report = await importMailchimp(deps, { files: FILES, purposeId: 'tips', evidenceRef: 'MC-AUDIENCE-1' });
        assert.deepEqual(byRole(report), FIRST_RUN);
        assert.deepEqual(report.refused, []);
        assert.equal(report.notProvable.count, 145);
        assert.equal(report.rerun, false);
        const after = await tableCounts(store);
        assert.deepEqual({ ...after, events: undefined }, { contacts: 1159, suppressions: 190, permissions: 1159, events: undefined, imports: 1, purchases: 0 });

        // Evidence kept exactly as in the file (line 3), IPs in the personal details, source in the details.
        const m = (await permissionByEmail(store, 'maartje.degroot@kpn-mail.example'))!;
        assert.equal(m.given_at, '2024-03-08T22:15:44.000Z');
        assert.equal(m.confirmed_at, '2024-03-09T03:51:44.000Z');
        assert.deepEqual([m.basis, m.method, m.status, m.import_id], ['A6-1-a', 'import', 'active', report.importId]);
        assert.deepEqual([m.first_name, m.last_name], ['Maartje', 'de Groot']);
        assert.equal(JSON.parse(m.attributes).MEMBER_RATING, '2');
        const ev = await store.db.selectFrom('consent_events').selectAll().where('id', '=', m.evidence_event_id).executeTakeFirstOrThrow();
        assert.equal(ev.type, 'imported');
        assert.equal(ev.occurred_at, '2024-03-08T22:15:44.000Z');
        assert.equal(ev.recorded_at, NOW.toISOString());
        const details = JSON.parse(ev.details);
        assert.equal(details.importId, report.importId);
        assert.deepEqual(details.origin, { system: 'mailchimp', file: 'subscribed_members_export.csv', line: 3, leid: '100001', euid: 'ca5879f224', evidenceRef: 'MC-AUDIENCE-1' });
        const personal = JSON.parse(ev.personal!);
        assert.equal(personal.optinIp, '192.0.2.102');
        assert.equal(personal.confirmIp, '192.0.2.48');
        assert.doesNotMatch(ev.details, /@/);

        // ' ILSE7@BÜCHER.EXAMPLE ' (line 1202) and 'ilse7@bücher.example' (line 9) are one contact.
        const ilse = await store.db.selectFrom('contacts').selectAll().where('email', 'like', 'ilse7@%').execute();
        assert.deepEqual(ilse.map((c) => c.email), ['ilse7@xn--bcher-kva.example']);
        // Duplicates: the earliest opt-in wins (lines 56 and 108), a provable row beats one without (52, 1185).
        assert.equal((await permissionByEmail(store, 'ilse.vandermeer@kpn-mail.example'))!.given_at, '2016-08-26T17:47:05.000Z');
        const sanne = (await permissionByEmail(store, 'sanne.muller@post.example'))!;
        assert.deepEqual([sanne.method, sanne.given_at], ['import', '2023-11-01T19:03:46.000Z']);
        assert.equal((await permissionByEmail(store, 'hdeboer@example.com'))!.given_at, '2019-11-04T11:45:33.000Z');

        // Not provable: both rows without OPTIN_TIME (lines 116, 1149).
        const np = (await permissionByEmail(store, 'thijs.brouwer@example.com'))!;
        assert.deepEqual([np.method, np.given_at, np.status], ['not_provable', null, 'active']);
        assert.ok(report.notProvable.sample.some((s) => s.email === 'thijs.brouwer@example.com'));

        // Unsubscribed and cleaned: hashes only, no contact — also when the address was in "subscribed" too.
        for (const email of ['kmeijer@example.org', 'jan0@mail.example', 'pbrouwer@kpn-mail.example', 'sem.brandsma@ziggo.example']) {
          assert.equal((await store.db.selectFrom('contacts').select('id').where('email', '=', email).execute()).length, 0, email);
          const s = await store.db.selectFrom('suppressions').selectAll().where('hash', '=', suppressionHash(SECRET, email)).executeTakeFirst();
          assert.ok(s, email);
        }
        const reasons = await store.db.selectFrom('suppressions').select('reason').where('hash', '=', suppressionHash(SECRET, 'jan0@mail.example')).executeTakeFirstOrThrow();
        assert.equal(reasons.reason, 'imported_cleaned');

        // A re-run of the same files changes nothing.
        const again = await importMailchimp(deps, { files: FILES, purposeId: 'tips', evidenceRef: 'MC-AUDIENCE-1' });
        assert.equal(again.rerun, true);
        assert.equal(again.importId, report.importId);
        const r = byRole(again);
        assert.deepEqual(r.unsubscribed, { ...FIRST_RUN.unsubscribed, suppressed: 0, unchanged: 150 });
        assert.deepEqual(r.cleaned, { ...FIRST_RUN.cleaned, suppressed: 0, unchanged: 40 });
        assert.deepEqual(r.subscribed, { ...FIRST_RUN.subscribed, created: 0, unchanged: 1159 });
        assert.deepEqual(await tableCounts(store), after);
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
      } finally {
        await store.dispose();
      }
    });

    it('gives the same result from the zip', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const report = await importMailchimp(deps, { ...mailchimpPaths([join(FIXTURES, 'mailchimp-export.zip')]), purposeId: 'tips' });
        assert.deepEqual(byRole(report), FIRST_RUN);
        assert.equal(report.notProvable.count, 145);
        const c = await tableCounts(store);
        assert.deepEqual([c.contacts, c.suppressions], [1159, 190]);
      } finally {
        await store.dispose();
      }
    });

    it('withdraws an existing contact found in a later unsubscribed file, and never re-subscribes it (E5)', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        await importMailchimp(deps, { files: { subscribed: FILES.subscribed }, purposeId: 'tips' });
        assert.equal((await permissionByEmail(store, 'pbrouwer@kpn-mail.example'))!.status, 'active');
        const r = await importMailchimp(deps, { files: { unsubscribed: FILES.unsubscribed }, purposeId: 'tips' });
        assert.equal(r.files[0]!.withdrawn, 10);
        const p = (await permissionByEmail(store, 'pbrouwer@kpn-mail.example'))!;
        assert.deepEqual([p.status, p.suppression], ['withdrawn', 'imported_unsubscribed']);
        const all = await importMailchimp(deps, { files: FILES, purposeId: 'tips' });
        assert.equal(byRole(all).subscribed!.suppressed, 11);
        assert.equal((await permissionByEmail(store, 'pbrouwer@kpn-mail.example'))!.status, 'withdrawn');
      } finally {
        await store.dispose();
      }
    });

    it('refuses an unknown purpose and stores nothing', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        await assert.rejects(importMailchimp(deps, { files: FILES, purposeId: 'nope' }), (e: unknown) => e instanceof DomainError && /purpose "nope" does not exist/.test(e.message));
        assert.deepEqual(await tableCounts(store), { contacts: 0, suppressions: 0, permissions: 0, events: 0, imports: 0, purchases: 0 });
      } finally {
        await store.dispose();
      }
    });

    it('a dry run reports the counts and stores nothing', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const report = await importMailchimp(deps, { files: FILES, purposeId: 'tips', dryRun: true });
        assert.deepEqual(byRole(report), FIRST_RUN);
        assert.deepEqual(await tableCounts(store), { contacts: 0, suppressions: 0, permissions: 0, events: 0, imports: 0, purchases: 0 });
      } finally {
        await store.dispose();
      }
    });
  });
}
