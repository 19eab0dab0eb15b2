/**
 * The main job end to end over real HTTP and a real SMTP server (in-process), on every test database:
 * sign-up → confirmation mail → GET/HEAD change nothing → POST confirms → campaign sent with the required
 * headers and footer → one-click unsubscribe (urlencoded and multipart, no redirect) → the next campaign blocks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { DIALECTS, type TestStore } from '../support/stores.js';
import { ORG, STATED, TIPS } from '../support/setup.js';
import { FixedClock, type Deps } from '../../src/services/deps.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { SmtpMailer } from '../../src/mail/smtp.js';
import { startSmtpSink, type SmtpSink } from '../../src/mail/sink.js';
import { buildApp } from '../../src/web/app.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { permissionFor } from '../../src/store/permissions.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { verifyLedger } from '../../src/store/ledger.js';

const countEvents = async (store: TestStore) =>
  Number((await store.db.selectFrom('consent_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

for (const dialect of DIALECTS) {
  describe(`end to end over HTTP and SMTP (${dialect.name})`, () => {
    let store: TestStore;
    let sink: SmtpSink;
    let app: FastifyInstance;
    let base: string;
    let deps: Deps;

    before(async () => {
      store = await dialect.open();
      sink = await startSmtpSink();
      // The pages are served on a free port; links in mail must point there, so the base URL is known first.
      deps = {
        db: store.db,
        dialect: store.dialect,
        clock: new FixedClock(new Date('2026-11-30T10:00:00Z')),
        secret: 'e2e-secret-e2e-secret-e2e-secret-e2e-0',
        mailer: new SmtpMailer(sink.url),
        baseUrl: '',
        recordIp: true,
      };
      app = await buildApp(deps);
      base = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('127.0.0.1', 'localhost');
      deps.baseUrl = base;
      await initialise(deps, { organisation: ORG, purpose: TIPS, notice: STATED });
    });

    after(async () => {
      await app.close();
      await deps.mailer.close();
      await sink.close();
      await store.dispose();
    });

    it('runs the whole main job', async () => {
      // 1. Sign-up through the hosted form.
      const form = await fetch(`${base}/f/tips`);
      assert.equal(form.status, 200);
      const page = await form.text();
      assert.match(page, /type="checkbox"[^>]*name="purposes"/);
      assert.doesNotMatch(page, /checked/);
      const signup = await fetch(`${base}/f/tips`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'nl' },
        body: new URLSearchParams({ email: 'Anna.de.Vries@Example.NL', firstName: 'Anna', purposes: 'tips' }),
        redirect: 'manual',
      });
      assert.equal(signup.status, 200);

      // 2. The confirmation mail arrives over SMTP with a confirm link.
      const [confirmation] = await sink.waitFor(1);
      assert.deepEqual(confirmation!.rcptTo, ['anna.de.vries@example.nl']);
      const confirmLink = /http:\/\/localhost:\d+\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation!.parsed.text!)![0];
      const contact = (await contactByEmail(store.db, 'anna.de.vries@example.nl'))!;
      assert.equal((await permissionFor(store.db, contact.id, 'tips'))!.status, 'pending');

      // 3. GET and HEAD (a mail scanner) show a page and change nothing.
      const events = await countEvents(store);
      const get = await fetch(confirmLink);
      assert.equal(get.status, 200);
      assert.match(await get.text(), /<form[^>]*method="post"/i);
      assert.equal((await fetch(confirmLink, { method: 'HEAD' })).status, 200);
      assert.equal((await permissionFor(store.db, contact.id, 'tips'))!.status, 'pending');
      assert.equal(await countEvents(store), events);

      // 4. POST confirms; a second POST changes nothing and says so.
      const post = await fetch(confirmLink, { method: 'POST', redirect: 'manual' });
      assert.equal(post.status, 200);
      const confirmed = (await permissionFor(store.db, contact.id, 'tips'))!;
      assert.equal(confirmed.status, 'active');
      assert.ok(confirmed.confirmed_at);
      const again = await fetch(confirmLink, { method: 'POST', redirect: 'manual' });
      assert.equal(again.status, 409);
      assert.equal(await countEvents(store), events + 1);

      // 5. A campaign reaches her with the required headers and footer.
      const first = await createCampaign(deps, { name: 'November', purposeId: 'tips', subject: 'Verse bonen, {{ first_name }}', body: 'Beste {{ first_name }},\n\nDe nieuwe oogst is binnen.' });
      await startCampaign(deps, first.id);
      assert.equal((await drainQueue(deps)).sent, 1);
      const [, news] = await sink.waitFor(2);
      const headers = news!.parsed.headers;
      assert.equal(news!.parsed.subject, 'Verse bonen, Anna');
      assert.match(news!.mailFrom, /^bounces\+[\w.=-]+@deboon\.example$/);
      const list = headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
      const unsubscribeUrl = list.unsubscribe.url;
      assert.match(unsubscribeUrl, new RegExp(`^${base}/u/[A-Za-z0-9_.-]+$`));
      assert.doesNotMatch(unsubscribeUrl, /anna|example/i);
      assert.match(news!.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
      assert.match(news!.raw, /^List-Unsubscribe: <http:\/\/localhost:\d+\/u\/[^>]+>\r?$/m);
      assert.equal((headers.get('reply-to') as { value: Array<{ address: string }> }).value[0]!.address, ORG.replyTo);
      const text = news!.parsed.text!;
      assert.ok(text.includes(ORG.name) && text.includes(ORG.postalAddress), 'footer names the sender and address');
      assert.ok(text.includes(unsubscribeUrl), 'footer shows the unsubscribe link');
      assert.ok(news!.parsed.html && String(news!.parsed.html).includes(unsubscribeUrl.replace(/&/g, '&amp;')));

      // 6. One-click unsubscribe as a mail client sends it (RFC 8058): urlencoded, no cookie, no redirect.
      const oneClick = await fetch(unsubscribeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      });
      assert.ok(oneClick.status >= 200 && oneClick.status < 300, `status ${oneClick.status}`);
      assert.equal(oneClick.headers.get('location'), null);
      assert.equal(oneClick.headers.get('set-cookie'), null);
      assert.equal((await permissionFor(store.db, contact.id, 'tips'))!.status, 'withdrawn');

      // The multipart form of the same POST is accepted too, and repeating it is harmless.
      const body = new FormData();
      body.append('List-Unsubscribe', 'One-Click');
      const multipart = await fetch(unsubscribeUrl, { method: 'POST', body, redirect: 'manual' });
      assert.ok(multipart.status >= 200 && multipart.status < 300, `status ${multipart.status}`);
      assert.equal(multipart.headers.get('location'), null);

      // 7. The next campaign blocks her with the reason and sends nothing.
      const second = await createCampaign(deps, { name: 'December', purposeId: 'tips', subject: 'December', body: 'Hallo' });
      await startCampaign(deps, second.id);
      await drainQueue(deps);
      const blocked = (await deliveryFor(store.db, second.id, contact.id))!;
      assert.equal(blocked.state, 'blocked');
      assert.deepEqual(JSON.parse(blocked.reasons), ['CONSENT_WITHDRAWN']);
      assert.equal(sink.received.length, 2);
      assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
    });
  });
}

/** A multipart one-click POST on its own, on a fresh subscriber (so it is the request that withdraws). */
describe('one-click unsubscribe as multipart/form-data', () => {
  it('withdraws the permission with 2xx and no redirect', async () => {
    const { sqliteStore } = await import('../support/stores.js');
    const { world, linkIn } = await import('../support/setup.js');
    const { confirm } = await import('../../src/services/consent/confirm.js');
    const { subscribe } = await import('../../src/services/consent/subscribe.js');
    const { unsubscribeUrl } = await import('../../src/services/consent/links.js');
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const app = await buildApp(w.deps);
      const sub = await subscribe(w.deps, { formId: 'tips', email: 'multi@example.nl', purposes: ['tips'], language: 'en', ip: null, userAgent: null });
      const token = linkIn((await w.mails())[0]!.text!, '/confirm/').split('/confirm/')[1]!;
      await confirm(w.deps, { token, ip: null, userAgent: null });
      const path = new URL(unsubscribeUrl(w.deps, sub.contactId, 'tips', null)).pathname;
      const boundary = '----consentry';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
      const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      assert.ok(res.statusCode >= 200 && res.statusCode < 300, `status ${res.statusCode}`);
      assert.equal(res.headers.location, undefined);
      assert.equal((await permissionFor(store.db, sub.contactId, 'tips'))!.status, 'withdrawn');
      await app.close();
    } finally {
      await store.dispose();
    }
  });
});
