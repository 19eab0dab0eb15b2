// SCENARIOS F: re-permission and migration.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { exportEvidence } from '../../src/services/lists/evidence-export.js';
import { importEvidence } from '../../src/services/lists/evidence-import.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { addContact, findContact } from '../../src/services/consent/relationships.js';
import { expireNonResponders, renewConsent } from '../../src/services/campaigns/repermission.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { permissionFor } from '../../src/store/permissions.js';
import { assertAllowed, assertBlocked, decisionFor, mailchimpSubscribed, scene, tempFile, type Scene } from './support.js';

const news = (s: Scene) => createCampaign(s.deps, { name: 'Nieuws', purposeId: 'tips', subject: 'Nieuws', body: 'Hallo' });
const ask = (s: Scene, deadline = '2026-12-31T00:00:00Z') =>
  createCampaign(s.deps, { name: 'Blijft u?', purposeId: 'tips', category: 'repermission', repermissionDeadline: deadline, subject: 'Wilt u onze tips blijven ontvangen?', body: 'Bevestig binnen een maand.' });
const FIXTURES = new URL('../fixtures/mailchimp/', import.meta.url).pathname;

for (const dialect of DIALECTS) {
  describe(`scenarios F: re-permission and migration (${dialect.name})`, () => {
    const run = (name: string, body: (s: Scene) => Promise<void>) =>
      it(name, async () => {
        const s = await scene(await dialect.open());
        try { await body(s); } finally { await s.close(); }
      });

    run('F1: documented older consent → one re-permission message; non-responders lose eligibility after the deadline', async (s) => {
      const list = mailchimpSubscribed([['ja@example.nl', '', ''], ['stil@example.nl', '', '']]);
      await importMailchimp(s.deps, { files: { subscribed: list }, purposeId: 'tips', evidenceRef: 'papieren inschrijflijsten 2019, map 4' });
      assertBlocked(await decisionFor(s, (await news(s)).id, 'stil@example.nl'), 'BASIS_NOT_PROVABLE', 'GDPR 7(1)');
      await assert.rejects(createCampaign(s.deps, { name: 'x', purposeId: 'tips', category: 'repermission', subject: 'x', body: 'x' }), (e: DomainError) => e.field === 'repermissionDeadline');
      const first = await ask(s);
      assertAllowed(await decisionFor(s, first.id, 'stil@example.nl'), 'REPERMISSION_ALLOWED', 'A6-1-a', 'GDPR 7(1)');
      await startCampaign(s.deps, first.id);
      assert.equal((await drainQueue(s.deps)).sent, 2);
      assertBlocked(await decisionFor(s, (await ask(s)).id, 'stil@example.nl'), 'REPERMISSION_ALREADY_SENT', 'EDPB 05/2020');

      const yes = await findContact(s.deps, 'ja@example.nl');
      s.clock.advance(3_600_000);
      await renewConsent(s.deps, { contactId: yes.id, purposeId: 'tips', campaignId: first.id, ip: null, userAgent: null });
      await assert.rejects(expireNonResponders(s.deps, first.id), (e: DomainError) => e.kind === 'conflict');
      s.clock.set(new Date('2027-01-02T00:00:00Z'));
      assertBlocked(await decisionFor(s, first.id, 'stil@example.nl'), 'REPERMISSION_DEADLINE_PASSED', 'GDPR 5(1)(e)');
      assert.deepEqual(await expireNonResponders(s.deps, first.id), { expired: 1, renewed: 1 });
      const later = await news(s);
      assertBlocked(await decisionFor(s, later.id, 'stil@example.nl'), 'CONSENT_EXPIRED', 'GDPR 5(1)(e)');
      assertAllowed(await decisionFor(s, later.id, yes.id), 'CONSENT_CONFIRMED', 'A6-1-a', 'GDPR 6(1)(a)');
    });

    run('F2: no basis at all → even a "please confirm" mail is blocked', async (s) => {
      await addContact(s.deps, { email: 'koud@example.nl', source: 'public_profile', kind: 'person' });
      await importMailchimp(s.deps, { files: { subscribed: mailchimpSubscribed([['kaal@example.nl', '', '']]) }, purposeId: 'tips' });
      const c = await ask(s);
      for (const who of ['koud@example.nl', 'kaal@example.nl']) assertBlocked(await decisionFor(s, c.id, who), 'REPERMISSION_NO_EARLIER_CONSENT', 'Tw 11.7(1)', { first: true });
      await startCampaign(s.deps, c.id);
      assert.equal((await drainQueue(s.deps)).sent, 0);
    });

    run('F3: a Mailchimp export → original opt-in times as evidence tagged with the source; unsubscribed/cleaned suppressed', async (s) => {
      await importMailchimp(s.deps, {
        files: { subscribed: `${FIXTURES}subscribed_members_export.csv`, unsubscribed: `${FIXTURES}unsubscribed_members_export.csv`, cleaned: `${FIXTURES}cleaned_members_export.csv` },
        purposeId: 'tips',
      });
      const lieke = await findContact(s.deps, 'lieke.dewit@example.com');
      const p = (await permissionFor(s.deps.db, lieke.id, 'tips'))!;
      assert.equal(p.given_at, '2023-02-19T16:59:28.000Z');
      assert.equal(p.source_kind, 'import');
      const c = await news(s);
      assertAllowed(await decisionFor(s, c.id, lieke.id), 'CONSENT_IMPORTED', 'A6-1-a', 'GDPR 7(1)');
      await assert.rejects(findContact(s.deps, 'kmeijer@example.org'), 'an unsubscribed address is kept only as a keyed hash');
      await addContact(s.deps, { email: 'kmeijer@example.org', source: 'api', kind: 'person' });
      assertBlocked(await decisionFor(s, c.id, 'kmeijer@example.org'), 'SUPPRESSED', 'GDPR 17(1)(b)', { first: true });
    });

    run('F4: leaving → all consent evidence exported in a portable format that imports again unchanged', async (s) => {
      await importMailchimp(s.deps, { files: { subscribed: mailchimpSubscribed([['weg@example.nl', '2022-05-01 09:00:00', '2022-05-01 09:10:00']]) }, purposeId: 'tips' });
      const lines: string[] = [];
      await exportEvidence(s.deps, (l) => lines.push(l));
      assert.ok(lines.length > 2);
      JSON.parse(lines[0]!);
      const other = await scene(await (DIALECTS[0]!.open)());
      try {
        const report = await importEvidence({ ...other.deps, secret: s.deps.secret }, tempFile('evidence.jsonl', lines.join('')));
        assert.ok(report.permissions >= 1);
        const moved = await findContact(other.deps, 'weg@example.nl');
        assert.equal((await permissionFor(other.deps.db, moved.id, 'tips'))!.given_at, '2022-05-01T09:00:00.000Z');
      } finally { await other.close(); }
    });
  });
}
