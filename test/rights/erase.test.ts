import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { createCampaign, previewCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { eraseContact } from '../../src/services/rights/erase.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { fileURLToPath } from 'node:url';
import { suppressionHash } from '../../src/core/suppression.js';
import { takeCheckpoint, verifyLedger } from '../../src/store/ledger.js';
import { erasedDeliveryCounts } from '../../src/store/retention-log.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { addRequest } from '../../src/services/rights/requests.js';
import { runRetention } from '../../src/services/rights/retention.js';
import Database from 'better-sqlite3';
import { findInFiles, findInTables, mailchimpExport, signUpConfirmed } from './helpers.js';

const ADDRESS = 'anna.erase@example.nl';
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

for (const dialect of DIALECTS) {
  describe(`erasure (${dialect.name})`, () => {
    it('E5: a person re-created after erasure carries the suppression in preview too, until their own confirmation', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, ADDRESS);
        await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
        await subscribe(w.deps, { formId: 'tips', email: ADDRESS, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
        const c = await createCampaign(w.deps, { name: 'p', purposeId: 'tips', subject: 'p', body: 'p' });
        assert.deepEqual((await previewCampaign(w.deps, c.id)).blockedBy, { SUPPRESSED: 1 });
      } finally {
        await store.dispose();
      }
    });

    it('E6: an address erased after a large import leaves no bytes in the database file (pages split before the erasure)', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        // 500 customers make the tables and indexes split pages, moving cells around before the erasure.
        await importCsv(w.deps, { path: join(FIXTURES, 'webshop-klanten.csv'), preset: 'webshop-klanten', source: 'customer_records', purposeId: 'tips' });
        const victim = (await store.db.selectFrom('contacts').select(['id', 'email']).orderBy('email').offset(250).limit(1).executeTakeFirstOrThrow());
        const r = await eraseContact(w.deps, victim.id, 'request:art17', { outboxDir: w.outbox });
        assert.equal(r.walTruncated, true);
        assert.deepEqual(await findInTables(store.db, store.dialect, victim.email), []);
        if (store.dialect === 'sqlite') assert.deepEqual(findInFiles(dirname(store.target), victim.email), []);
      } finally {
        await store.dispose();
      }
    });

    if (dialect.name === 'sqlite')
      it('E6: bytes of the address that SQLite left outside any record are found after the erasure, and the file is rebuilt without them', async () => {
        const store = await dialect.open();
        try {
          const w = await world(store);
          const id = await signUpConfirmed(w, ADDRESS);
          // Dead bytes holding the address in free space, as a page reorganised before secure_delete could see them.
          const raw = store.sqlite!;
          raw.pragma('secure_delete = OFF');
          raw.exec('create table scratch (v text)');
          raw.prepare('insert into scratch (v) values (?)').run(`${ADDRESS} `.repeat(40));
          raw.exec('drop table scratch');
          raw.pragma('secure_delete = ON');
          raw.pragma('wal_checkpoint(TRUNCATE)');
          assert.deepEqual(findInFiles(dirname(store.target), ADDRESS).map((f) => f.slice(-7)), ['.sqlite'], 'the planted bytes are in the file');
          const r = await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
          assert.equal(r.walTruncated, true);
          assert.deepEqual(findInFiles(dirname(store.target), ADDRESS), []);
        } finally {
          await store.dispose();
        }
      });

    if (dialect.name === 'sqlite')
      it('E6: a reader on another connection keeps the write-ahead log busy: the erasure says so, and the next retention run empties it', async () => {
        const store = await dialect.open();
        const reader = new Database(store.target, { readonly: true });
        try {
          const w = await world(store);
          const id = await signUpConfirmed(w, ADDRESS);
          const other = await signUpConfirmed(w, 'bert@example.nl', 'Bert');
          const open = reader.prepare('select id from contacts').iterate();
          open.next(); // holds a read snapshot, as the server does mid-query
          store.sqlite!.pragma('busy_timeout = 20');
          const r = await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
          assert.equal(r.walTruncated, false);
          assert.deepEqual(findInFiles(dirname(store.target), ADDRESS).map((f) => f.slice(-4)), ['-wal'], 'old page images in the log');
          open.return!();
          await runRetention(w.deps, { dryRun: false });
          assert.deepEqual(findInFiles(dirname(store.target), ADDRESS), []);
          assert.equal((await eraseContact(w.deps, other, 'request:art17')).walTruncated, true);
        } finally {
          reader.close();
          await store.dispose();
        }
      });

    it('E6: erasure leaves no clear-text address in any table, the outbox or the data directory; the ledger verifies', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, ADDRESS);
        await store.db.insertInto('purchases').values({ id: 'p1', contact_id: id, product_category: 'beans', purchased_at: '2026-01-01T00:00:00.000Z', opt_out_offered: 'clear', created_at: '2026-01-01T00:00:00.000Z' }).execute();
        await addRequest(w.deps, { kind: 'erasure', channel: 'letter', receivedAt: w.clock.now(), requester: `Anna, ${ADDRESS}`, contact: id });
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo {{ first_name }}', body: 'Voor {{ email }}' });
        await startCampaign(w.deps, c.id);
        assert.equal((await drainQueue(w.deps)).sent, 1);
        await takeCheckpoint(store.db, store.dialect, w.clock.now());
        assert.ok((await findInTables(store.db, store.dialect, ADDRESS)).length > 0);
        assert.ok(findInFiles(w.outbox, ADDRESS).length > 0);
        if (store.dialect === 'sqlite') assert.ok(findInFiles(dirname(store.target), ADDRESS).length > 0);

        const r = await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
        assert.equal(r.deliveriesRemoved, 1);
        assert.ok(r.eventsScrubbed >= 2);
        assert.equal(r.outboxFilesDeleted.length, 2, 'confirmation mail and campaign mail');

        assert.deepEqual(await findInTables(store.db, store.dialect, ADDRESS), []);
        const hash = suppressionHash(w.deps.secret, ADDRESS);
        assert.deepEqual(await findInTables(store.db, store.dialect, hash), ['suppressions.hash']);
        assert.deepEqual(findInFiles(w.outbox, ADDRESS), []);
        if (store.dialect === 'sqlite') assert.deepEqual(findInFiles(dirname(store.target), ADDRESS), []);
        assert.deepEqual(await erasedDeliveryCounts(store.db, c.id), { sent: 1 });
        const ledger = await verifyLedger(store.db, store.dialect);
        assert.equal(ledger.ok, true, JSON.stringify(ledger.problems));
        const last = await store.db.selectFrom('consent_events').selectAll().where('subject_id', '=', id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.equal(last.type, 'erased');
        assert.equal(last.personal, null);
      } finally {
        await store.dispose();
      }
    });

    it('E5/E6: after erasure a sign-up or import by someone else does not make the address mailable', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, ADDRESS);
        await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
        // Someone else types the address into the form and never confirms.
        const other = await subscribe(w.deps, { formId: 'tips', email: ADDRESS, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
        const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'x', body: 'x' });
        await startCampaign(w.deps, c.id);
        assert.equal((await drainQueue(w.deps)).sent, 0);
        assert.notEqual((await deliveryFor(store.db, c.id, other.contactId))?.state, 'sent');
        // An import of an old list with the address keeps it off the list.
        const dir = mkdtempSync(join(tmpdir(), 'consentry-mc-'));
        const report = await importMailchimp(w.deps, { files: mailchimpExport(dir, ADDRESS), purposeId: 'tips' });
        assert.equal(report.files[0]!.suppressed, 1);
        const c2 = await createCampaign(w.deps, { name: 'y', purposeId: 'tips', subject: 'y', body: 'y' });
        await startCampaign(w.deps, c2.id);
        assert.equal((await drainQueue(w.deps)).sent, 0);
      } finally {
        await store.dispose();
      }
    });

    it("E5: the person's own new confirmed sign-up lifts the 'erased' suppression", async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, ADDRESS);
        await eraseContact(w.deps, id, 'request:art17', { outboxDir: w.outbox });
        const again = await signUpConfirmed(w, ADDRESS, 'Anna');
        const contact = (await contactByEmail(store.db, ADDRESS))!;
        assert.equal(contact.id, again);
        const c = await createCampaign(w.deps, { name: 'z', purposeId: 'tips', subject: 'z', body: 'z' });
        await startCampaign(w.deps, c.id);
        assert.equal((await drainQueue(w.deps)).sent, 1);
      } finally {
        await store.dispose();
      }
    });
  });
}
