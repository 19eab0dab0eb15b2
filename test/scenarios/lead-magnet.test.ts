// SCENARIOS A3/A4 (issue 10 item 6): a requested item (lead magnet) goes out as a service message only once the
// address is confirmed, exactly once per request, with or without newsletter consent; on SQLite and PostgreSQL,
// through the form, the confirm link (GET shows, POST acts) and the outbox.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import { DIALECTS } from '../support/stores.js';
import { linkIn } from '../support/setup.js';
import { form, FORM_HEADERS } from '../web/support.js';
import { assertAllowed, assertBlocked, decisionFor, optIn, scene, type Scene } from './support.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { setPurposeItem } from '../../src/services/consent/welcome.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { verifyLedger } from '../../src/store/ledger.js';

const HOUR = 3600_000;
const ITEM_URL = 'https://deboon.example/gids.pdf';
const ITEM_SUBJECT = 'Koffiegids';

/** A download purpose with its item, and a form offering it beside the "tips" box. */
async function itemScene(store: Awaited<ReturnType<(typeof DIALECTS)[number]['open']>>): Promise<Scene> {
  const s = await scene(store);
  await createPurpose(s.deps, {
    id: 'gids', name_nl: 'Koffiegids', name_en: 'Coffee guide', description_nl: 'Onze gids over koffie zetten.', description_en: 'Our guide to making coffee.', category: 'service',
  });
  await setPurposeItem(s.deps, 'gids', ITEM_URL);
  await createForm(s.deps, { id: 'gids-form', name: 'Gids', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], leadMagnetPurposeId: 'gids' });
  return s;
}

const ask = (s: Scene, email: string, purposes: string[] = []) =>
  subscribe(s.deps, { formId: 'gids-form', email, purposes, language: 'nl', ip: '192.0.2.1', userAgent: 'scenario' });
const items = (mails: ParsedMail[]) => mails.filter((m) => m.text?.includes(ITEM_URL));
const confirmPath = (m: ParsedMail) => new URL(linkIn(m.text!, 'http://localhost:3000/confirm/')).pathname;

/** The subject's ledger events about a purpose: type, basis and request id, in order. */
async function history(s: Scene, contactId: string, purposeId: string) {
  const rows = await s.deps.db.selectFrom('consent_events').select(['type', 'basis', 'details']).where('subject_id', '=', contactId)
    .where('purpose_id', '=', purposeId).orderBy('seq').execute();
  return rows.map((r) => ({ type: r.type, basis: r.basis, request: (JSON.parse(r.details) as { request?: string }).request }));
}

async function permission(s: Scene, contactId: string, purposeId: string) {
  return s.deps.db.selectFrom('permissions').selectAll().where('contact_id', '=', contactId).where('purpose_id', '=', purposeId).executeTakeFirst();
}

for (const dialect of DIALECTS) {
  describe(`requested items on confirmation (${dialect.name})`, () => {
    it('no box ticked: one confirmation mail, the item only after the POST, once; a replayed link sends nothing', async () => {
      const s = await itemScene(await dialect.open());
      try {
        const r = await ask(s, 'lezer@example.nl');
        assert.deepEqual(r.pending, []);
        assert.deepEqual(r.item, { purposeId: 'gids', delivery: 'on-confirmation' });
        const [mail, ...more] = await s.mails();
        assert.equal(more.length, 0, 'one mail at submission');
        assert.equal(mail!.subject, 'Bevestig uw e-mailadres bij Koffiebranderij De Boon B.V.');
        assert.match(mail!.text!, /U hebt bij Koffiebranderij De Boon B\.V\. aangevraagd:\n- Koffiegids/);
        assert.match(mail!.text!, /daarna sturen wij het u meteen toe/);
        assert.match(String(mail!.html), />E-mailadres bevestigen<\/a>/);
        assert.equal(items(await s.mails()).length, 0, 'no item before the address is confirmed');

        // The ledger: the request with its id, on the contract basis; the permission pending; no campaign reaches it.
        const requested = await history(s, r.contactId, 'gids');
        assert.deepEqual(requested.map((e) => [e.type, e.basis]), [['requested', 'A6-1-b']]);
        assert.ok(requested[0]!.request);
        assert.equal((await permission(s, r.contactId, 'gids'))!.status, 'pending');
        const marketing = await createCampaign(s.deps, { name: 'm', purposeId: 'gids', category: 'purpose_marketing', subject: 'Aanbieding', body: 'Koop meer' });
        assertBlocked(await decisionFor(s, marketing.id, r.contactId), 'CONSENT_PENDING', 'GDPR 7(1)');

        // A scanner's GET and HEAD change nothing and send nothing; the page names the item.
        const path = confirmPath(mail!);
        const page = await s.app.inject({ url: `${path}?lang=en` });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Confirm your e-mail address with Koffiebranderij De Boon B\.V\.[^<]*We then send you straight away: Coffee guide\./);
        assert.match(page.body, /<button type="submit">Confirm my e-mail address<\/button>/);
        assert.equal((await s.app.inject({ method: 'HEAD', url: path })).statusCode, 200);
        assert.equal((await s.mails()).length, 1);
        assert.equal((await permission(s, r.contactId, 'gids'))!.status, 'pending');

        const done = await s.app.inject({ method: 'POST', url: `${path}?lang=nl`, remoteAddress: '192.0.2.7' });
        assert.equal(done.statusCode, 200);
        assert.match(done.body, /<h1>E-mailadres bevestigd<\/h1>/);
        assert.match(done.body, /Koffiegids is onderweg naar uw mailbox\./);
        assert.match(done.body, new RegExp(`<a href="${ITEM_URL.replace(/[.]/g, '\\.')}">Download Koffiegids nu</a>`));
        assert.doesNotMatch(done.body, /U ontvangt voortaan/, 'no newsletter was confirmed');
        const delivered = items(await s.mails());
        assert.equal(delivered.length, 1);
        assert.equal(delivered[0]!.subject, ITEM_SUBJECT);
        assert.deepEqual(delivered[0]!.to && 'value' in delivered[0]!.to ? delivered[0]!.to.value.map((a) => a.address) : [], ['lezer@example.nl']);
        assert.ok(delivered[0]!.text!.includes(`Downloaden: ${ITEM_URL}`));

        const after = await history(s, r.contactId, 'gids');
        assert.deepEqual(after.map((e) => [e.type, e.basis, e.request]), [['requested', 'A6-1-b', requested[0]!.request], ['confirmed', 'A6-1-b', requested[0]!.request]]);
        const p = (await permission(s, r.contactId, 'gids'))!;
        assert.deepEqual([p.status, p.basis, p.method, p.source_kind], ['active', 'A6-1-b', 'contract', 'form']);
        assert.ok(p.confirmed_at);
        assert.equal(await permission(s, r.contactId, 'tips'), undefined, 'no newsletter permission at all');
        // Purpose limitation (A3): the download purpose and the newsletter stay closed to campaigns.
        assertBlocked(await decisionFor(s, marketing.id, r.contactId), 'NO_PERMISSION_FOR_PURPOSE', 'GDPR 6(1)(a)');
        const tips = await createCampaign(s.deps, { name: 't', purposeId: 'tips', subject: 'Nieuws', body: 'Hallo' });
        assertBlocked(await decisionFor(s, tips.id, r.contactId), 'NO_PERMISSION_FOR_PURPOSE', 'GDPR 5(1)(b)');

        // The same link again: 409, nothing written, nothing sent.
        const events = await s.deps.db.selectFrom('consent_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        const replay = await s.app.inject({ method: 'POST', url: `${path}?lang=en` });
        assert.equal(replay.statusCode, 409);
        assert.match(replay.body, /already confirmed/);
        assert.deepEqual(await s.deps.db.selectFrom('consent_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(), events);
        assert.equal(items(await s.mails()).length, 1);
        assert.equal((await verifyLedger(s.deps.db, s.deps.dialect)).ok, true);
      } finally { await s.close(); }
    });

    it('two presses of one link at the same moment deliver the item once', async () => {
      const s = await itemScene(await dialect.open());
      try {
        await ask(s, 'dubbel@example.nl');
        const token = confirmPath((await s.mails())[0]!).split('/confirm/')[1]!;
        const results = await Promise.allSettled([1, 2].map(() => confirm(s.deps, { token, ip: null, userAgent: null })));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one press confirms; the other fails or finds the request closed');
        assert.equal(items(await s.mails()).length, 1);
        assert.equal((await verifyLedger(s.deps.db, s.deps.dialect)).ok, true);
      } finally { await s.close(); }
    });

    it('a newsletter box ticked as well: one mail names both; confirming delivers the item and confirms the newsletter', async () => {
      const s = await itemScene(await dialect.open());
      try {
        const r = await ask(s, 'beide@example.nl', ['tips']);
        assert.deepEqual(r.pending, ['tips']);
        const mails = await s.mails();
        assert.equal(mails.length, 1);
        assert.equal(mails[0]!.subject, 'Bevestig uw aanmelding bij Koffiebranderij De Boon B.V.');
        assert.match(mails[0]!.text!, /aangemeld voor:\n- Koffietips\n\nZodra u bevestigt, sturen wij u ook Koffiegids toe\./);
        const path = confirmPath(mails[0]!);
        assert.match((await s.app.inject({ url: `${path}?lang=nl` })).body, /U meldt zich aan voor: Koffietips\.[\s\S]*Na uw bevestiging sturen wij u ook: Koffiegids\./);
        const done = await s.app.inject({ method: 'POST', url: `${path}?lang=en` });
        assert.equal(done.statusCode, 200);
        assert.match(done.body, /From now on you will receive: Coffee tips\.[\s\S]*Coffee guide is on its way to your mailbox\./);
        assert.equal(items(await s.mails()).length, 1);
        const tips = await createCampaign(s.deps, { name: 't', purposeId: 'tips', subject: 'Nieuws', body: 'Hallo' });
        assertAllowed(await decisionFor(s, tips.id, r.contactId), 'CONSENT_CONFIRMED', 'A6-1-a', 'GDPR 6(1)(a)');
        assert.equal((await s.app.inject({ method: 'POST', url: path })).statusCode, 409);
        assert.equal(items(await s.mails()).length, 1);
      } finally { await s.close(); }
    });

    it('5 requests within 24 h send one mail; its link delivers once; later an address verified so gets the item at once', async () => {
      const s = await itemScene(await dialect.open());
      try {
        for (let i = 0; i < 5; i++) {
          await ask(s, 'vijf@example.nl');
          s.clock.advance(HOUR);
        }
        const mails = await s.mails();
        assert.equal(mails.length, 1, 'one mail for five requests');
        assert.equal(items(mails).length, 0);
        const contact = await s.deps.db.selectFrom('contacts').select('id').where('email', '=', 'vijf@example.nl').executeTakeFirstOrThrow();
        assert.deepEqual((await history(s, contact.id, 'gids')).map((e) => e.type), ['requested', 'requested', 'requested', 'requested', 'requested'], 'each request is evidence');

        const path = confirmPath(mails[0]!);
        assert.equal((await s.app.inject({ method: 'POST', url: path })).statusCode, 200);
        assert.equal((await s.app.inject({ method: 'POST', url: path })).statusCode, 409);
        assert.equal(items(await s.mails()).length, 1, 'delivered once for the five requests');

        // 25 h after the first request: the address is verified now, so a new request gets the item itself.
        s.clock.advance(20 * HOUR);
        const again = await ask(s, 'vijf@example.nl');
        assert.deepEqual(again.item, { purposeId: 'gids', delivery: 'now' });
        const all = await s.mails();
        assert.equal(all.length, 3, 'no new confirmation mail');
        assert.equal(items(all).length, 2);
        assert.deepEqual((await history(s, contact.id, 'gids')).slice(-2).map((e) => e.type), ['confirmed', 'given']);
      } finally { await s.close(); }
    });

    it('an address verified by a newsletter confirmation gets the item at once: one mail, the item itself', async () => {
      const s = await itemScene(await dialect.open());
      try {
        const id = await optIn(s, 'abonnee@example.nl');
        const before = (await s.mails()).length;
        s.clock.advance(25 * HOUR);
        const r = await ask(s, 'abonnee@example.nl');
        assert.deepEqual(r.item, { purposeId: 'gids', delivery: 'now' });
        const mails = (await s.mails()).slice(before);
        assert.equal(mails.length, 1);
        assert.equal(mails[0]!.subject, ITEM_SUBJECT);
        assert.ok(!mails[0]!.text!.includes('/confirm/'));
        const p = (await permission(s, id, 'gids'))!;
        assert.deepEqual([p.status, p.basis, p.method], ['active', 'A6-1-b', 'contract']);
        assert.deepEqual((await history(s, id, 'gids')).map((e) => [e.type, e.basis]), [['given', 'A6-1-b']]);
      } finally { await s.close(); }
    });

    it('a bot that fills the honeypot gets the person\'s page and nothing else: no contact, no request, no mail', async () => {
      const s = await itemScene(await dialect.open());
      try {
        // The form itself names the item and when it comes (nl and en).
        assert.match((await s.app.inject({ url: '/f/gids-form?lang=nl' })).body, /<p class="item">U ontvangt Koffiegids per e-mail zodra u uw e-mailadres bevestigt/);
        assert.match((await s.app.inject({ url: '/f/gids-form?lang=en' })).body, /<p class="item">You receive Coffee guide by e-mail as soon as you confirm your address/);
        const res = await s.app.inject({
          method: 'POST', url: '/f/gids-form?lang=nl', headers: FORM_HEADERS,
          payload: form({ email: 'slachtoffer@example.nl', website: 'https://spam.example' }),
        });
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /Kijk in uw mailbox/);
        assert.match(res.body, /Wat u aanvroeg, sturen wij u per e-mail zodra uw e-mailadres is bevestigd\./);
        assert.equal((await s.mails()).length, 0);
        assert.equal(await s.deps.db.selectFrom('contacts').select('id').where('email', '=', 'slachtoffer@example.nl').executeTakeFirst(), undefined);
        assert.equal((await s.deps.db.selectFrom('consent_events').select('id').where('purpose_id', '=', 'gids').execute()).length, 0);
      } finally { await s.close(); }
    });
  });
}
