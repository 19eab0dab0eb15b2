// SCENARIOS A: consent, per purpose. Set up through use cases and the API; asserts decision, reason and source.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { grantPermission } from '../../src/services/consent/grant.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { linkIn } from '../support/setup.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { DomainError } from '../../src/services/errors.js';
import { formById } from '../../src/store/forms.js';
import { assertAllowed, assertBlocked, decisionFor, optIn, purpose, scene } from './support.js';

const campaign = (s: Awaited<ReturnType<typeof scene>>, purposeId: string, category: 'purpose_marketing' | 'service' = 'purpose_marketing') =>
  createCampaign(s.deps, { name: purposeId, purposeId, category, subject: 'Nieuws', body: 'Hallo {{ first_name }}' });
const refused = (code: string, field: string) => (e: unknown) => e instanceof DomainError && e.code === code && e.field === field;
/** A download purpose (service, contract basis), as a form's requested item. */
const itemPurpose = (s: Awaited<ReturnType<typeof scene>>, id: string) =>
  createPurpose(s.deps, { id, name_nl: `Doel ${id}`, name_en: `Purpose ${id}`, description_nl: `Uw ${id}.`, description_en: `Your ${id}.`, category: 'service' });
/** Presses the confirmation link of the newest mail. */
const confirmLast = async (s: Awaited<ReturnType<typeof scene>>) =>
  confirm(s.deps, { token: linkIn((await s.mails()).at(-1)!.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
const box = (purposeId: string, extra: Partial<{ preTicked: boolean; required: boolean }> = {}) => ({ purposeIds: [purposeId], preTicked: false, required: false, ...extra });

for (const dialect of DIALECTS) {
  describe(`scenarios A: consent per purpose (${dialect.name})`, () => {
    it('A1: unticked box + double opt-in → newsletter A allowed on consent', async () => {
      const s = await scene(await dialect.open());
      try {
        const id = await optIn(s, 'anna@example.nl');
        const c = await campaign(s, 'tips');
        assertAllowed(await decisionFor(s, c.id, id), 'CONSENT_CONFIRMED', 'A6-1-a', 'GDPR 6(1)(a)');
        assert.ok((await decisionFor(s, c.id, id)).reasons[0]!.sources.includes('Tw 11.7(1)'));
      } finally { await s.close(); }
    });

    it('A2: consent for newsletter A does not cover newsletter B', async () => {
      const s = await scene(await dialect.open());
      try {
        const id = await optIn(s, 'anna@example.nl');
        await purpose(s, 'news-b');
        const c = await campaign(s, 'news-b');
        assertBlocked(await decisionFor(s, c.id, id), 'NO_PERMISSION_FOR_PURPOSE', 'GDPR 5(1)(b)');
      } finally { await s.close(); }
    });

    it('A3: address given for an e-book → e-book delivered (service) once the address is confirmed, newsletter blocked', async () => {
      const s = await scene(await dialect.open());
      try {
        await itemPurpose(s, 'ebook');
        await createForm(s.deps, { id: 'ebook-form', name: 'E-book', boxes: [box('tips')], leadMagnetPurposeId: 'ebook' });
        const r = await subscribe(s.deps, { formId: 'ebook-form', email: 'lezer@example.nl', purposes: [], language: 'nl', ip: null, userAgent: null });
        assert.deepEqual(r.item, { purposeId: 'ebook', delivery: 'on-confirmation' });
        assert.deepEqual((await s.mails()).map((m) => m.subject), ['Bevestig uw e-mailadres bij Koffiebranderij De Boon B.V.'], 'the e-book waits for the confirmation');
        await confirmLast(s);
        assert.deepEqual((await s.mails()).slice(1).map((m) => m.subject), ['Doel ebook'], 'delivered on confirmation');
        assertAllowed(await decisionFor(s, (await campaign(s, 'ebook', 'service')).id, r.contactId), 'SERVICE_MESSAGE', 'A6-1-b', 'GDPR 6(1)(b)');
        assertBlocked(await decisionFor(s, (await campaign(s, 'tips')).id, r.contactId), 'NO_PERMISSION_FOR_PURPOSE', 'GDPR 5(1)(b)');
      } finally { await s.close(); }
    });

    it('A4: e-book conditional on newsletter consent → form refused (7(4)); a decliner still gets the e-book', async () => {
      const s = await scene(await dialect.open());
      try {
        await itemPurpose(s, 'ebook');
        await assert.rejects(
          createForm(s.deps, { id: 'bad', name: 'E-book', boxes: [box('tips')], leadMagnetPurposeId: 'ebook', leadMagnetRequiresConsent: true }),
          (e: DomainError) => refused('FORM_CONSENT_CONDITIONAL', 'leadMagnetRequiresConsent')(e) && /GDPR 7\(4\)/.test(e.message),
        );
        assert.equal(await formById(s.deps.db, 'bad'), undefined);
        await assert.rejects(createForm(s.deps, { id: 'bad', name: 'E-book', boxes: [box('tips', { required: true })] }), refused('FORM_CONSENT_REQUIRED', 'boxes[0].required'));
        await createForm(s.deps, { id: 'good', name: 'E-book', boxes: [box('tips')], leadMagnetPurposeId: 'ebook' });
        const r = await subscribe(s.deps, { formId: 'good', email: 'nee@example.nl', purposes: [], language: 'nl', ip: null, userAgent: null });
        assert.deepEqual(r.item, { purposeId: 'ebook', delivery: 'on-confirmation' });
        const confirmed = await confirmLast(s);
        assert.deepEqual(confirmed.confirmed, [], 'no newsletter');
        assert.deepEqual(confirmed.items.map((i) => [i.purposeId, i.mailed]), [['ebook', true]]);
      } finally { await s.close(); }
    });

    it('A5: pre-ticked box → form refused; imported "pre-ticked" consent is not valid', async () => {
      const s = await scene(await dialect.open());
      try {
        await assert.rejects(createForm(s.deps, { id: 'pre', name: 'Pre', boxes: [box('tips', { preTicked: true })] }), refused('FORM_PRE_TICKED', 'boxes[0].preTicked'));
        assert.equal(await formById(s.deps.db, 'pre'), undefined);
        const res = await s.api('POST', '/decisions', {
          facts: { message: { category: 'purpose_marketing', purposeId: 'tips' }, permission: { basis: 'A6-1-a', status: 'active', method: 'pre_ticked', sourceKind: 'import', givenAt: '2024-01-01T00:00:00Z' } },
        });
        assert.equal(res.statusCode, 200);
        const d = res.json();
        assert.equal(d.allowed, false);
        assert.equal(d.reasons[0].code, 'CONSENT_INVALID_PRE_TICKED');
        assert.ok(d.reasons[0].sources.includes('GDPR Recital 32'));
      } finally { await s.close(); }
    });

    it('A6: single opt-in only when switched off on purpose; evidence says "single opt-in, unverified"', async () => {
      const s = await scene(await dialect.open());
      try {
        await assert.rejects(createForm(s.deps, { id: 'single', name: 'Single', boxes: [box('tips')], doubleOptIn: false }), refused('FORM_SINGLE_OPT_IN_UNACKNOWLEDGED', 'doubleOptIn'));
        await createForm(s.deps, { id: 'single', name: 'Single', boxes: [box('tips')], doubleOptIn: false, singleOptInAcknowledged: true });
        assert.equal((await formById(s.deps.db, 'single'))!.double_opt_in, 0);
        const id = await optIn(s, 'snel@example.nl', { formId: 'single' });
        assertAllowed(await decisionFor(s, (await campaign(s, 'tips')).id, id), 'CONSENT_SINGLE_OPT_IN', 'A6-1-a', 'GDPR 7(1)');
        const ev = await contactEvidence(s.deps, id);
        assert.equal(ev.permissions[0]!.history[0]!.details.note, 'single opt-in, unverified');
        const form = await formById(s.deps.db, 'tips');
        assert.equal(form!.double_opt_in, 1, 'double opt-in is the default');
      } finally { await s.close(); }
    });

    it('A7: a scanner fetching the confirmation link (GET, HEAD) changes nothing', async () => {
      const s = await scene(await dialect.open());
      try {
        const id = await optIn(s, 'scan@example.nl', { confirm: false });
        const url = (await s.mails())[0]!.text!.match(/http:\/\/localhost:3000(\/confirm\/[^\s>)"]+)/)![1]!;
        for (const method of ['GET', 'HEAD'] as const) assert.ok((await s.app.inject({ method, url })).statusCode < 400);
        assertBlocked(await decisionFor(s, (await campaign(s, 'tips')).id, id), 'CONSENT_PENDING', 'GDPR 7(1)');
      } finally { await s.close(); }
    });

    it('A8: adding everyone on A to B (bulk action, automation, API) is refused without a consent event for B', async () => {
      const s = await scene(await dialect.open());
      try {
        const id = await optIn(s, 'anna@example.nl');
        await purpose(s, 'news-b');
        for (const via of ['bulk_action', 'automation'] as const) {
          await assert.rejects(grantPermission(s.deps, { purposeId: 'news-b', via, contacts: [id] }), refused('GRANT_NO_CONSENT_EVENT', 'contacts[0]'));
        }
        const res = await s.api('POST', '/purposes/news-b/grants', { contacts: ['anna@example.nl'] });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.field, 'contacts[0]');
        assert.equal((await grantPermission(s.deps, { purposeId: 'tips', via: 'automation', contacts: [id] })).unchanged, 1, 'segmenting within a consented purpose is fine');
        assertBlocked(await decisionFor(s, (await campaign(s, 'news-b')).id, id), 'NO_PERMISSION_FOR_PURPOSE', 'GDPR 6(1)(a)');
      } finally { await s.close(); }
    });

    it('A9: the evidence for a contact and purpose: when, how, text, notice version, source, full history', async () => {
      const s = await scene(await dialect.open());
      try {
        const id = await optIn(s, 'anna@example.nl');
        const res = await s.api('GET', `/contacts/${id}/evidence`);
        assert.equal(res.statusCode, 200);
        const ev = res.json();
        const p = ev.permissions.find((x: { purpose_id: string }) => x.purpose_id === 'tips');
        assert.equal(p.method, 'double_opt_in');
        assert.equal(p.source_kind, 'form');
        assert.ok(p.given_at && p.confirmed_at && p.notice_version);
        assert.deepEqual(p.history.map((e: { type: string }) => e.type), ['requested', 'confirmed']);
        assert.match(p.history[0].details.textShown, /Koffietips/);
        assert.equal(p.history[0].details.formId, 'tips');
        assert.equal(p.history[0].personal.ip, '192.0.2.1');
        assert.equal(ev.chainIntact, true);
      } finally { await s.close(); }
    });
  });
}
