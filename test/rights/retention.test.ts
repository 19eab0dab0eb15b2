import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DIALECTS } from '../support/stores.js';
import { world, type TestWorld } from '../support/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { changePermission } from '../../src/services/consent/permission-change.js';
import { runRetention } from '../../src/services/rights/retention.js';
import { addRequest, completeRequest } from '../../src/services/rights/requests.js';
import { putSetting } from '../../src/store/settings.js';
import { contactById } from '../../src/store/contacts.js';
import { listRetentionRuns } from '../../src/store/retention-log.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { signUpConfirmed } from './helpers.js';

const DAY = 86_400_000;

async function unsubscribeFromTips(w: TestWorld, contactId: string) {
  const token = unsubscribeUrl(w.deps, contactId, 'tips', null).split('/u/')[1]!;
  await unsubscribe(w.deps, { token, scope: 'purpose', channel: 'page' });
}

async function insertContact(w: TestWorld, email: string, sourceKind: string): Promise<string> {
  const id = randomUUID();
  const at = w.clock.now().toISOString();
  await w.deps.db.insertInto('contacts').values({ id, email, first_name: null, last_name: null, source_kind: sourceKind, source_ref: null, locale: 'nl', created_at: at, updated_at: at }).execute();
  return id;
}

for (const dialect of DIALECTS) {
  describe(`retention runs (${dialect.name})`, () => {
    it('E6, E7, E8: erases withdrawn-only, stale unconfirmed and stale one-to-one data; keeps other bases; dry run lists the same', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await putSetting(store.db, 'retention', { one_to_one_after_days: 30 });
        await createPurpose(w.deps, { id: 'news', name_nl: 'Nieuws', name_en: 'News', description_nl: 'Nieuws', description_en: 'News' });
        await store.db.insertInto('purposes').values({ id: 'recruit', name_nl: 'Werving', name_en: 'Recruiting', description_nl: 'x', description_en: 'x', category: 'one_to_one', double_opt_in: 0, frequency_nl: null, frequency_en: null, retention: '{}', created_at: w.clock.now().toISOString() }).execute();

        // Day 0: a sign-up that is never confirmed (E8), and a recruiter's candidate (D6/E8).
        const dirk = (await subscribe(w.deps, { formId: 'tips', email: 'dirk@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null })).contactId;
        const rita = await insertContact(w, 'rita@example.nl', 'personal_contact');
        await changePermission(store.db, { contactId: rita, purposeId: 'recruit', event: 'given', basis: 'A6-1-f', status: 'active', method: 'legitimate_interest', sourceKind: 'personal_contact', occurredAt: w.clock.now(), givenAt: w.clock.now(), details: { vacancy: 'roaster' } }, w.clock.now());
        w.clock.advance(26 * DAY);
        // Day 26: a fresh unconfirmed sign-up (kept: still within 30 days).
        const eva = (await subscribe(w.deps, { formId: 'tips', email: 'eva@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null })).contactId;
        w.clock.advance(5 * DAY);
        // Day 31: withdrawals.
        const anna = await signUpConfirmed(w, 'anna@example.nl');
        await unsubscribeFromTips(w, anna); // consent was the only basis: erase at once (E6)
        const bert = await signUpConfirmed(w, 'bert@example.nl', 'Bert');
        await store.db.insertInto('purchases').values({ id: randomUUID(), contact_id: bert, product_category: 'beans', purchased_at: w.clock.now().toISOString(), opt_out_offered: 'clear', created_at: w.clock.now().toISOString() }).execute();
        await unsubscribeFromTips(w, bert); // a customer: kept (E7)
        const fenna = await signUpConfirmed(w, 'fenna@example.nl', 'Fenna');
        await changePermission(store.db, { contactId: fenna, purposeId: 'news', event: 'given', basis: 'A6-1-a', status: 'active', method: 'single_opt_in', sourceKind: 'form', occurredAt: w.clock.now(), givenAt: w.clock.now(), details: {} }, w.clock.now());
        await unsubscribeFromTips(w, fenna); // another active consent: kept
        const cor = await signUpConfirmed(w, 'cor@example.nl', 'Cor'); // active consent: kept
        const gijs = await signUpConfirmed(w, 'gijs@example.nl', 'Gijs');
        await unsubscribeFromTips(w, gijs);
        await addRequest(w.deps, { kind: 'restriction', channel: 'letter', contact: gijs }); // GDPR 18: held

        const dry = await runRetention(w.deps, { dryRun: true, outboxDir: w.outbox });
        const toErase = dry.erase.map((d) => d.contactId).sort();
        assert.deepEqual(toErase, [anna, dirk, rita].sort());
        const rules = Object.fromEntries(dry.erase.map((d) => [d.contactId, d.rule]));
        assert.deepEqual(rules, { [anna]: 'withdrawn_after_days', [dirk]: 'unconfirmed_after_days', [rita]: 'one_to_one_after_days' });
        assert.deepEqual(dry.counts, { withdrawn_after_days: 1, unconfirmed_after_days: 1, one_to_one_after_days: 1 });
        assert.equal(dry.examined, 8);
        assert.equal(dry.kept, 4);
        assert.deepEqual(dry.held.map((d) => d.contactId), [gijs]);
        for (const id of [anna, dirk, rita, bert, cor, eva, fenna, gijs]) assert.ok(await contactById(store.db, id), 'dry run erases nothing');

        const real = await runRetention(w.deps, { dryRun: false, outboxDir: w.outbox });
        assert.deepEqual(real.erase, dry.erase, 'the dry run lists exactly what the real run erases');
        for (const id of [anna, dirk, rita]) assert.equal(await contactById(store.db, id), undefined);
        for (const id of [bert, cor, eva, fenna, gijs]) assert.ok(await contactById(store.db, id));

        const runs = await listRetentionRuns(store.db);
        assert.equal(runs.length, 2);
        assert.deepEqual(runs.map((r) => r.dry_run).sort(), [0, 1]);
        for (const r of runs) {
          assert.deepEqual(JSON.parse(r.contact_ids).sort(), toErase);
          assert.ok(!JSON.stringify(r).includes('@'), 'the audit log holds ids, never addresses');
        }
        const again = await runRetention(w.deps, { dryRun: true });
        assert.deepEqual(again.erase, []);
        assert.equal((await verifyLedger(store.db, store.dialect)).ok, true);
      } finally {
        await store.dispose();
      }
    });

    it('GDPR 15/12(3): an unsubscriber with an open access request is held (the dry run says why) and erased after completion', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const anna = await signUpConfirmed(w, 'anna@example.nl');
        const request = await addRequest(w.deps, { kind: 'access', channel: 'email', contact: anna });
        await unsubscribeFromTips(w, anna);
        const dry = await runRetention(w.deps, { dryRun: true });
        assert.deepEqual(dry.erase, []);
        assert.deepEqual(dry.held.map((d) => [d.contactId, d.rule]), [[anna, 'withdrawn_after_days']]);
        assert.match(dry.held[0]!.reason_en, /access request \(GDPR 15\) received/);
        const real = await runRetention(w.deps, { dryRun: false });
        assert.deepEqual(real.held.map((d) => d.contactId), [anna]);
        assert.ok(await contactById(store.db, anna), 'held, not erased, while the request is open');
        await completeRequest(w.deps, request.id, 'copy sent');
        const after = await runRetention(w.deps, { dryRun: false });
        assert.deepEqual(after.erase.map((d) => d.contactId), [anna]);
        assert.deepEqual(after.held, []);
        assert.equal(await contactById(store.db, anna), undefined);
      } finally {
        await store.dispose();
      }
    });

    it('E6: with withdrawn_after_days = 14 a withdrawn person is kept for 14 days, then erased', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await putSetting(store.db, 'retention', { withdrawn_after_days: 14 });
        const anna = await signUpConfirmed(w, 'anna@example.nl');
        await unsubscribeFromTips(w, anna);
        w.clock.advance(14 * DAY - 1);
        const early = await runRetention(w.deps, { dryRun: false });
        assert.deepEqual(early.erase, []);
        w.clock.advance(1);
        const due = await runRetention(w.deps, { dryRun: false });
        assert.deepEqual(due.erase.map((d) => d.contactId), [anna]);
        assert.match(due.erase[0]!.reason_en, /GDPR 17\(1\)\(b\)/);
      } finally {
        await store.dispose();
      }
    });
  });
}
