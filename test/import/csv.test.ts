import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { suppressionHash } from '../../src/core/suppression.js';
import { DomainError } from '../../src/services/errors.js';
import { importCsv, type CsvInput } from '../../src/services/lists/import/csv-import.js';
import type { ImportReport } from '../../src/services/lists/import/import-run.js';
import { addSuppression } from '../../src/store/suppressions.js';
import { DIALECTS } from '../support/stores.js';
import { FIXTURES, SECRET, NOW, permissionByEmail, setUp, tableCounts } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'consentry-csv-'));
/** Writes a hand-made input file (string as UTF-8, or bytes as given). */
const file = (name: string, content: string | Buffer) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const counts = (r: ImportReport) => {
  const { file: _f, role: _r, ...c } = r.files[0]!;
  return c;
};
const rejectsWith = (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: unknown) => e instanceof DomainError && re.test(e.message));

for (const dialect of DIALECTS) {
  describe(`CSV import (${dialect.name})`, () => {
    const withStore = async (fn: (run: (i: Omit<CsvInput, 'purposeId'>) => ReturnType<typeof importCsv>, store: Awaited<ReturnType<typeof dialect.open>>) => Promise<void>) => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        await fn((i) => importCsv(deps, { purposeId: 'tips', ...i }), store);
      } finally {
        await store.dispose();
      }
    };

    it('webshop-klanten (Windows-1252, ;, CRLF): customers and purchases, no consent; a re-run changes nothing', () =>
      withStore(async (run, store) => {
        const path = join(FIXTURES, 'webshop-klanten.csv');
        const r = await run({ path, preset: 'webshop-klanten' });
        assert.deepEqual(counts(r), { rows: 500, created: 493, updated: 0, unchanged: 0, merged: 7, suppressed: 0, withdrawn: 0, refused: 0 });
        const t = await tableCounts(store);
        assert.deepEqual([t.contacts, t.permissions, t.purchases], [493, 0, 500]);
        const offered = await store.db.selectFrom('purchases').select('opt_out_offered').select((eb) => eb.fn.countAll().as('n')).groupBy('opt_out_offered').orderBy('opt_out_offered').execute();
        assert.deepEqual(offered.map((o) => [o.opt_out_offered, Number(o.n)]), [['clear', 303], ['none', 105], ['terms_only', 92]]);
        const piet = await store.db.selectFrom('contacts').selectAll().where('email', '=', 'piet.dekker@mail.example').executeTakeFirstOrThrow();
        assert.deepEqual([piet.first_name, piet.source_kind, JSON.parse(piet.attributes).customer_no], ['Piet', 'customer_records', 'K20000']);
        const again = await run({ path, preset: 'webshop-klanten' });
        assert.deepEqual(counts(again), { rows: 500, created: 0, updated: 0, unchanged: 493, merged: 7, suppressed: 0, withdrawn: 0, refused: 0 });
        assert.deepEqual(await tableCounts(store), t);
      }));

    it('beurs-visitekaartjes: trade-fair contacts with kind from Rechtsvorm, role addresses flagged, no consent', () =>
      withStore(async (run, store) => {
        const r = await run({ path: join(FIXTURES, 'beurs-visitekaartjes.csv'), preset: 'beurs-visitekaartjes' });
        assert.deepEqual(counts(r), { rows: 80, created: 76, updated: 0, unchanged: 0, merged: 4, suppressed: 0, withdrawn: 0, refused: 0 });
        const c = await store.db.selectFrom('contacts').selectAll().where('email', '=', 'info@installatiebedrijfmulder.example').executeTakeFirstOrThrow();
        assert.deepEqual([c.kind, c.role_address, c.source_kind, c.first_name, c.last_name], ['sole_trader', 1, 'trade_fair', 'Gerrit', 'Mulder']);
        assert.match(c.source_ref!, /Vakbeurs Ondernemen 2026, 12-03-2026, verzameld door Tom/);
        assert.equal(c.created_at, '2026-03-12T00:00:00.000Z', 'collected at the fair: the follow-up window starts there');
        const bv = await store.db.selectFrom('contacts').select('kind').where('email', '=', 'stijn@adviesbureauamrani.example').executeTakeFirstOrThrow();
        assert.equal(bv.kind, 'organisation');
        assert.equal((await tableCounts(store)).permissions, 0);
      }));

    it('mailchimp preset on the subscribed export: evidence kept, rows without OPTIN_TIME not provable', () =>
      withStore(async (run) => {
        const r = await run({ path: join(FIXTURES, 'mailchimp/subscribed_members_export.csv'), preset: 'mailchimp' });
        assert.deepEqual(counts(r), { rows: 1201, created: 1170, updated: 0, unchanged: 0, merged: 31, suppressed: 0, withdrawn: 0, refused: 0 });
        // 145 distinct addresses never have an OPTIN_TIME; the generic importer keeps the first row of a duplicate,
        // so 5 more whose first row lacks the time stay not provable (importMailchimp upgrades those to 145).
        assert.equal(r.notProvable.count, 150);
      }));

    it("mailchimp preset on the unsubscribed and cleaned exports: suppressions, and a permission held here ends (E5)", () =>
      withStore(async (run, store) => {
        const sub = await run({ path: file('one.csv', 'Email Address,OPTIN_TIME\nkmeijer@example.org,2023-12-03 17:14:50\n'), preset: 'mailchimp' });
        assert.equal(sub.files[0]!.created, 1);
        const uns = await run({ path: join(FIXTURES, 'mailchimp/unsubscribed_members_export.csv'), preset: 'mailchimp' });
        const cle = await run({ path: join(FIXTURES, 'mailchimp/cleaned_members_export.csv'), preset: 'mailchimp' });
        for (const r of [uns, cle]) {
          const c = counts(r);
          assert.deepEqual([c.created, c.updated, c.refused], [0, 0, 0]);
          assert.equal(c.rows, c.suppressed + c.merged + c.unchanged);
        }
        assert.equal(counts(uns).withdrawn, 1);
        // The cleaned export's addresses bounced: they are suppressed as cleaned, as `import mailchimp` does.
        const reasons = await store.db.selectFrom('suppressions').select(['reason', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('reason').orderBy('reason').execute();
        assert.deepEqual(reasons.map((r) => [r.reason, Number(r.n)]), [['imported_cleaned', counts(cle).suppressed], ['imported_unsubscribed', counts(uns).suppressed]]);
        const kees = (await permissionByEmail(store, 'kmeijer@example.org'))!;
        assert.deepEqual([kees.suppression, kees.status], ['imported_unsubscribed', 'withdrawn']);
        const active = await store.db.selectFrom('permissions').select('id').where('status', '=', 'active').execute();
        assert.deepEqual(active, []);
      }));

    it('laposta, brevo and listmonk presets: only opt-in records are proof, creation times need --evidence; unsubscribed, cleaned, disabled rows become suppressions', () =>
      withStore(async (run, store) => {
        const lap = await run({ path: file('laposta.csv', 'E-mailadres;Status;Aanmelddatum;IP-adres\nan@example.com;actief;2024-02-01 10:00:00;192.0.2.1\nbo@example.com;afgemeld;2023-01-01;\n'), preset: 'laposta' });
        assert.deepEqual([lap.files[0]!.created, lap.files[0]!.suppressed], [1, 1]);
        assert.equal((await permissionByEmail(store, 'an@example.com'))!.given_at, '2024-02-01T10:00:00.000Z');
        const bre = await run({ path: file('brevo.csv', 'EMAIL,FIRSTNAME,LASTNAME,ADDED_TIME,BLACKLISTED\ncas@example.com,Cas,Vos,2024-03-01 09:00:00,No\n'), preset: 'brevo' });
        assert.equal(bre.files[0]!.created, 1);
        // Brevo's ADDED_TIME says when the record was made, not how the person opted in: no proof without --evidence.
        assert.equal((await permissionByEmail(store, 'cas@example.com'))!.method, 'not_provable');
        // listmonk's own export: header and time format as its Go code writes them (cmd/subscribers.go).
        const listmonk = 'uuid,email,name,attributes,status,created_at,updated_at\n' +
          'a1,dirk@example.com,Dirk de Vries,"{""city"": ""Delft""}",enabled,2024-04-01 08:00:00.123456 +0200 +0200,2024-04-02 08:00:00 +0000 +0000\n' +
          'a2,eva@example.com,Eva,{},blocklisted,2024-04-01 08:00:00 +0000 +0000,2024-04-01 08:00:00 +0000 +0000\n' +
          'a3,fem@example.com,Fem,{},disabled,2024-04-01 08:00:00 +0000 +0000,2024-04-01 08:00:00 +0000 +0000\n';
        const lm = await run({ path: file('listmonk.csv', listmonk), preset: 'listmonk', evidenceRef: 'listmonk double opt-in form, list Tips, export of confirmed subscribers' });
        assert.deepEqual([lm.files[0]!.created, lm.files[0]!.suppressed, lm.files[0]!.refused], [1, 2, 0]);
        const dirk = (await permissionByEmail(store, 'dirk@example.com'))!;
        assert.deepEqual([dirk.first_name, dirk.last_name, dirk.method, dirk.given_at], ['Dirk', 'de Vries', 'import', '2024-04-01T06:00:00.000Z']);
        for (const gone of ['eva@example.com', 'fem@example.com']) {
          assert.equal(await store.db.selectFrom('contacts').select('id').where('email', '=', gone).executeTakeFirst(), undefined, gone);
        }
        const plain = await run({ path: file('listmonk-plain.csv', listmonk.replace('dirk@', 'daan@')), preset: 'listmonk' });
        assert.equal(plain.files[0]!.created, 1);
        assert.equal((await permissionByEmail(store, 'daan@example.com'))!.method, 'not_provable');
      }));

    it('status column: unconfirmed double opt-ins and unknown words are refused with their line, never imported as consent', () =>
      withStore(async (run, store) => {
        const r = await run({
          path: file('status.csv', 'Email,Status\nok@example.com,Subscribed\nwait@example.com,pending\nhalf@example.com,Onbevestigd\nodd@example.com,maybe\nleft@example.com,unsubscribed\n'),
          source: 'own_form_export', evidenceRef: 'form export 2024', date: '2024-01-01',
        });
        assert.deepEqual(counts(r), { rows: 5, created: 1, updated: 0, unchanged: 0, merged: 0, suppressed: 1, withdrawn: 0, refused: 3 });
        assert.deepEqual(r.refused.map((x) => [x.line, x.reason]), [
          [3, 'status "pending": the double opt-in was never confirmed, so there is no consent to import'],
          [4, 'status "Onbevestigd": the double opt-in was never confirmed, so there is no consent to import'],
          [5, 'status "maybe" is not known (known: subscribed, unsubscribed, unconfirmed and their synonyms)'],
        ]);
        const stored = await store.db.selectFrom('contacts').select('email').orderBy('email').execute();
        assert.deepEqual(stored.map((c) => c.email), ['ok@example.com']);
      }));

    it('opt-outs are read first and never lost: yes/no only from a blocklist column, bad dates and pasted addresses in opt-out rows (E5)', () =>
      withStore(async (run, store) => {
        const suppressed = async () => (await store.db.selectFrom('suppressions').select('hash').execute()).length;
        // A status column with yes/no values could mean either; refused, not guessed.
        const yn = await run({ path: file('yn.csv', 'Email,Status\neen@example.com,1\nnul@example.com,nee\n'), source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01' });
        assert.deepEqual(yn.refused.map((x) => x.line), [2, 3]);
        assert.match(yn.refused[0]!.reason, /^status "1" is a yes\/no value/);
        // Brevo's blocklist column: yes is an opt-out even when the row's date is unreadable (Dutch Excel's default).
        const bre = await run({
          path: file('brevo-excel.csv', 'EMAIL;ADDED_TIME;EMAIL_BLACKLISTED\nblok@example.com;1-4-2023 10:00 uur;Yes\nvrij@example.com;2023-04-01;No\nraar@example.com;2023-04-01;misschien\n'),
          preset: 'brevo', evidenceRef: 'brevo double opt-in form',
        });
        // Anything but an explicit no in an opt-out column is an opt-out: when in doubt, never mail.
        assert.deepEqual([bre.files[0]!.suppressed, bre.files[0]!.created, bre.files[0]!.refused], [2, 1, 0]);
        // Opt-outs pasted from a mail program, and one with an impossible unsubscribe date, still count.
        const pasted = await run({
          path: file('afmeldingen.csv', 'E-mail;Status;Aangemeld\nTom <tom@x.example>;afgemeld;31-02-2024\nmailto:marie@x.example;afgemeld;2099-01-01\n'),
          source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01',
        });
        assert.deepEqual([pasted.files[0]!.suppressed, pasted.files[0]!.refused], [2, 0]);
        const trailing = await run({
          path: file('afmeldingen2.csv', 'E-mail;Status\n"mieke@x.example;";afgemeld\nsara@x.example.;afgemeld\nmailto:lies@x.example?subject=hoi;afgemeld\n"jan@x.example, jan2@x.example";afgemeld\n'),
          source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01',
        });
        assert.deepEqual([trailing.files[0]!.suppressed, trailing.refused.map((x) => x.line)], [3, [5]]);
        // Subscribed, then unsubscribed later in the same file: the suppression is stored, not only the contact's flag.
        const order = await run({ path: file('order.csv', 'Email,Status\npiet@example.com,subscribed\nPIET@example.com,unsubscribed\n'), source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01' });
        assert.deepEqual([order.files[0]!.created, order.files[0]!.suppressed, order.files[0]!.withdrawn], [1, 1, 1]);
        assert.equal(await suppressed(), 8);
        // None of them can come back through a later list.
        const later = await run({ path: file('later.csv', 'Email\nblok@example.com\ntom@x.example\nmarie@x.example\npiet@example.com\n'), source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01' });
        assert.deepEqual([later.files[0]!.created, later.files[0]!.suppressed], [0, 4]);
      }));

    it('a stray quote deep in a large file is refused before anything is stored', () =>
      withStore(async (run, store) => {
        const rows = Array.from({ length: 4500 }, (_, i) => `p${i}@example.com,Naam ${i}`);
        rows[4000] = 'p4000@example.com,"Naam 4000';
        await rejectsWith(run({ path: file('stray.csv', `Email,Name\n${rows.join('\n')}\n`), source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01' }), /^stray\.csv: the CSV is malformed: a quote \("\) in the row that begins on line 4002 is never closed$/);
        assert.deepEqual(await tableCounts(store), { contacts: 0, suppressions: 0, permissions: 0, events: 0, imports: 0, purchases: 0 });
      }));

    it('opt-out and consent columns under the names other tools use; a Mailchimp opt-out export is opt-outs throughout', () =>
      withStore(async (run, store) => {
        const form = { source: 'own_form_export', evidenceRef: 'form', date: '2024-01-01' } as const;
        const hub = await run({ path: file('hubspot.csv', 'Email,Unsubscribed from all email\na1@example.com,true\na2@example.com,false\n'), ...form });
        const sf = await run({ path: file('salesforce.csv', 'Email,Email Opt Out\nb1@example.com,1\nb2@example.com,0\n'), ...form });
        const nl = await run({ path: file('afgemeld.csv', 'E-mail;Afgemeld\nc1@example.com;ja\nc2@example.com;nee\nc3@example.com;2024-03-01\n'), ...form });
        assert.deepEqual([hub, sf, nl].map((r) => [r.files[0]!.suppressed, r.files[0]!.created]), [[1, 1], [1, 1], [2, 1]]);
        const shop = await run({ path: file('shopify.csv', 'Email,Accepts Email Marketing\nd1@example.com,yes\nd2@example.com,no\nd3@example.com,misschien\n'), ...form });
        assert.equal(shop.files[0]!.created, 1);
        assert.deepEqual(shop.refused.map((x) => [x.line, x.reason]), [
          [3, 'consent "no": the file says this person did not opt in'],
          [4, 'consent "misschien" is not yes or no'],
        ]);
        // Shopify's newer consent column holds words; an empty consent cell is no proof; ja then nee in one file: nobody mailed.
        const more = await run({
          path: file('more.csv', 'Email,Email Marketing Consent\ne1s@example.com,subscribed\ne2s@example.com,not_subscribed\ne3s@example.com,unsubscribed\n'), ...form,
        });
        assert.deepEqual([more.files[0]!.created, more.files[0]!.suppressed, more.refused.map((x) => x.reason)], [1, 1, ['status "not_subscribed": the file says this person did not opt in']]);
        const odd = await run({
          path: file('odd.csv', 'E-mail;Nieuwsbrief;Afgemeld (ja/nee)\nleeg@example.com;;\ndubbel@example.com;ja;\nDUBBEL@example.com;nee;\nvraag@example.com;ja;ja\n'), ...form,
        });
        assert.deepEqual([odd.files[0]!.created, odd.files[0]!.withdrawn, odd.files[0]!.suppressed, odd.refused.map((x) => [x.line, x.reason])], [
          1, 1, 1, [[2, 'the consent cell is empty: the file does not say this person opted in'], [4, 'consent "nee": the file says this person did not opt in']],
        ]);
        assert.equal((await permissionByEmail(store, 'dubbel@example.com'))!.status, 'withdrawn');
        // A machine address cannot have opted in; its opt-out still counts.
        const machines = await run({ path: file('machines.csv', 'Email,Status\nnoreply@example.com,subscribed\nPostmaster@example.com,subscribed\nno-reply+x@example.com,unsubscribed\n'), ...form });
        assert.deepEqual([machines.files[0]!.suppressed, machines.refused.map((x) => x.reason)], [1, [
          'noreply@example.com: nobody reads this address, so it cannot have given consent',
          'postmaster@example.com: nobody reads this address, so it cannot have given consent',
        ]]);
        // Invisible characters copied along with an opt-out do not hide it.
        const zw = await run({ path: file('zw.csv', 'Email,Unsubscribed?\nzw\u200b1@example.com,yes\nnb\u00a0@example.com,yes\nsh\u00ad2@example.com,yes\n'), ...form });
        assert.deepEqual([zw.files[0]!.suppressed, zw.refused.length], [3, 0]);
        // A customer who said no to the newsletter at the purchase stays a customer, with that objection recorded.
        const customers = await run({
          path: file('klanten.csv', 'Klantnummer;E-mailadres;Laatste bestelling;Productgroep;Nieuwsbrief\nK1;k1@example.com;01-03-2026;Koffie;ja\nK2;k2@example.com;01-03-2026;Koffie;nee\n'),
          preset: 'webshop-klanten',
        });
        assert.deepEqual([customers.files[0]!.created, customers.refused], [2, []]);
        const optedOut = await store.db.selectFrom('contacts').select(['email', 'customer_opted_out']).where('email', 'like', 'k_@example.com').orderBy('email').execute();
        assert.deepEqual(optedOut.map((c) => [c.email, c.customer_opted_out]), [['k1@example.com', 0], ['k2@example.com', 1]]);
        const k2 = optedOut[1]!;
        const objection = await store.db.selectFrom('consent_events').innerJoin('contacts', 'contacts.id', 'consent_events.subject_id')
          .select(['consent_events.type', 'consent_events.purpose_id', 'consent_events.occurred_at']).where('contacts.email', '=', k2.email).execute();
        assert.deepEqual(objection, [{ type: 'objected', purpose_id: null, occurred_at: '2026-03-01T00:00:00.000Z' }]);
        // Mailchimp's unsubscribed export with some UNSUB_TIME cells emptied: still opt-outs, every row.
        const unsub = 'Email Address,First Name,OPTIN_TIME,UNSUB_TIME\ne1@example.com,E,2023-01-01 10:00:00,\ne2@example.com,E,2023-01-01 10:00:00,2024-01-01 10:00:00\n';
        const mc = await run({ path: file('unsub-blank.csv', unsub), preset: 'mailchimp' });
        assert.deepEqual([mc.files[0]!.suppressed, mc.files[0]!.created], [2, 0]);
        const notSuppressed = await store.db.selectFrom('contacts').select('email').where('suppression', 'is', null).orderBy('email').execute();
        assert.deepEqual(notSuppressed.map((c) => c.email), ['a2@example.com', 'b2@example.com', 'c2@example.com', 'd1@example.com', 'dubbel@example.com', 'e1s@example.com', 'k1@example.com', 'k2@example.com']);
      }));

    it('BOM, ; and Windows-1252 accents, German/French headers, IDN, duplicates, invalid addresses with line numbers', () =>
      withStore(async (run, store) => {
        const text = 'E-Mail-Adresse;Vorname;Nachname;Stadt\r\nrené@bücher.example;René;Müller;Köln\r\n RENÉ@BÜCHER.EXAMPLE ;René;Müller;Köln\r\nkein-at.example;X;Y;Z\r\njosé@example.com;José;Peña;Málaga\r\n';
        const r = await run({ path: file('win1252.csv', iconv.encode(text, 'win1252')), source: 'own_form_export', date: '2024-01-01' });
        assert.deepEqual(counts(r), { rows: 4, created: 2, updated: 0, unchanged: 0, merged: 1, suppressed: 0, withdrawn: 0, refused: 1 });
        assert.deepEqual(r.refused, [{ file: 'win1252.csv', line: 4, code: 'address-invalid', params: { field: 'email', value: 'kein-at.example' }, reason: 'e-mail: "kein-at.example" has no @' }]);
        const rene = (await permissionByEmail(store, 'rené@xn--bcher-kva.example'))!;
        assert.deepEqual([rene.first_name, rene.last_name, JSON.parse(rene.attributes).Stadt], ['René', 'Müller', 'Köln']);
        const fr = await run({ path: file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Courriel,Prénom,Nom\nzoé@example.fr,Zoé,Lefèvre\n')])), source: 'own_form_export', date: '2024-01-01' });
        assert.equal(fr.files[0]!.created, 1);
        assert.equal((await permissionByEmail(store, 'zoé@example.fr'))!.last_name, 'Lefèvre');
        const u16 = await run({ path: file('utf16.tsv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('E-mail\tVoornaam\nutf16@example.nl\tÏne\n', 'utf16le')])), source: 'own_form_export', date: '2024-01-01' });
        assert.equal(u16.files[0]!.created, 1);
      }));

    it('a quoted line break: the refusal names the physical line', () =>
      withStore(async (run) => {
        const r = await run({ path: file('quoted.csv', 'Email,Notes\r\nok@example.com,"two\r\nlines"\r\nbad@,x\r\n'), source: 'own_form_export', date: '2024-01-01' });
        assert.deepEqual(r.refused.map((x) => x.line), [4]);
        assert.equal(r.files[0]!.created, 1);
      }));

    it('refuses a one-column file, an empty file, a header-only file and a wrong explicit encoding, storing nothing', () =>
      withStore(async (run, store) => {
        await rejectsWith(run({ path: file('one.csv', 'E-mailadres;Voornaam\nan@example.com;An\n'.replaceAll(';', '|')), source: 'own_form_export' }), /only one column found.*delimiter/);
        await rejectsWith(run({ path: file('empty.csv', ''), source: 'own_form_export' }), /is empty/);
        await rejectsWith(run({ path: file('header.csv', 'Email,Name\n'), source: 'own_form_export' }), /no rows/);
        await rejectsWith(run({ path: file('latin.csv', iconv.encode('Email;Naam\nx@example.com;Renée\n', 'win1252')), source: 'own_form_export', encoding: 'utf-8' }), /not valid UTF-8/);
        await rejectsWith(run({ path: file('ok.csv', 'Email,Name\nx@example.com,X\n'), source: 'nowhere' }), /unknown source/);
        assert.deepEqual(await tableCounts(store), { contacts: 0, suppressions: 0, permissions: 0, events: 0, imports: 0, purchases: 0 });
      }));

    it('provenance: a third party without evidence and a public profile get a blocked permission; with evidence it counts', () =>
      withStore(async (run, store) => {
        await run({ path: file('tp.csv', 'Email,Name\ntp@example.com,T\n'), source: 'third_party', date: '2024-01-01' });
        const tp = (await permissionByEmail(store, 'tp@example.com'))!;
        assert.deepEqual([tp.method, tp.third_party_evidence, tp.source_kind], ['third_party', 0, 'third_party']);
        // A reference alone is not enough: the evidence must name us and the purpose (B1/B2), as the importer states.
        await run({ path: file('tp1.csv', 'Email,Name\ntp1@example.com,T\n'), source: 'third_party', date: '2024-01-01', evidenceRef: 'x' });
        await run({ path: file('tp3.csv', 'Email,Name\ntp3@example.com,T\n'), source: 'third_party', date: '2024-01-01', evidenceRef: 'contract-7', evidenceNames: { organisation: true, purpose: false } });
        await run({ path: file('tp2.csv', 'Email,Name\ntp2@example.com,T\n'), source: 'third_party', date: '2024-01-01', evidenceRef: 'contract-7', evidenceNames: { organisation: true, purpose: true } });
        for (const [email, documented] of [['tp1@example.com', 0], ['tp3@example.com', 0], ['tp2@example.com', 1]] as const) {
          assert.equal((await permissionByEmail(store, email))!.third_party_evidence, documented, email);
        }
        // Neither a future --date nor a basis other than consent for a newsletter purpose is accepted.
        await rejectsWith(run({ path: file('future.csv', 'Email,Name\nfu@example.com,F\n'), source: 'own_form_export', date: '2099-01-01', evidenceRef: 'x' }), /--date "2099-01-01" is in the future/);
        await rejectsWith(run({ path: file('ancient.csv', 'Email,Name\nan@example.com,A\n'), source: 'own_form_export', date: '0001-01-01', evidenceRef: 'x' }), /--date "0001-01-01" is before 1990/);
        const times = await run({
          path: file('times.csv', 'Email,OPTIN_TIME,CONFIRM_TIME\nold@example.com,1800-01-01 10:00:00,\nback@example.com,2024-01-02 10:00:00,2024-01-01 10:00:00\n'),
          preset: 'mailchimp',
        });
        assert.deepEqual(times.refused.map((x) => x.reason), [
          'opt-in time "1800-01-01 10:00:00" is before 1990: not a plausible consent',
          'confirmation time "2024-01-01 10:00:00" is before the opt-in time "2024-01-02 10:00:00"',
        ]);
        await rejectsWith(run({ path: file('li-basis.csv', 'Email,Name\nlb@example.com,L\n'), source: 'own_form_export', basis: 'A6-1-f', evidenceRef: 'x' }), /--basis A6-1-f: purpose "tips" \(purpose_marketing\) accepts A6-1-a, not A6-1-f; nothing was imported\./);
        await run({ path: file('li.csv', 'Email,Name\nli@example.com,L\n'), source: 'public_profile', date: '2024-01-01' });
        const li = (await permissionByEmail(store, 'li@example.com'))!;
        assert.deepEqual([li.method, li.source_kind], ['not_provable', 'public_profile']);
        await run({ path: file('nodate.csv', 'Email,Name\nnd@example.com,N\n'), source: 'own_form_export' });
        assert.equal((await permissionByEmail(store, 'nd@example.com'))!.method, 'not_provable');
        // A date typed on the command line is proof only with a reference to the evidence kept for it.
        await run({ path: file('bare.csv', 'Email,Name\nbare@example.com,B\n'), source: 'own_form_export', date: '2024-01-01' });
        assert.equal((await permissionByEmail(store, 'bare@example.com'))!.method, 'not_provable');
        // The same file again with other evidence is refused, not silently treated as "nothing new".
        await rejectsWith(
          run({ path: file('bare.csv', 'Email,Name\nbare@example.com,B\n'), source: 'own_form_export', date: '2024-01-01', evidenceRef: 'found it later' }),
          /^this file was imported on \d{4}-\d{2}-\d{2} for this purpose with source form, basis A6-1-a, evidence \(none\) \(import [0-9a-f-]+\); an import's provenance cannot be changed/,
        );
        assert.equal((await permissionByEmail(store, 'bare@example.com'))!.method, 'not_provable');
        await run({ path: file('kept.csv', 'Email,Name\nkept@example.com,K\n'), source: 'own_form_export', date: '2024-01-01', evidenceRef: 'archive/2024-forms.pdf' });
        assert.equal((await permissionByEmail(store, 'kept@example.com'))!.method, 'import');
        // A typed date column is no more proof than a typed command-line date.
        await run({ path: file('typed.csv', 'Email,Aangemeld op\ntyped@example.com,2024-05-01\n'), source: 'own_form_export', map: 'email=Email,optin_time=Aangemeld op' });
        assert.equal((await permissionByEmail(store, 'typed@example.com'))!.method, 'not_provable');
      }));

    it('suppressed and unsubscribed addresses stay so after an import (E5)', () =>
      withStore(async (run, store) => {
        await addSuppression(store.db, suppressionHash(SECRET, 'gone@example.com'), 'unsubscribed', null, NOW);
        await run({ path: file('a.csv', 'Email,Name\nkeep@example.com,K\n'), source: 'own_form_export', date: '2024-01-01' });
        const b = await run({ path: file('b.csv', 'Email,Status\nkeep@example.com,unsubscribed\n'), source: 'own_form_export' });
        assert.deepEqual([b.files[0]!.suppressed, b.files[0]!.withdrawn], [1, 1]);
        const r = await run({ path: file('c.csv', 'Email,Name\ngone@example.com,G\nkeep@example.com,K\n'), source: 'own_form_export', date: '2024-01-01' });
        assert.equal(r.files[0]!.suppressed, 2);
        assert.equal(await store.db.selectFrom('contacts').select('id').where('email', '=', 'gone@example.com').executeTakeFirst(), undefined);
        const keep = (await permissionByEmail(store, 'keep@example.com'))!;
        assert.deepEqual([keep.suppression, keep.status], ['imported_unsubscribed', 'withdrawn']);
      }));
  });
}
