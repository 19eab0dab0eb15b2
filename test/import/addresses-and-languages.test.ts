/**
 * Issue 13 item 6: a quoted local part is refused by imports as by the form, and a Mailchimp export written in
 * another language keeps its opt-in evidence as the English one does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { importMailchimp, mailchimpPaths } from '../../src/services/lists/import/mailchimp.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { DIALECTS } from '../support/stores.js';
import { permissionByEmail, setUp, tableCounts } from './helpers.js';

const dir = () => mkdtempSync(join(tmpdir(), 'consentry-lang-'));

// A German account's export: Mailchimp translates its own column names, not the system columns.
const GERMAN =
  'E-Mail-Adresse,Vorname,Nachname,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\n' +
  'jana.schmidt@example.de,Jana,Schmidt,2,"2024-02-03 09:10:11",198.51.100.7,"2024-02-03 09:15:00",198.51.100.8,,,,,,,,"2024-02-03 09:15:00",501,abc123,,\n';

for (const dialect of DIALECTS) {
  describe(`imports: addresses and export languages (${dialect.name})`, () => {
    it('a German Mailchimp export keeps OPTIN_TIME, CONFIRM_TIME and the IPs as evidence: the consent is provable', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const d = dir();
        // Renamed, so it is recognised by its (German) header line.
        writeFileSync(join(d, 'abonnenten.csv'), GERMAN);
        const report = await importMailchimp(deps, { ...mailchimpPaths([d]), purposeId: 'tips' });
        assert.deepEqual(report.refused, []);
        assert.equal(report.notProvable.count, 0);
        const p = (await permissionByEmail(store, 'jana.schmidt@example.de'))!;
        assert.deepEqual([p.method, p.status, p.given_at, p.confirmed_at], ['import', 'active', '2024-02-03T09:10:11.000Z', '2024-02-03T09:15:00.000Z']);
        assert.deepEqual([p.first_name, p.last_name], ['Jana', 'Schmidt']);
        const attributes = JSON.parse(p.attributes) as Record<string, string>;
        for (const evidence of ['OPTIN_TIME', 'CONFIRM_TIME', 'OPTIN_IP', 'CONFIRM_IP', 'Vorname', 'E-Mail-Adresse']) assert.equal(attributes[evidence], undefined, evidence);
        const ev = await store.db.selectFrom('consent_events').selectAll().where('id', '=', p.evidence_event_id).executeTakeFirstOrThrow();
        const personal = JSON.parse(ev.personal!) as Record<string, string>;
        assert.deepEqual([personal.optinIp, personal.confirmIp], ['198.51.100.7', '198.51.100.8']);
      } finally {
        await store.dispose();
      }
    });

    it('French, Dutch and Spanish headers are read too, by file name and with `import csv --preset mailchimp`', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const rows = (email: string) => `,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\n${email},Ana,2024-05-06 07:08:09,,2024-05-06 07:10:00,\n`;
        const d = dir();
        writeFileSync(join(d, 'subscribed_members_export_fr.csv'), `Adresse e-mail,Prénom${rows('chloe@example.fr')}`);
        const fr = await importMailchimp(deps, { files: { subscribed: join(d, 'subscribed_members_export_fr.csv') }, purposeId: 'tips' });
        assert.equal(fr.notProvable.count, 0);
        const e = join(d, 'es.csv');
        writeFileSync(e, `Dirección de correo electrónico,Nombre${rows('ana@example.es')}`);
        const es = await importCsv(deps, { path: e, preset: 'mailchimp', purposeId: 'tips' });
        assert.equal(es.notProvable.count, 0);
        const n = join(d, 'nl.csv');
        writeFileSync(n, `E-mailadres,Voornaam${rows('anouk@example.nl')}`);
        await importMailchimp(deps, { files: { subscribed: n }, purposeId: 'tips' });
        for (const email of ['chloe@example.fr', 'ana@example.es', 'anouk@example.nl']) {
          const p = (await permissionByEmail(store, email))!;
          assert.deepEqual([p.method, p.given_at, p.confirmed_at, p.first_name], ['import', '2024-05-06T07:08:09.000Z', '2024-05-06T07:10:00.000Z', 'Ana'], email);
        }
      } finally {
        await store.dispose();
      }
    });

    it('refuses a quoted local part ("…"@) in CSV and Mailchimp imports, naming its line, as the form does; its opt-out still counts', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        const d = dir();
        const csv = join(d, 'lijst.csv');
        writeFileSync(csv, 'E-mailadres,Voornaam\nok@example.nl,Ok\n"""jan jansen""@example.nl",Jan\n');
        const r = await importCsv(deps, { path: csv, source: 'own_form_export', purposeId: 'tips', evidenceRef: 'formulier-export 2024' });
        assert.deepEqual(r.refused, [{ file: 'lijst.csv', line: 3, code: 'address-not-marketable', params: { field: 'email', value: '"jan jansen"@example.nl' }, reason: 'e-mail: an address with a quoted local part ("…"@) cannot receive newsletters' }]);
        const mc = join(d, 'subscribed_members_export.csv');
        writeFileSync(mc, 'Email Address,First Name,OPTIN_TIME\n"""piet p""@example.nl",Piet,2024-01-01 10:00:00\nfine@example.nl,Fine,2024-01-01 10:00:00\n');
        const m = await importMailchimp(deps, { files: { subscribed: mc }, purposeId: 'tips' });
        assert.deepEqual(m.refused, [{ file: 'subscribed_members_export.csv', line: 2, code: 'address-not-marketable', params: { field: 'Email Address', value: '"piet p"@example.nl' }, reason: 'Email Address: an address with a quoted local part ("…"@) cannot receive newsletters' }]);
        assert.equal(await contactByEmail(store.db, '"jan jansen"@example.nl'), undefined);
        assert.equal(await contactByEmail(store.db, '"piet p"@example.nl'), undefined);
        assert.equal((await tableCounts(store)).contacts, 2);
        // An opt-out of such an address is kept: it costs nothing and losing it could mail someone who said no.
        const out = join(d, 'afmeldingen.csv');
        writeFileSync(out, 'E-mailadres,Afgemeld\n"""jan jansen""@example.nl",ja\n');
        const o = await importCsv(deps, { path: out, source: 'own_form_export', purposeId: 'tips' });
        assert.deepEqual([o.refused, o.files[0]!.suppressed], [[], 1]);
      } finally {
        await store.dispose();
      }
    });
  });
}
