// SCENARIOS E: opting out and after (E6 and E8 are covered with the data-subject-rights tests).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { grantPermission } from '../../src/services/consent/grant.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { addContact, addPurchase, findContact } from '../../src/services/consent/relationships.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { permissionFor } from '../../src/store/permissions.js';
import { purchasesOf } from '../../src/store/relationships.js';
import { assertAllowed, assertBlocked, decisionFor, mailchimpSubscribed, optIn, scene, type Scene } from './support.js';

const news = (s: Scene) => createCampaign(s.deps, { name: 'Nieuws', purposeId: 'tips', subject: 'Nieuws', body: 'Hallo {{ first_name }}' });

/** Opts in, sends one campaign and returns the contact id and the unsubscribe path from that mail. */
async function subscribedAndMailed(s: Scene, email: string): Promise<{ id: string; path: string; text: string }> {
  const id = await optIn(s, email);
  await startCampaign(s.deps, (await news(s)).id);
  await drainQueue(s.deps);
  const mail = (await s.mails()).at(-1)!;
  const url = (mail.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url;
  return { id, path: new URL(url).pathname, text: mail.text! };
}

for (const dialect of DIALECTS) {
  describe(`scenarios E: opting out and after (${dialect.name})`, () => {
    const run = (name: string, body: (s: Scene) => Promise<void>) =>
      it(name, async () => {
        const s = await scene(await dialect.open());
        try { await body(s); } finally { await s.close(); }
      });

    run('E1: every commercial message carries unsubscribe link, List-Unsubscribe(-Post), identity and reply address', async (s) => {
      const { path, text } = await subscribedAndMailed(s, 'anna@example.nl');
      const mail = (await s.mails()).at(-1)!;
      assert.match(path, /^\/u\//);
      assert.ok(text.includes(`http://localhost:3000${path}`), 'visible link in the body');
      assert.ok(mail.headerLines.some((h) => h.key === 'list-unsubscribe-post' && /List-Unsubscribe=One-Click/.test(h.line)));
      assert.match(text, /Koffiebranderij De Boon B\.V\./);
      assert.match(text, /Kerkstraat 1/);
      assert.equal(mail.replyTo?.value[0]?.address, 'info@deboon.example');
    });

    run('E2: the unsubscribe page never asks for the address; one button for this purpose, a second for everything', async (s) => {
      const { path } = await subscribedAndMailed(s, 'anna@example.nl');
      const page = await s.app.inject({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /type="email"/);
      assert.match(page.body, /name="scope"[^>]*value="purpose"|value="purpose"[^>]*name="scope"/);
      assert.match(page.body, /value="all"/);
      const done = await s.app.inject({ method: 'POST', url: path, payload: 'scope=purpose', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(done.statusCode, 200);
    });

    run('E3: RFC 8058 one-click POST → unsubscribed at once, 2xx, no redirect, no cookie', async (s) => {
      const { id, path } = await subscribedAndMailed(s, 'anna@example.nl');
      const res = await s.app.inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.location, undefined);
      assert.equal(res.headers['set-cookie'], undefined);
      assertBlocked(await decisionFor(s, (await news(s)).id, id), 'CONSENT_WITHDRAWN', 'GDPR 7(3)', { first: true });
    });

    run('E4: unsubscribed while a campaign is sending → no further message of it', async (s) => {
      const first = await subscribedAndMailed(s, 'bob@example.nl');
      const id = await optIn(s, 'anna@example.nl');
      const c = await news(s);
      await startCampaign(s.deps, c.id);
      await s.app.inject({ method: 'POST', url: first.path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      await drainQueue(s.deps);
      assert.equal((await deliveryFor(s.deps.db, c.id, first.id))!.state, 'blocked');
      assert.equal((await deliveryFor(s.deps.db, c.id, id))!.state, 'sent');
    });

    run('E5: an unsubscribed person in a later import, API call or admin action stays unsubscribed', async (s) => {
      const { id, path } = await subscribedAndMailed(s, 'anna@example.nl');
      await s.app.inject({ method: 'POST', url: path, payload: 'scope=all', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      await importMailchimp(s.deps, { files: { subscribed: mailchimpSubscribed([['anna@example.nl', '2024-01-01 10:00:00', '2024-01-01 10:05:00']]) }, purposeId: 'tips' });
      const g = await grantPermission(s.deps, { purposeId: 'tips', via: 'api', contacts: [id] });
      assert.equal(g.keptUnsubscribed, 1);
      await addContact(s.deps, { email: 'anna@example.nl', source: 'api', kind: 'person' });
      const d = await decisionFor(s, (await news(s)).id, id);
      assertBlocked(d, 'SUPPRESSED', 'GDPR 21(3)', { first: true });
      await optIn(s, 'anna@example.nl');
      assertAllowed(await decisionFor(s, (await news(s)).id, id), 'CONSENT_CONFIRMED', 'A6-1-a', 'GDPR 6(1)(a)');
    });

    run('E7: a customer unsubscribes from the newsletter → customer data kept, newsletter withdrawn', async (s) => {
      const { id, path } = await subscribedAndMailed(s, 'klant@example.nl');
      await addPurchase(s.deps, id, { productCategory: 'Koffiebonen', date: '2026-10-01', optOut: 'clear' });
      await s.app.inject({ method: 'POST', url: path, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal((await permissionFor(s.deps.db, id, 'tips'))!.status, 'withdrawn');
      assert.equal((await findContact(s.deps, id)).email, 'klant@example.nl');
      assert.equal((await purchasesOf(s.deps.db, id)).length, 1);
      const service = await createCampaign(s.deps, { name: 'Order', purposeId: 'tips', category: 'service', subject: 'Uw bestelling', body: 'Verzonden' });
      assertAllowed(await decisionFor(s, service.id, id), 'SERVICE_MESSAGE', 'A6-1-b', 'GDPR 6(1)(b)');
      assertBlocked(await decisionFor(s, (await news(s)).id, id), 'CONSENT_WITHDRAWN', 'GDPR 7(3)');
      await assert.rejects(grantPermission(s.deps, { purposeId: 'tips', via: 'bulk_action', contacts: ['nobody@example.nl'] }), (e: DomainError) => e.field === 'contacts[0]');
    });
  });
}
