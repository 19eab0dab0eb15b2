// A test send (issue 10): only to an admin user's address, "[TEST]" in the subject, the campaign as the chosen
// contact would get it in the same layout, a placeholder unsubscribe link and uncounted links, and nothing counted
// or stored: no delivery, no figure, no click counter. On both databases, through the outbox; and the API route.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { addUser } from '../../src/services/admin/users.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { setClickCounting } from '../../src/services/campaigns/click-links.js';
import { campaignFigures } from '../../src/services/campaigns/figures.js';
import { sendTestMessage, TEST_UNSUBSCRIBE_PATH } from '../../src/services/campaigns/test-send.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { DomainError } from '../../src/services/errors.js';
import { campaignById } from '../../src/store/campaigns.js';
import { buildApp } from '../../src/web/app.js';
import { confirmedSubscriber } from './helpers.js';

const BODY = '# Vers gebrand\n\nHallo {{ first_name | default: "lezer" }}, lees [onze tips](https://deboon.example/tips).';

for (const dialect of DIALECTS) {
  describe(`campaign test send (${dialect.name})`, () => {
    it('goes only to an admin user, marked [TEST], as the contact would see it, and counts nowhere', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await addUser(w.deps, { email: 'redactie@deboon.example', role: 'editor', password: null });
        await setClickCounting(w.deps, 'tips', true);
        const anna = await confirmedSubscriber(w.deps, 'anna@example.nl', 'Anna');
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Nieuws voor {{ first_name }}', body: BODY, format: 'markdown', language: 'en' });
        const before = (await w.mails()).length;

        await assert.rejects(sendTestMessage(w.deps, { campaignId: c.id, to: 'anna@example.nl', contact: anna }), (e: DomainError) => e.field === 'to' && e.code === 'not-admin-address');
        await assert.rejects(sendTestMessage(w.deps, { campaignId: c.id, to: 'niet een adres' }), (e: DomainError) => e.code === 'not-admin-address');
        await assert.rejects(sendTestMessage(w.deps, { campaignId: 'nope', to: 'redactie@deboon.example' }), (e: DomainError) => e.kind === 'not_found');
        assert.equal((await w.mails()).length, before, 'nothing sent on a refusal');

        const r = await sendTestMessage(w.deps, { campaignId: c.id, to: 'Redactie@DeBoon.example', contact: 'anna@example.nl' });
        assert.equal(r.to, 'redactie@deboon.example');
        const mails = await w.mails();
        assert.equal(mails.length, before + 1);
        const m = mails.at(-1)!;
        assert.equal(m.subject, '[TEST] Nieuws voor Anna');
        assert.equal((m.to as { text: string }).text, 'redactie@deboon.example');
        assert.match(m.from!.text, /nieuws@deboon.example/);
        assert.equal(m.headers.get('x-consentry-test'), 'yes');
        const unsub = `http://localhost:3000${TEST_UNSUBSCRIBE_PATH}`;
        assert.match(m.text!, /Hallo Anna, lees onze tips <https:\/\/deboon\.example\/tips>/);
        assert.ok(m.text!.includes(unsub), 'the placeholder unsubscribe link');
        assert.equal((m.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url, unsub, 'List-Unsubscribe too');
        assert.match(m.text!, /Unsubscribe/i, "the footer in the campaign's language");
        assert.match(String(m.html), /<h1[^>]*>Vers gebrand<\/h1>/);
        assert.match(String(m.html), /href="https:\/\/deboon\.example\/tips"/, 'the link as written');
        assert.doesNotMatch(`${m.text}${m.html}`, /\/r\/|\/u\/[A-Za-z0-9_-]{40,}/, 'no counted link, no signed token');

        // Without a contact: the sample recipient, its name left to the default.
        await sendTestMessage(w.deps, { campaignId: c.id, to: 'redactie@deboon.example' });
        assert.match((await w.mails()).at(-1)!.text!, /Hallo lezer,/);

        const deliveries = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(deliveries.n), 0, 'no delivery row');
        const f = await campaignFigures(w.deps, c.id);
        assert.deepEqual([f.sent, f.queued, f.blocked, f.failed, f.clicks.total], [0, 0, 0, 0, 0]);
        assert.equal((await campaignById(store.db, c.id))!.status, 'draft');
      } finally {
        await store.dispose();
      }
    });
  });
}

describe('campaign test send over the API', () => {
  it('POST /api/v1/campaigns/:id/test sends to an admin user; another address is refused with field "to"', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    const app = await buildApp(w.deps);
    try {
      await addUser(w.deps, { email: 'eigenaar@deboon.example', role: 'owner', password: null });
      const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
      const call = async (key: string, to: string) =>
        app.inject({ method: 'POST', url: `/api/v1/campaigns/${c.id}/test`, headers: { authorization: `Bearer ${key}` }, payload: { to } });
      const owner = await createApiKey(w.deps, 'owner');
      const viewer = await createApiKey(w.deps, 'viewer', 'viewer');
      const before = (await w.mails()).length;
      assert.equal((await call(viewer, 'eigenaar@deboon.example')).statusCode, 403);
      const refused = await call(owner, 'klant@example.nl');
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.field, 'to');
      assert.equal((await w.mails()).length, before);
      const ok = await call(owner, 'eigenaar@deboon.example');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().subject, '[TEST] Hallo');
      assert.equal((await w.mails()).at(-1)!.subject, '[TEST] Hallo');
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
