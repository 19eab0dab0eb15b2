// The services behind the admin's Privacy pages, on SQLite and PostgreSQL: the notice's versions, the editor's
// texts saved as a draft (never published by saving) and merged over the newest version, the request's contact
// found by address or id, and a retention dry run that is not logged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { DomainError } from '../../src/services/errors.js';
import {
  draftNoticeTexts,
  noticeContent,
  noticeEditor,
  noticeStatus,
  noticeVersions,
  publishNotice,
} from '../../src/services/organisation/notice-admin.js';
import { updatePurpose, getPurpose } from '../../src/services/organisation/purposes.js';
import { addRequest, findRequest } from '../../src/services/rights/requests.js';
import { retentionPreview, runRetention } from '../../src/services/rights/retention.js';
import { contactByEmail } from '../../src/store/contacts.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`privacy admin services (${dialect.name})`, () => {
    it('notice: texts saved as a draft over the newest version, versions with their state, publish', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const before = await noticeContent(w.deps);
        assert.deepEqual((await noticeVersions(w.deps)).map((v) => [v.version, v.state]), [[1, 'current']]);

        // Only the given fields change; the rest of the notice is taken over.
        const r = await draftNoticeTexts(w.deps, { provision_nl: 'Alleen uw e-mailadres is nodig.', provision_en: 'Only your address is needed.' });
        assert.equal(r.version, 2);
        const draft = await noticeContent(w.deps, 2);
        assert.equal(draft.publishedAt, null, 'saving publishes nothing');
        assert.deepEqual(draft.content.provisionRequirement, { nl: 'Alleen uw e-mailadres is nodig.', en: 'Only your address is needed.' });
        assert.deepEqual(draft.content.rights, before.content.rights);
        assert.deepEqual(draft.content.controller, before.content.controller);
        assert.deepEqual(draft.content.purposes, before.content.purposes);
        assert.deepEqual((await noticeVersions(w.deps)).map((v) => [v.version, v.state]), [[2, 'draft'], [1, 'current']]);
        assert.equal((await draftNoticeTexts(w.deps, { provision_nl: 'Alleen uw e-mailadres is nodig.' })).version, null, 'no change, no version');

        await assert.rejects(draftNoticeTexts(w.deps, { automated: 'described', automated_nl: 'Wij scoren.', automated_en: '' }), (e: DomainError) => e.field === 'automated_en');
        await assert.rejects(draftNoticeTexts(w.deps, { rights_nl: 'x'.repeat(5001) }), (e: DomainError) => e.field === 'rights_nl' && e.code === 'too-long');
        await assert.rejects(draftNoticeTexts(w.deps, { dpo: 'maybe' as 'none' }), (e: DomainError) => e.field === 'dpo');

        // A purpose on 6(1)(f) asks for its interest in the editor; the interest is stored per purpose.
        const tips = await getPurpose(w.deps, 'tips');
        await updatePurpose(w.deps, 'tips', {
          name_nl: tips.name.nl, name_en: tips.name.en, description_nl: tips.description.nl, description_en: tips.description.en,
          category: 'customer_marketing', bases: ['A6-1-f'], doubleOptIn: true,
        });
        const editor = await noticeEditor(w.deps);
        assert.deepEqual(editor.interestPurposes.map((p) => p.id), ['tips']);
        assert.equal(editor.values.provision_nl, 'Alleen uw e-mailadres is nodig.', 'the editor starts from the newest version');
        const li = await draftNoticeTexts(w.deps, { interest_tips_nl: 'Klanten op de hoogte houden.', interest_tips_en: 'Keeping customers informed.', dpo: 'none' });
        assert.ok(li.version);
        const withLi = await noticeContent(w.deps, li.version!);
        assert.deepEqual(withLi.content.legitimateInterests, [{ purposeId: 'tips', interest: { nl: 'Klanten op de hoogte houden.', en: 'Keeping customers informed.' } }]);
        assert.deepEqual(withLi.content.dpo, { appointed: false });
        assert.ok(!li.missing.some((m) => m.item === '13(1)(d)'));
        await publishNotice(w.deps, li.version!);
        assert.equal((await noticeStatus(w.deps)).published?.version, li.version);
        const states = await noticeVersions(w.deps);
        assert.equal(states[0]!.state, 'current');
        assert.ok(states.slice(1).every((v) => v.state === 'superseded' || v.state === 'unpublished'));
        assert.ok(states.some((v) => v.state === 'unpublished'), 'an older draft can no longer be published');
      } finally {
        await store.dispose();
      }
    });

    it('requests: the contact by address or id; an unknown one refused without repeating it; one request by id', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await addContact(w.deps, { email: 'Anna@Example.nl', source: 'form' });
        const anna = (await contactByEmail(w.deps.db, 'anna@example.nl'))!;
        const byAddress = await addRequest(w.deps, { kind: 'access', channel: 'email', contact: ' ANNA@example.nl ' });
        assert.equal(byAddress.contactId, anna.id);
        const byId = await addRequest(w.deps, { kind: 'erasure', channel: 'letter', contact: anna.id });
        assert.equal(byId.contactId, anna.id);
        assert.equal((await addRequest(w.deps, { kind: 'objection', channel: 'phone', contact: '' })).contactId, null);
        await assert.rejects(addRequest(w.deps, { kind: 'access', channel: 'email', contact: 'niemand@example.nl' }), (e: DomainError) =>
          e.field === 'contact' && e.code === 'unknown-contact' && !e.message.includes('niemand'));
        await assert.rejects(addRequest(w.deps, { kind: 'access', channel: 'email', receivedAt: new Date(w.clock.now().getTime() + DAY) }), (e: DomainError) => e.code === 'date-in-future');
        const found = await findRequest(w.deps, byId.id);
        assert.equal(found.kind, 'erasure');
        assert.equal(found.state, 'open');
        await assert.rejects(findRequest(w.deps, 'nope'), (e: DomainError) => e.kind === 'not_found' && e.code === 'unknown-request');
      } finally {
        await store.dispose();
      }
    });

    it('retention: a dry run with record:false plans the same and logs nothing; a real run cannot skip the log', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        w.clock.set(new Date(w.clock.now().getTime() - 40 * DAY));
        await subscribe(w.deps, { formId: 'tips', email: 'oud@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
        w.clock.set(new Date(w.clock.now().getTime() + 40 * DAY));
        const { report: quiet, addresses } = await retentionPreview(w.deps, 10);
        assert.equal(quiet.erase.length, 1);
        assert.equal(addresses.get(quiet.erase[0]!.contactId), 'oud@example.nl');
        assert.equal((await w.deps.db.selectFrom('retention_runs').selectAll().execute()).length, 0);
        const logged = await runRetention(w.deps, { dryRun: true });
        assert.deepEqual(logged.erase, quiet.erase);
        assert.equal((await w.deps.db.selectFrom('retention_runs').selectAll().execute()).length, 1);
        await assert.rejects(runRetention(w.deps, { dryRun: false, record: false }), /always recorded/);
        assert.ok(await contactByEmail(w.deps.db, 'oud@example.nl'), 'refused before erasing anything');
      } finally {
        await store.dispose();
      }
    });
  });
}
