import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { archivePurpose, createPurpose, getPurpose, updatePurpose } from '../../src/services/organisation/purposes.js';
import { createForm, embedSnippet, getForm, updateForm } from '../../src/services/organisation/forms.js';
import { organisationSettings, setRecipients, setRetentionRules, setTransfers, updateOrganisation } from '../../src/services/organisation/organisation.js';
import { setMailBranding } from '../../src/services/organisation/branding.js';
import { noticeContent, noticeStatus } from '../../src/services/organisation/notice-admin.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { DomainError } from '../../src/services/errors.js';

const EBOOK = { name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.' };

const refused = (field: string, code?: string) => (e: unknown) =>
  e instanceof DomainError && e.field === field && (code === undefined || e.code === code);

for (const dialect of DIALECTS) {
  describe(`organisation settings, purposes and forms (${dialect.name})`, () => {
    it('a new purpose goes into a new, published notice version; a wrong basis is refused naming the field', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const before = (await noticeStatus(w.deps)).published!.version;
        const r = await createPurpose(w.deps, { id: 'ebook', ...EBOOK, category: 'service', bases: ['A6-1-b'] });
        assert.equal(r.notice.version, before + 1);
        assert.equal(r.notice.published, true);
        const { content } = await noticeContent(w.deps);
        assert.deepEqual(content.purposes.map((p) => [p.id, p.basis]), [['tips', 'A6-1-a'], ['ebook', 'A6-1-b']]);

        // A newsletter cannot rest on legitimate interest (Tw 11.7(1)); nothing is stored.
        await assert.rejects(
          createPurpose(w.deps, { id: 'acties', ...EBOOK, category: 'purpose_marketing', bases: ['A6-1-f'] }),
          refused('bases', 'PURPOSE_BASIS_NOT_ACCEPTED'),
        );
        await assert.rejects(getPurpose(w.deps, 'acties'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
        await assert.rejects(createPurpose(w.deps, { id: 'Bad Id', ...EBOOK }), refused('id'));
        await assert.rejects(createPurpose(w.deps, { id: 'ebook', ...EBOOK, category: 'service' }), refused('id', 'purpose-exists'));
        await assert.rejects(createPurpose(w.deps, { id: 'x', ...EBOOK, name_nl: ' ' }), refused('name_nl'));
        // Single opt-in only on purpose (A6).
        await assert.rejects(createPurpose(w.deps, { id: 'snel', ...EBOOK, doubleOptIn: false }), refused('doubleOptIn', 'PURPOSE_SINGLE_OPT_IN_UNACKNOWLEDGED'));
      } finally {
        await store.dispose();
      }
    });

    it('kind and bases are fixed once people gave permission; names may change; archiving waits for forms', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const tips = await getPurpose(w.deps, 'tips');
        const fields = { name_nl: 'Koffietips', name_en: 'Coffee tips', description_nl: tips.description.nl, description_en: tips.description.en };
        // Before anyone signed up the kind may change.
        await updatePurpose(w.deps, 'tips', { ...fields, category: 'customer_marketing', bases: ['A6-1-f'] });
        await updatePurpose(w.deps, 'tips', { ...fields, category: 'purpose_marketing', bases: ['A6-1-a'] });
        await subscribe(w.deps, { formId: 'tips', email: 'anna@example.nl', purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
        await assert.rejects(
          updatePurpose(w.deps, 'tips', { ...fields, category: 'customer_marketing', bases: ['A6-1-f'] }),
          refused('category', 'PURPOSE_CHANGED_AFTER_CONSENT'),
        );
        assert.equal((await getPurpose(w.deps, 'tips')).category, 'purpose_marketing');
        const renamed = await updatePurpose(w.deps, 'tips', { ...fields, name_en: 'Coffee tips and news' });
        assert.equal(renamed.purpose.name.en, 'Coffee tips and news');
        assert.equal((await noticeContent(w.deps)).content.purposes[0]!.name.en, 'Coffee tips and news');

        await assert.rejects(archivePurpose(w.deps, 'tips'), refused('archived', 'PURPOSE_OFFERED_BY_FORM'));
        await createPurpose(w.deps, { id: 'oud', ...EBOOK });
        const archived = await archivePurpose(w.deps, 'oud');
        assert.ok(archived.archivedAt);
        await assert.rejects(
          createForm(w.deps, { id: 'oud', name: 'Oud', boxes: [{ purposeIds: ['oud'], preTicked: false, required: false }] }),
          refused('boxes[0].purposeIds', 'archived-purpose'),
        );
        await assert.rejects(createCampaign(w.deps, { name: 'x', purposeId: 'oud', subject: 'x', body: 'x' }), refused('purposeId', 'archived-purpose'));
        assert.equal((await archivePurpose(w.deps, 'oud', false)).archivedAt, null);
      } finally {
        await store.dispose();
      }
    });

    it('forms are edited behind the same guard; a refused change leaves the form as it was', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await createPurpose(w.deps, { id: 'ebook', ...EBOOK, category: 'service', bases: ['A6-1-b'] });
        const boxes = [{ purposeIds: ['tips'], preTicked: false, required: false }];
        await updateForm(w.deps, 'tips', { name: 'Tips & e-book', boxes, leadMagnetPurposeId: 'ebook', appearance: { accentColour: '#aa3300', thankYouUrl: 'https://deboon.example/bedankt' } });
        const f = await getForm(w.deps, 'tips');
        assert.equal(f.leadMagnetPurposeId, 'ebook');
        assert.equal(f.appearance.thankYouUrl, 'https://deboon.example/bedankt');
        await assert.rejects(updateForm(w.deps, 'tips', { name: 'x', boxes: [{ ...boxes[0]!, preTicked: true }] }), refused('boxes[0].preTicked', 'FORM_PRE_TICKED'));
        await assert.rejects(updateForm(w.deps, 'tips', { name: 'x', boxes, leadMagnetPurposeId: 'ebook', leadMagnetRequiresConsent: true }), refused('leadMagnetRequiresConsent'));
        await assert.rejects(updateForm(w.deps, 'tips', { name: 'x', boxes, appearance: { thankYouUrl: 'http://deboon.example/' } }), refused('appearance.thankYouUrl'));
        assert.equal((await getForm(w.deps, 'tips')).name, 'Tips & e-book');
        const snippet = embedSnippet(f, w.deps.baseUrl, 'nl');
        assert.match(snippet, /<form method="post" action="http:\/\/localhost:3000\/f\/tips\?lang=nl">/);
        assert.match(snippet, /type="checkbox" name="purposes" value="tips">/);
        assert.doesNotMatch(snippet, /checked/);
        assert.match(snippet, /Tips &#38; e-book|Koffietips/);
      } finally {
        await store.dispose();
      }
    });

    it('identity, recipients and transfers feed the notice; a recipient outside the EEA keeps it a draft until its transfer is stated', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        await setMailBranding(w.deps, { logoUrl: 'https://cdn.deboon.example/logo.png', accentColour: '#123456' });
        const s0 = await organisationSettings(w.deps);
        const { logoUrl: _l, accentColour: _c, ...identity } = s0.organisation!;
        const moved = await updateOrganisation(w.deps, { ...identity, postalAddress: 'Dam 1, 1012 JS Amsterdam', replyTo: 'hallo@deboon.example' });
        assert.equal(moved.notice.published, true);
        assert.equal(moved.organisation.logoUrl, 'https://cdn.deboon.example/logo.png', 'the mail branding is kept');
        assert.equal((await organisationSettings(w.deps)).organisation!.accentColour, '#123456');
        assert.equal((await noticeContent(w.deps)).content.controller.postalAddress, 'Dam 1, 1012 JS Amsterdam');
        await assert.rejects(updateOrganisation(w.deps, { ...s0.organisation!, name: 'Nieuwe Naam B.V.', replyTo: 'not an address' }), refused('replyTo', 'invalid-email'));
        assert.equal((await organisationSettings(w.deps)).organisation!.name, s0.organisation!.name, 'one wrong field saves none');
        assert.equal((await organisationSettings(w.deps)).organisation!.replyTo, 'hallo@deboon.example');

        const published = (await noticeStatus(w.deps)).published!.version;
        const r = await setRecipients(w.deps, [{ name: 'Mailer Inc.', task_nl: 'e-mail verzenden', task_en: 'sending e-mail', country: 'us' }]);
        assert.equal(r.published, false);
        assert.ok(r.missing.some((m) => m.item === '13(1)(f)'), JSON.stringify(r.missing));
        assert.equal((await noticeStatus(w.deps)).published!.version, published);
        await assert.rejects(setTransfers(w.deps, [{ recipient: 'Mailer Inc.', country: 'DE', safeguard: 'standard_contractual_clauses', details_nl: 'SCC 2021', details_en: 'SCC 2021' }]), refused('transfers[0].country', 'country-in-eea'));
        const t = await setTransfers(w.deps, [{ recipient: 'Mailer Inc.', country: 'US', safeguard: 'standard_contractual_clauses', details_nl: 'SCC 2021/914', details_en: 'SCC 2021/914' }]);
        assert.deepEqual(t.missing, []);
        assert.equal((await organisationSettings(w.deps)).recipients !== 'none', true);

        assert.equal((await setRetentionRules(w.deps, { withdrawn_after_days: 14 })).withdrawn_after_days, 14);
        await assert.rejects(setRetentionRules(w.deps, { withdrawn_after_days: -1 }), refused('retention.withdrawn_after_days'));
        await assert.rejects(setRetentionRules(w.deps, { nonsense: 1 } as never), (e: unknown) => e instanceof DomainError && e.kind === 'invalid');
      } finally {
        await store.dispose();
      }
    });
  });
}
