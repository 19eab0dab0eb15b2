// Findings 1 (fresh-user audit, 2026-12-07): people who asked for an e-book (a service purpose's item, delivered
// after they confirm their address) are judged by their relationship, as the gate judges a service message, not
// as "no provable basis"; and the retention run keeps them. SQLite and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { linkIn } from '../support/setup.js';
import { optIn, scene, type Scene } from '../scenarios/support.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { setPurposeItem } from '../../src/services/consent/welcome.js';
import { auditList, judgeContacts } from '../../src/services/lists/audit.js';
import { createForm } from '../../src/services/organisation/forms.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { runRetention } from '../../src/services/rights/retention.js';
import { purposeById } from '../../src/store/purposes.js';

const MINUTE = 60_000;

async function ebookScene(store: Awaited<ReturnType<(typeof DIALECTS)[number]['open']>>): Promise<Scene> {
  const s = await scene(store);
  await createPurpose(s.deps, {
    id: 'ebook', name_nl: 'E-book', name_en: 'E-book', description_nl: 'Ons e-book.', description_en: 'Our e-book.', category: 'service',
  });
  await setPurposeItem(s.deps, 'ebook', 'https://deboon.example/ebook.pdf');
  await createForm(s.deps, { id: 'ebook-form', name: 'E-book', boxes: [{ purposeIds: ['tips'], preTicked: false, required: false }], leadMagnetPurposeId: 'ebook' });
  return s;
}

/** Asks for the e-book on the form (no box ticked) and, unless told not to, confirms the address. */
async function request(s: Scene, email: string, confirmed = true): Promise<string> {
  const before = (await s.mails()).length;
  const r = await subscribe(s.deps, { formId: 'ebook-form', email, purposes: [], language: 'nl', ip: '192.0.2.1', userAgent: 'test' });
  if (confirmed) {
    const mail = (await s.mails()).slice(before).find((m) => m.text?.includes('/confirm/'))!;
    await confirm(s.deps, { token: linkIn(mail.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  }
  return r.contactId;
}

for (const dialect of DIALECTS) {
  describe(`a service purpose in the audit and retention (${dialect.name})`, () => {
    it('confirmed e-book requesters are mailable for the service purpose on the contract basis, and retention keeps them', async () => {
      const s = await ebookScene(await dialect.open());
      try {
        const reader = await request(s, 'lezer@example.nl');
        const waiting = await request(s, 'wacht@example.nl', false);
        await optIn(s, 'abonnee@example.nl');
        const p = await s.deps.db.selectFrom('permissions').select(['status', 'basis', 'method']).where('contact_id', '=', reader).where('purpose_id', '=', 'ebook').executeTakeFirstOrThrow();
        assert.deepEqual(p, { status: 'active', basis: 'A6-1-b', method: 'contract' });

        s.clock.advance(MINUTE);
        const report = await auditList(s.deps);
        const ebook = report.purposes.find((x) => x.purposeId === 'ebook')!;
        assert.deepEqual(ebook.mailable, { count: 1, byReason: { SERVICE_MESSAGE: 1 }, byBasis: { 'A6-1-b': 1 } });
        assert.deepEqual(ebook.pending, { count: 1, byReason: { CONSENT_PENDING: 1 } });
        assert.deepEqual(ebook.noProvableBasis, { count: 0, byReason: {} });
        assert.equal(ebook.noPermission, 1, 'the newsletter subscriber never asked for the e-book');
        assert.equal(ebook.needsRepermission.count, 0);
        const groups = ebook.mailable.count + ebook.optedOut.count + ebook.pending.count + ebook.needsRepermission.blockedDocumented.count + ebook.noProvableBasis.count + ebook.noPermission;
        assert.equal(groups, ebook.contacts);

        // The import summary and the mailability of given contacts use the same verdict.
        const m = await judgeContacts(s.deps, (await purposeById(s.deps.db, 'ebook'))!, [reader, waiting], s.clock.now());
        assert.deepEqual([m.judged, m.mailable, m.blocked], [2, 1, [{ code: 'CONSENT_PENDING', action: 'await_confirmation', count: 1 }]]);

        // Retention: a requester of a minute ago rests on the request (GDPR 6(1)(b)) and is kept; nobody is erased.
        assert.equal(report.retention.erase, 0);
        const run = await runRetention(s.deps, { dryRun: true });
        assert.deepEqual([run.examined, run.kept, run.erase.length], [3, 3, 0]);
      } finally {
        await s.close();
      }
    });

    it('a withdrawn request is an opt-out, an expired one has no service relationship', async () => {
      const s = await ebookScene(await dialect.open());
      try {
        const gone = await request(s, 'weg@example.nl');
        const old = await request(s, 'oud@example.nl');
        await s.deps.db.updateTable('permissions').set({ status: 'withdrawn', withdrawn_at: s.clock.now().toISOString() }).where('contact_id', '=', gone).where('purpose_id', '=', 'ebook').execute();
        await s.deps.db.updateTable('permissions').set({ status: 'expired' }).where('contact_id', '=', old).where('purpose_id', '=', 'ebook').execute();
        const [ebook] = (await auditList(s.deps, { purposeId: 'ebook' })).purposes;
        assert.deepEqual(ebook!.optedOut, { count: 1, byReason: { CONSENT_WITHDRAWN: 1 } });
        assert.deepEqual(ebook!.noProvableBasis, { count: 1, byReason: { NO_SERVICE_RELATIONSHIP: 1 } });
        assert.equal(ebook!.mailable.count, 0);
      } finally {
        await s.close();
      }
    });
  });
}
