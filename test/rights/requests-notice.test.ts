import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { addRequest, completeRequest, deadlineWarnings, extendRequest, listRequestViews } from '../../src/services/rights/requests.js';
import { NoticeIncompleteError, noticeStatus, publishNotice, saveNoticeJson } from '../../src/services/organisation/notice-admin.js';
import { draftFullNotice } from '../../src/services/organisation/setup.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { DomainError } from '../../src/services/errors.js';
import { getOrganisation } from '../../src/store/settings.js';
import { buildProcessingRecord, processingRecordCsv, proofOfConsent } from '../../src/services/rights/processing-record.js';
import { proofHtml } from '../../src/web/views/manage-documents.js';
import { signUpConfirmed } from './helpers.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`requests register, notice admin, accountability documents (${dialect.name})`, () => {
    it('requests: one month from receipt, extension up to two months with a reason, overdue first (GDPR 12(3))', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        w.clock.set(new Date('2024-01-31T09:00:00Z'));
        const a = await addRequest(w.deps, { kind: 'access', channel: 'letter', requester: 'J. Jansen' });
        assert.equal(a.dueAt, '2024-02-29T09:00:00.000Z', 'leap year: 31 January + 1 month = 29 February');
        assert.equal(a.state, 'open');
        await assert.rejects(extendRequest(w.deps, a.id, 1, ' '), (e: DomainError) => e.field === 'reason');
        const ext = await extendRequest(w.deps, a.id, 2, 'many requests this month');
        assert.equal(ext.dueAt, '2024-04-30T09:00:00.000Z', 'counted from receipt: 31 January + 3 months');
        await assert.rejects(extendRequest(w.deps, a.id, 1, 'more'), (e: DomainError) => e.kind === 'invalid' && /two further months/.test(e.message));
        const b = await addRequest(w.deps, { kind: 'erasure', channel: 'phone' });
        await assert.rejects(addRequest(w.deps, { kind: 'deletion', channel: 'phone' }), (e: DomainError) => e.field === 'kind');
        w.clock.set(new Date('2024-03-01T09:00:00Z'));
        await assert.rejects(extendRequest(w.deps, b.id, 1, 'late'), (e: DomainError) => /within one month/.test(e.message));
        const list = await listRequestViews(w.deps, { openOnly: true });
        assert.deepEqual(list.map((v) => [v.id, v.state]), [[b.id, 'overdue'], [a.id, 'extended']]);
        assert.match(deadlineWarnings(list)[0]!, /^OVERDUE: erasure request/);
        const done = await completeRequest(w.deps, b.id, 'erased');
        assert.equal(done.state, 'done');
        assert.equal(done.completedAt, '2024-03-01T09:00:00.000Z');
        assert.deepEqual((await listRequestViews(w.deps, { openOnly: true })).map((v) => v.id), [a.id]);
        w.clock.advance(60 * DAY); // exactly the extended due moment: still in time
        assert.equal((await listRequestViews(w.deps, { openOnly: true }))[0]!.state, 'due_soon');
        w.clock.advance(1);
        assert.equal((await listRequestViews(w.deps, { openOnly: true }))[0]!.state, 'overdue');
      } finally {
        await store.dispose();
      }
    });

    it('G1, G2: publishing refuses exactly the missing items; no form works without a published notice; consent records the version', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await store.db.updateTable('privacy_notices').set({ published_at: null }).execute();
        const signUp = () => subscribe(w.deps, { formId: 'tips', email: 'anna@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
        await assert.rejects(signUp(), (e: DomainError) => e.kind === 'unavailable' && e.code === 'no-notice');

        const full = await draftFullNotice(w.deps, (await getOrganisation(store.db))!, { recipients: 'none', transfers: 'none' });
        const incomplete = { ...full, dpo: null, provisionRequirement: { nl: '', en: '' }, transfers: null };
        const saved = await saveNoticeJson(w.deps, JSON.stringify(incomplete));
        assert.deepEqual(saved.missing.map((m) => [m.item, m.field]), [['13(1)(b)', 'dpo'], ['13(1)(f)', 'transfers'], ['13(2)(e)', 'provisionRequirement']]);
        await assert.rejects(publishNotice(w.deps, saved.version), (e: NoticeIncompleteError) =>
          e instanceof NoticeIncompleteError && e.missing.map((m) => m.field).join() === 'dpo,transfers,provisionRequirement');
        await assert.rejects(signUp(), (e: DomainError) => e.code === 'no-notice');
        await assert.rejects(saveNoticeJson(w.deps, JSON.stringify({ ...full, purposes: [{ ...full.purposes[0], basis: 'A6-1-z' }] })), (e: DomainError) => e.field === 'purposes[0].basis');
        await assert.rejects(saveNoticeJson(w.deps, '{'), (e: DomainError) => e.field === 'file');

        const good = await saveNoticeJson(w.deps, JSON.stringify(full));
        assert.deepEqual(good.missing, []);
        assert.equal((await noticeStatus(w.deps)).draft?.version, good.version);
        await publishNotice(w.deps, good.version);
        assert.equal((await noticeStatus(w.deps)).published?.version, good.version);
        await assert.rejects(publishNotice(w.deps, saved.version), (e: DomainError) => e.kind === 'conflict');
        const sub = await signUp();
        const ev = await store.db.selectFrom('consent_events').selectAll().where('subject_id', '=', sub.contactId).executeTakeFirstOrThrow();
        assert.equal(JSON.parse(ev.details).noticeVersion, good.version);
      } finally {
        await store.dispose();
      }
    });

    it('A9: proof of consent and the record of processing activities (GDPR 7(1), 30)', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await signUpConfirmed(w, 'anna@example.nl');
        const proof = await proofOfConsent(w.deps, 'anna@example.nl', w.clock.now());
        assert.equal(proof.ledger.ledgerOk, true);
        assert.deepEqual(proof.permissions[0]!.history.map((e) => e.type), ['requested', 'confirmed']);
        assert.match(proof.statement, /verifies/);
        const page = proofHtml(proof);
        assert.match(page, /Proof of consent — anna@example\.nl/);
        assert.match(page, /double_opt_in/);
        const dutch = proofHtml(proof, 'nl');
        assert.match(dutch, /<html lang="nl">/);
        assert.match(dutch, /Bewijs van toestemming — anna@example\.nl/);
        assert.match(dutch, /Hele logboek klopt: ja/);
        const rows = await buildProcessingRecord(w.deps, 'nl');
        assert.equal(rows.length, 1);
        assert.match(rows[0]!.lawfulBasis, /6\(1\)\(a\)/);
        assert.match(await processingRecordCsv(w.deps), /^Processing activity,Controller,/);
      } finally {
        await store.dispose();
      }
    });
  });
}
