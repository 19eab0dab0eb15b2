import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { deleteCampaign, duplicateCampaign, editCampaign } from '../../src/services/campaigns/edit.js';
import { scheduleCampaign } from '../../src/services/campaigns/schedule.js';
import { campaignById } from '../../src/store/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { confirmedSubscriber } from './helpers.js';

const refused = (field: string, code: string) => (e: unknown) => e instanceof DomainError && e.field === field && e.code === code;

for (const dialect of DIALECTS) {
  describe(`campaign edit, delete and duplicate (${dialect.name})`, () => {
    it('edits a draft with the same checks as create; a bad edit stores nothing', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
        const edited = await editCampaign(w.deps, c.id, { subject: 'Hallo {{ first_name }}', body: 'Nieuwe oogst.' });
        assert.equal(edited.subject, 'Hallo {{ first_name }}');
        assert.equal(edited.name, 'Nov');
        const stored = await campaignById(store.db, c.id);
        assert.equal(stored!.body, 'Nieuwe oogst.');

        await assert.rejects(editCampaign(w.deps, c.id, { subject: 'Hallo {{ voornaam }}' }), refused('subject', 'unknown-variable'));
        await assert.rejects(editCampaign(w.deps, c.id, { subject: 'twee\nregels' }), (e: DomainError) => e.field === 'subject');
        await assert.rejects(editCampaign(w.deps, c.id, { purposeId: 'nope' }), refused('purposeId', 'unknown-purpose'));
        await assert.rejects(editCampaign(w.deps, c.id, { category: 'customer_marketing' }), refused('productCategory', 'no-product-category'));
        assert.deepEqual(await campaignById(store.db, c.id), stored);
      } finally {
        await store.dispose();
      }
    });

    it('refuses to edit or delete a campaign that is scheduled, sending or sent, saying why', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmedSubscriber(w.deps, 'anna@example.nl');
        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        await scheduleCampaign(w.deps, c.id, '2026-12-01 09:00');
        await assert.rejects(editCampaign(w.deps, c.id, { subject: 'y' }), (e: DomainError) =>
          e.kind === 'conflict' && e.field === 'status' && /only a draft campaign can be edited: it is scheduled .*unschedule it first/.test(e.message));
        await assert.rejects(deleteCampaign(w.deps, c.id), (e: DomainError) => e.kind === 'conflict' && /can be deleted: it is scheduled/.test(e.message));

        const sent = await createCampaign(w.deps, { name: 'Dec', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        await startCampaign(w.deps, sent.id);
        await assert.rejects(editCampaign(w.deps, sent.id, { subject: 'y' }), (e: DomainError) =>
          e.kind === 'conflict' && e.field === 'status' && /being sent; duplicate it/.test(e.message));
        await assert.rejects(deleteCampaign(w.deps, sent.id), refused('status', 'not-draft'));
        assert.equal((await campaignById(store.db, sent.id))!.subject, 'Hallo');
        assert.ok(await campaignById(store.db, sent.id));
      } finally {
        await store.dispose();
      }
    });

    it('deletes a draft, and duplicates any campaign into a new draft', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await confirmedSubscriber(w.deps, 'anna@example.nl');
        const draft = await createCampaign(w.deps, { name: 'weg', purposeId: 'tips', subject: 'x', body: 'x' });
        await deleteCampaign(w.deps, draft.id);
        assert.equal(await campaignById(store.db, draft.id), undefined);
        await assert.rejects(deleteCampaign(w.deps, draft.id), (e: DomainError) => e.kind === 'not_found');

        const c = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers.' });
        await startCampaign(w.deps, c.id);
        const copy = await duplicateCampaign(w.deps, c.id);
        assert.notEqual(copy.id, c.id);
        assert.equal(copy.status, 'draft');
        assert.equal(copy.name, 'Nov (copy)');
        assert.equal(copy.started_at, null);
        assert.equal((await campaignById(store.db, copy.id))!.body, 'Vers.');
        assert.equal((await duplicateCampaign(w.deps, c.id, 'December')).name, 'December');
        await assert.rejects(duplicateCampaign(w.deps, c.id, 'a\nb'), (e: DomainError) => e.field === 'name');
        await editCampaign(w.deps, copy.id, { subject: 'Nog een keer' });
      } finally {
        await store.dispose();
      }
    });

    it('a duplicate of a translation is a campaign of its own, not a second translation of the original', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const nl = await createCampaign(w.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers.', language: 'nl' });
        const en = await createCampaign(w.deps, { name: 'Nov EN', purposeId: 'tips', subject: 'Hello', body: 'Fresh.', language: 'en', translationOf: nl.id });
        const copy = await duplicateCampaign(w.deps, en.id);
        const stored = (await campaignById(store.db, copy.id))!;
        assert.equal(stored.translation_of, null);
        assert.equal(stored.language, 'en');
        assert.equal(stored.body, 'Fresh.');
        // The original still has exactly one English version.
        const versions = await store.db.selectFrom('campaigns').select('id').where('translation_of', '=', nl.id).execute();
        assert.deepEqual(versions.map((v) => v.id), [en.id]);
      } finally {
        await store.dispose();
      }
    });
  });
}
