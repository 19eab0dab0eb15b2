import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world, linkIn, type TestWorld } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';
import { signToken } from '../../src/core/tokens.js';
import { contactById } from '../../src/store/contacts.js';
import { permissionFor } from '../../src/store/permissions.js';
import { addPurchase } from '../../src/services/consent/relationships.js';
import { listRequestViews } from '../../src/services/rights/requests.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { findInFiles, findInTables, signUpConfirmed } from './helpers.js';

const form = (o: Record<string, string>) => ({ payload: new URLSearchParams(o).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

async function manageToken(w: TestWorld, app: Awaited<ReturnType<typeof buildApp>>, email: string): Promise<string> {
  const before = (await w.mails()).length;
  const res = await app.inject({ method: 'POST', url: '/manage?lang=en', ...form({ email }) });
  assert.equal(res.statusCode, 200);
  const mails = await w.mails();
  assert.equal(mails.length, before + 1);
  return linkIn(mails[mails.length - 1]!.text!, 'http://localhost:3000/manage/').split('/manage/')[1]!;
}

for (const dialect of DIALECTS) {
  describe(`manage my data over HTTP (${dialect.name})`, () => {
    it('asks for an address and answers the same whether or not it is known', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await signUpConfirmed(w, 'anna@example.nl');
        const app = await buildApp(w.deps);
        assert.equal((await app.inject({ method: 'GET', url: '/manage?lang=en' })).statusCode, 200);
        const n = (await w.mails()).length;
        const unknown = await app.inject({ method: 'POST', url: '/manage?lang=en', ...form({ email: 'nobody@example.nl' }) });
        assert.equal((await w.mails()).length, n, 'no mail to an unknown address');
        const known = await app.inject({ method: 'POST', url: '/manage?lang=en', ...form({ email: 'Anna@Example.nl' }) });
        assert.equal(known.statusCode, unknown.statusCode);
        assert.equal(known.body, unknown.body, 'the page never reveals whether the address is known');
        assert.equal((await w.mails()).length, n + 1);
        assert.equal((await app.inject({ method: 'POST', url: '/manage', ...form({ email: 'not an address' }) })).statusCode, 400);
        await app.close();
      } finally {
        await store.dispose();
      }
    });

    it('refuses expired and tampered links with a 4xx page; GET changes nothing', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, 'anna@example.nl');
        const app = await buildApp(w.deps);
        const token = await manageToken(w, app, 'anna@example.nl');
        assert.equal((await app.inject({ method: 'GET', url: `/manage/${token}` })).statusCode, 200);
        assert.equal((await app.inject({ method: 'HEAD', url: `/manage/${token}` })).statusCode, 200);
        assert.equal((await permissionFor(store.db, id, 'tips'))!.status, 'active');
        const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
        assert.equal((await app.inject({ method: 'GET', url: `/manage/${tampered}` })).statusCode, 400);
        const unsub = signToken(w.deps.secret, { action: 'unsubscribe', subjectId: id, purposeId: 'tips', campaignId: null, expiresAt: null });
        assert.equal((await app.inject({ method: 'POST', url: `/manage/${unsub}/object` })).statusCode, 400, 'another action’s token is refused');
        w.clock.advance(24 * 3600 * 1000 + 1);
        const expired = await app.inject({ method: 'GET', url: `/manage/${token}` });
        assert.equal(expired.statusCode, 410);
        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/erase`, ...form({ confirm: 'yes' }) })).statusCode, 410);
        assert.ok(await contactById(store.db, id));
        await app.close();
      } finally {
        await store.dispose();
      }
    });

    it('withdraws, re-subscribes by double opt-in, corrects the name, downloads JSON and CSV, objects (GDPR 7(3), 16, 15, 20, 21(3))', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, 'anna@example.nl');
        const app = await buildApp(w.deps);
        const token = await manageToken(w, app, 'anna@example.nl');
        const page = await app.inject({ method: 'GET', url: `/manage/${token}?lang=en` });
        assert.match(page.body, /anna@example\.nl/);

        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/purpose`, ...form({ purposeId: 'tips', action: 'withdraw' }) })).statusCode, 200);
        assert.equal((await permissionFor(store.db, id, 'tips'))!.status, 'withdrawn');

        const n = (await w.mails()).length;
        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/purpose?lang=en`, ...form({ purposeId: 'tips', action: 'subscribe' }) })).statusCode, 200);
        assert.equal((await permissionFor(store.db, id, 'tips'))!.status, 'withdrawn', 'not active before the person confirms');
        const mails = await w.mails();
        assert.equal(mails.length, n + 1);
        const confirmToken = linkIn(mails[n]!.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!;
        assert.equal((await app.inject({ method: 'POST', url: `/confirm/${confirmToken}` })).statusCode, 200);
        assert.equal((await permissionFor(store.db, id, 'tips'))!.status, 'active');

        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/name`, ...form({ firstName: 'Anne', lastName: 'de Vries' }) })).statusCode, 200);
        const c = (await contactById(store.db, id))!;
        assert.deepEqual([c.first_name, c.last_name], ['Anne', 'de Vries']);
        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/name`, ...form({ firstName: 'a\r\nBcc: x', lastName: '' }) })).statusCode, 400);

        await addPurchase(w.deps, 'anna@example.nl', { productCategory: 'Thee', date: '2026-05-01', optOut: 'clear' });
        const overview = await app.inject({ method: 'GET', url: `/manage/${token}?lang=nl` });
        assert.match(overview.body, /Aanbiedingen voor klanten: u ontvangt ze als klant/);
        const json = await app.inject({ method: 'POST', url: `/manage/${token}/export`, ...form({ format: 'json' }) });
        assert.equal(json.statusCode, 200);
        assert.match(String(json.headers['content-disposition']), /^attachment; filename="my-data\.json"/);
        const data = JSON.parse(json.body);
        assert.equal(data.profile.email, 'anna@example.nl');
        assert.deepEqual(data.permissions[0].history.map((e: { type: string }) => e.type), ['requested', 'confirmed', 'withdrawn', 'requested', 'confirmed']);
        assert.ok(data.requests.some((r: { kind: string }) => r.kind === 'rectification'));
        assert.deepEqual(data.purchases, [{ productCategory: 'Thee', purchasedAt: '2026-05-01T00:00:00.000Z', optOutOffered: 'clear' }]);
        const csv = await app.inject({ method: 'POST', url: `/manage/${token}/export`, ...form({ format: 'csv' }) });
        assert.match(String(csv.headers['content-type']), /^text\/csv/);
        assert.match(String(csv.headers['content-disposition']), /^attachment; filename="my-data\.csv"/);
        assert.match(csv.body, /^section,id,purpose,type_or_status,basis,time,details\r\n/);
        assert.match(csv.body, /\r\npermission,/);
        assert.match(csv.body, /\r\npurchase,,,Thee,,2026-05-01T00:00:00.000Z,/);

        assert.equal((await app.inject({ method: 'POST', url: `/manage/${token}/object` })).statusCode, 200);
        assert.equal((await permissionFor(store.db, id, 'tips'))!.status, 'objected');
        assert.equal((await contactById(store.db, id))!.customer_opted_out, 1);
        const register = await listRequestViews(w.deps, { contactId: id });
        assert.deepEqual(register.map((r) => r.kind).sort(), ['access', 'objection', 'portability', 'rectification']);
        assert.ok(register.every((r) => r.state === 'done'));
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
        await app.close();
      } finally {
        await store.dispose();
      }
    });

    it('erases after a confirmation step, leaving no address (GDPR 17)', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const id = await signUpConfirmed(w, 'anna@example.nl');
        const app = await buildApp(w.deps);
        const token = await manageToken(w, app, 'anna@example.nl');
        const ask = await app.inject({ method: 'POST', url: `/manage/${token}/erase` });
        assert.equal(ask.statusCode, 200);
        assert.match(ask.body, /name="confirm" value="yes"/);
        assert.ok(await contactById(store.db, id), 'nothing erased before confirmation');
        const done = await app.inject({ method: 'POST', url: `/manage/${token}/erase`, ...form({ confirm: 'yes' }) });
        assert.equal(done.statusCode, 200);
        assert.equal(await contactById(store.db, id), undefined);
        assert.deepEqual(await findInTables(store.db, store.dialect, 'anna@example.nl'), []);
        assert.deepEqual(findInFiles(w.outbox, 'anna@example.nl'), []);
        assert.equal((await app.inject({ method: 'GET', url: `/manage/${token}` })).statusCode, 410);
        await app.close();
      } finally {
        await store.dispose();
      }
    });
  });
}
