import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteStore } from '../support/stores.js';
import { world, linkIn, type TestWorld } from '../support/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { campaignById } from '../../src/store/campaigns.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { DomainError } from '../../src/services/errors.js';

async function confirmed(w: TestWorld, email: string, firstName: string): Promise<string> {
  const r = await subscribe(w.deps, { formId: 'tips', email, firstName, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const mails = await w.mails();
  await confirm(w.deps, { token: linkIn(mails[mails.length - 1]!.text!, '/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  return r.contactId;
}

describe('sending is robust', () => {
  it('refuses control characters in a name at sign-up', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      for (const firstName of ['a\u0001b', '\u001b[31mRED', 'Jan\nBcc: x@example.com']) {
        await assert.rejects(
          subscribe(w.deps, { formId: 'tips', email: 'x@example.nl', firstName, purposes: ['tips'], language: 'nl', ip: null, userAgent: null }),
          (e: DomainError) => e.kind === 'invalid' && e.field === 'firstName',
        );
      }
    } finally {
      await store.dispose();
    }
  });

  it('refuses a quoted local part at sign-up, storing nothing', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      await assert.rejects(
        subscribe(w.deps, { formId: 'tips', email: '"a b"@example.org', purposes: ['tips'], language: 'nl', ip: null, userAgent: null }),
        (e: DomainError) => e.kind === 'invalid' && e.field === 'email',
      );
      const n = await store.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    } finally {
      await store.dispose();
    }
  });

  it('fails one delivery whose name the template cannot use and sends to everyone else', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const good = await confirmed(w, 'goed@example.nl', 'Goed');
      const bad = await confirmed(w, 'fout@example.nl', 'Fout');
      // Data stored before names were checked: a line break that would end up in the subject.
      await store.db.updateTable('contacts').set({ first_name: 'Fout\r\nBcc: all@example.com' }).where('id', '=', bad).execute();
      const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'Hallo {{ first_name }}', body: 'Tekst' });
      await startCampaign(w.deps, c.id);
      const r = await drainQueue(w.deps);
      assert.deepEqual([r.sent, r.failed], [1, 1]);
      assert.equal((await deliveryFor(store.db, c.id, good))!.state, 'sent');
      const failed = (await deliveryFor(store.db, c.id, bad))!;
      assert.equal(failed.state, 'failed');
      assert.match(failed.smtp_reply!, /^not composed: subject/);
      assert.equal((await campaignById(store.db, c.id))!.status, 'sent');
    } finally {
      await store.dispose();
    }
  });

  it('marks a campaign with nobody to mail as sent, so it never mails people who join later', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'Leeg', body: 'Tekst' });
      assert.deepEqual(await startCampaign(w.deps, c.id), { queued: 0, blocked: 0 });
      assert.equal((await campaignById(store.db, c.id))!.status, 'sent');
      await confirmed(w, 'later@example.nl', 'Later');
      await assert.rejects(startCampaign(w.deps, c.id), (e: DomainError) => e.kind === 'conflict');
    } finally {
      await store.dispose();
    }
  });
});
