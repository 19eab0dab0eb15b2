import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { importMailchimp, mailchimpPaths } from '../../src/services/lists/import/mailchimp.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { permissionFor } from '../../src/store/permissions.js';

const HEADER = 'Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP';

describe('files edited on several systems', () => {
  it('reads CRLF and LF rows alike, so an appended opt-out is never lost', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-eol-'));
      writeFileSync(join(dir, 'subscribed_members_export.csv'), `${HEADER}\r\nanna@example.nl,Anna,A,2024-01-01 10:00:00,,2024-01-01 10:05:00,\r\nbram@example.nl,Bram,B,2024-01-02 10:00:00,,2024-01-02 10:05:00,\r\n`);
      // CRLF rows from the export, then two rows appended on a Mac (LF).
      writeFileSync(join(dir, 'unsubscribed_members_export.csv'), `${HEADER}\r\ncees@example.nl,Cees,C,2023-01-01 10:00:00,,,\r\nbram@example.nl,Bram,B,2024-01-02 10:00:00,,,\ndirk@example.nl,Dirk,D,2024-01-03 10:00:00,,,\n`);
      const report = await importMailchimp(w.deps, { files: { subscribed: join(dir, 'subscribed_members_export.csv'), unsubscribed: join(dir, 'unsubscribed_members_export.csv') }, purposeId: 'tips' });
      const unsub = report.files.find((f) => f.role === 'unsubscribed')!;
      assert.equal(unsub.rows, 3);
      assert.equal(unsub.suppressed, 3);
      assert.equal(await contactByEmail(store.db, 'bram@example.nl'), undefined, 'bram unsubscribed: suppressed, never a contact');
      const anna = (await contactByEmail(store.db, 'anna@example.nl'))!;
      assert.equal((await permissionFor(store.db, anna.id, 'tips'))!.status, 'active');
    } finally {
      await store.dispose();
    }
  });

  it('refuses a row whose field count differs from the header, naming its line, and imports the rest', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-eol-'));
      const file = join(dir, 'lijst.csv');
      writeFileSync(file, 'E-mailadres;Voornaam\r\neva@example.nl;Eva\r\nfout@example.nl;Fout;extra;velden\r\ngijs@example.nl;Gijs\n');
      const report = await importCsv(w.deps, { path: file, source: 'trade_fair', purposeId: 'tips', evidenceRef: 'Horecava 2026' });
      assert.deepEqual(report.refused, [{ file: 'lijst.csv', line: 3, code: 'field-count', params: { count: 4, width: 2 }, reason: 'line 3 has 4 fields where the header has 2' }]);
      assert.equal(report.files[0]!.created, 2);
    } finally {
      await store.dispose();
    }
  });

  it('refuses an opt-in time in the future or before 1990 and a confirmation before the opt-in; cleans control characters out of names', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-eol-'));
      const file = join(dir, 'subscribed_members_export.csv');
      writeFileSync(file, `${HEADER}\nfuture@example.nl,Fu,Ture,2099-02-19 10:00:00,,,\nname@example.nl,"Jan\r\nBcc: x",\u001b[31mRed,2024-01-01 10:00:00,,,\n` +
        'old@example.nl,O,Ld,1800-01-01 10:00:00,,,\nback@example.nl,B,Ack,2024-01-02 10:00:00,,2024-01-01 10:00:00,\n');
      const report = await importMailchimp(w.deps, { files: { subscribed: file }, purposeId: 'tips' });
      assert.deepEqual(report.refused, [
        { file: 'subscribed_members_export.csv', line: 2, code: 'date-in-future', params: { field: 'OPTIN_TIME', value: '2099-02-19 10:00:00' }, reason: 'OPTIN_TIME "2099-02-19 10:00:00" is in the future' },
        { file: 'subscribed_members_export.csv', line: 5, code: 'date-too-early', params: { field: 'OPTIN_TIME', value: '1800-01-01 10:00:00', year: 1990 }, reason: 'OPTIN_TIME "1800-01-01 10:00:00" is before 1990: not a plausible consent' },
        {
          file: 'subscribed_members_export.csv', line: 6, code: 'confirm-before-optin',
          params: { field: 'CONFIRM_TIME', value: '2024-01-01 10:00:00', optinField: 'OPTIN_TIME', optin: '2024-01-02 10:00:00' },
          reason: 'CONFIRM_TIME "2024-01-01 10:00:00" is before OPTIN_TIME "2024-01-02 10:00:00"',
        },
      ]);
      assert.equal(await contactByEmail(store.db, 'future@example.nl'), undefined);
      const c = (await contactByEmail(store.db, 'name@example.nl'))!;
      assert.deepEqual([c.first_name, c.last_name], ['Jan Bcc: x', '[31mRed']);
    } finally {
      await store.dispose();
    }
  });

  it('recognises renamed Mailchimp export files by their header line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-mc-'));
    writeFileSync(join(dir, 'leden.csv'), `${HEADER}\n`);
    writeFileSync(join(dir, 'afmeldingen.csv'), `${HEADER},UNSUB_TIME,UNSUB_CAMPAIGN_TITLE\n`);
    writeFileSync(join(dir, 'bounces.csv'), `${HEADER},CLEAN_TIME\n`);
    writeFileSync(join(dir, 'notities.txt'), 'niet relevant');
    // The companions a Mac leaves in a copied folder, named like the exports, are skipped.
    writeFileSync(join(dir, '._cleaned_members_export_1.csv'), Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]));
    writeFileSync(join(dir, '._leden.csv'), `${HEADER}\n`);
    assert.deepEqual(mailchimpPaths([dir]).files, {
      subscribed: join(dir, 'leden.csv'),
      unsubscribed: join(dir, 'afmeldingen.csv'),
      cleaned: join(dir, 'bounces.csv'),
    });
  });

  it('names a path that does not exist', () => {
    assert.throws(() => mailchimpPaths(['/nonexistent/export']), /\/nonexistent\/export: no such file or folder/);
  });

  it('accepts a plain list of addresses in one column, and still refuses one column that is no e-mail column', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-one-'));
      writeFileSync(join(dir, 'adressen.csv'), 'E-mailadres\nlies@example.nl\nmarc@example.nl\n');
      const r = await importCsv(w.deps, { path: join(dir, 'adressen.csv'), source: 'trade_fair', purposeId: 'tips', evidenceRef: 'Horecava 2026' });
      assert.equal(r.files[0]!.created, 2);
      writeFileSync(join(dir, 'pijp.csv'), 'Naam|E-mailadres\nLies|lies@example.nl\n');
      await assert.rejects(importCsv(w.deps, { path: join(dir, 'pijp.csv'), source: 'trade_fair', purposeId: 'tips' }), /only one column found in the header/);
    } finally {
      await store.dispose();
    }
  });

  it('E5: an opt-out row of the wrong shape still suppresses its address', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-mc-'));
      writeFileSync(join(dir, 'subscribed_members_export.csv'), `${HEADER}\nnl5@example.nl,N,L,2024-01-01 10:00:00,,2024-01-01 10:05:00,\n`);
      writeFileSync(join(dir, 'unsubscribed_members_export.csv'), `${HEADER}\nnl5@example.nl,N,L,2024-01-01 10:00:00\n`);
      const report = await importMailchimp(w.deps, { ...mailchimpPaths([dir]), purposeId: 'tips' });
      assert.equal(report.files.find((f) => f.role === 'unsubscribed')!.suppressed, 1);
      assert.equal(await contactByEmail(store.db, 'nl5@example.nl'), undefined);
    } finally {
      await store.dispose();
    }
  });
});
