import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world, linkIn, type TestWorld } from '../support/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { permissionFor } from '../../src/store/permissions.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lastConfirmToken = async (w: TestWorld) => {
  const mails = await w.mails();
  return linkIn(mails[mails.length - 1]!.text!, '/confirm/').split('/confirm/')[1]!;
};

describe('signing up again', () => {
  it('E5: an unsubscribed person on a single opt-in form stays unsubscribed until they confirm', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      await createForm(w.deps, { id: 'snel', name: 'Snel', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], doubleOptIn: false, singleOptInAcknowledged: true });
      const first = await subscribe(w.deps, { formId: 'snel', email: 'kim@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
      assert.deepEqual(first.active, ['tips']);
      const token = unsubscribeUrl(w.deps, first.contactId, 'tips', null).split('/u/')[1]!;
      await unsubscribe(w.deps, { token, scope: 'purpose', channel: 'page' });

      const again = await subscribe(w.deps, { formId: 'snel', email: 'kim@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
      assert.deepEqual(again.pending, ['tips']);
      assert.equal((await permissionFor(store.db, first.contactId, 'tips'))!.status, 'withdrawn');
      await confirm(w.deps, { token: await lastConfirmToken(w), ip: null, userAgent: null });
      const p = (await permissionFor(store.db, first.contactId, 'tips'))!;
      assert.equal(p.status, 'active');
      assert.equal(p.method, 'double_opt_in');
    } finally {
      await store.dispose();
    }
  });

  it('F1/B6: an imported contact without provable consent renews it through the form', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-mc-'));
      const file = join(dir, 'subscribed_members_export.csv');
      writeFileSync(file, 'Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\nnoor@example.nl,Noor,Bos,,,,\n');
      await importMailchimp(w.deps, { files: { subscribed: file }, purposeId: 'tips' });
      const contact = (await contactByEmail(store.db, 'noor@example.nl'))!;
      assert.equal((await permissionFor(store.db, contact.id, 'tips'))!.method, 'not_provable');

      const r = await subscribe(w.deps, { formId: 'tips', email: 'noor@example.nl', purposes: ['tips'], language: 'nl', ip: '192.0.2.9', userAgent: 'test' });
      assert.deepEqual(r.pending, ['tips']);
      assert.equal((await permissionFor(store.db, contact.id, 'tips'))!.method, 'not_provable', 'unchanged until confirmed');
      await confirm(w.deps, { token: await lastConfirmToken(w), ip: null, userAgent: null });
      const p = (await permissionFor(store.db, contact.id, 'tips'))!;
      assert.deepEqual([p.status, p.method, p.given_at, p.import_id], ['active', 'double_opt_in', w.clock.now().toISOString(), null]);
      assert.ok(p.confirmed_at);
    } finally {
      await store.dispose();
    }
  });
});
