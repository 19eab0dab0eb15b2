// SCENARIOS B: where the address came from. Set up through use cases, the importers and the API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { DomainError } from '../../src/services/errors.js';
import { grantPermission } from '../../src/services/consent/grant.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { sendPersonalMessage } from '../../src/services/campaigns/personal.js';
import { addContact, findContact } from '../../src/services/consent/relationships.js';
import { permissionsOf } from '../../src/store/permissions.js';
import { assertAllowed, assertBlocked, decisionFor, mailchimpSubscribed, scene, tempFile, type Scene } from './support.js';

const newsletter = (s: Scene) => createCampaign(s.deps, { name: 'Nieuws', purposeId: 'tips', subject: 'Nieuws', body: 'Hallo' });
const PROOF = { kind: 'third_party', party: 'Beurs BV', ref: 'https://beurs.example/inschrijving#deboon', namesOrganisation: true, namesPurpose: true, collectedAt: '2026-06-01T10:00:00Z' };

for (const dialect of DIALECTS) {
  describe(`scenarios B: where the address came from (${dialect.name})`, () => {
    it('B1: addresses from a third party without proof → no provable basis', async () => {
      const s = await scene(await dialect.open());
      try {
        const res = await s.api('POST', '/contacts', { email: 'gekocht@example.nl', source: 'third_party', sourceRef: 'Lijstenboer BV' });
        assert.equal(res.statusCode, 201);
        assertBlocked(await decisionFor(s, (await newsletter(s)).id, 'gekocht@example.nl'), 'THIRD_PARTY_NO_EVIDENCE', 'ACM', { first: true });
        const bad = await s.api('POST', '/purposes/tips/grants', { contacts: ['gekocht@example.nl'], evidence: { ...PROOF, namesOrganisation: false } });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().error.field, 'evidence.namesOrganisation');
        assert.deepEqual(await permissionsOf(s.deps.db, res.json().id), []);
      } finally { await s.close(); }
    });

    it('B2: third-party proof naming this organisation and purpose → allowed, source kept for art. 14', async () => {
      const s = await scene(await dialect.open());
      try {
        await s.api('POST', '/contacts', { email: 'via@example.nl', source: 'third_party', sourceRef: 'Beurs BV' });
        const res = await s.api('POST', '/purposes/tips/grants', { contacts: ['via@example.nl'], evidence: PROOF });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().granted, 1);
        const d = await decisionFor(s, (await newsletter(s)).id, 'via@example.nl');
        assertAllowed(d, 'CONSENT_THIRD_PARTY_DOCUMENTED', 'A6-1-a', 'GDPR 14');
        const c = await findContact(s.deps, 'via@example.nl');
        assert.equal(c.source_kind, 'third_party');
        assert.equal(c.source_ref, 'Beurs BV');
        const [p] = await permissionsOf(s.deps.db, c.id);
        assert.equal(p!.source_kind, 'third_party');
      } finally { await s.close(); }
    });

    it('B3: addresses copied from LinkedIn or a website → never eligible for newsletters', async () => {
      const s = await scene(await dialect.open());
      try {
        await addContact(s.deps, { email: 'profiel@example.nl', source: 'public_profile', sourceRef: 'https://linkedin.example/in/profiel', kind: 'person' });
        assertBlocked(await decisionFor(s, (await newsletter(s)).id, 'profiel@example.nl'), 'PUBLIC_PROFILE_SOURCE', 'Tw 11.7(1)', { first: true });
        await assert.rejects(grantPermission(s.deps, { purposeId: 'tips', via: 'bulk_action', contacts: ['profiel@example.nl'] }), (e: DomainError) => e.code === 'GRANT_NO_CONSENT_EVENT');
      } finally { await s.close(); }
    });

    it('B4: trade-fair cards → where/when recorded; personal follow-up allowed (6(1)(f)) with notice; bulk blocked', async () => {
      const s = await scene(await dialect.open());
      try {
        const csv = tempFile('beurs.csv', 'Naam,Bedrijf,Functie,E-mail,Beurs,Datum,Verzameld door,Rechtsvorm\nStijn El Amrani,Adviesbureau Amrani,Eigenaar,stijn@adviesbureauamrani.example,Vakbeurs Ondernemen 2026,12-03-2026,Tom,bv\n');
        await importCsv(s.deps, { path: csv, preset: 'beurs-visitekaartjes', purposeId: 'tips' });
        const c = await findContact(s.deps, 'stijn@adviesbureauamrani.example');
        assert.equal(c.source_kind, 'trade_fair');
        assert.match(c.source_ref!, /Vakbeurs Ondernemen 2026, 12-03-2026/);
        assertBlocked(await decisionFor(s, (await newsletter(s)).id, c.id), 'TRADE_FAIR_NO_CONSENT', 'Tw 11.7(1)', { first: true });
        const r = await sendPersonalMessage(s.deps, { to: c.id, purposeId: 'tips', author: 'Tom', subject: 'Leuk u te spreken', body: 'Beste Stijn,\n\nZoals besproken op de beurs…' });
        assert.equal(r.sent, true);
        assertAllowed(r.decision, 'ONE_TO_ONE_PERSONAL', 'A6-1-f', 'GDPR 14(3)(b)');
        const mail = (await s.mails()).at(-1)!;
        assert.match(mail.text!, /http:\/\/localhost:3000\/privacy/);
      } finally { await s.close(); }
    });

    it('B5: leads who never opted in → newsletters and other bulk mail blocked', async () => {
      const s = await scene(await dialect.open());
      try {
        await s.api('POST', '/contacts', { email: 'prospect@bedrijf.example', source: 'personal_contact', kind: 'person', lead: true });
        assertBlocked(await decisionFor(s, (await newsletter(s)).id, 'prospect@bedrijf.example'), 'LEAD_NO_CONSENT', 'Tw 11.7(1)');
      } finally { await s.close(); }
    });

    it('B6: a list without consent times or source → "basis not provable", campaigns blocked, re-permission only with documentation', async () => {
      const s = await scene(await dialect.open());
      try {
        const path = mailchimpSubscribed([['oud@example.nl', '', ''], ['ouder@example.nl', '', '']]);
        const report = await importMailchimp(s.deps, { files: { subscribed: path }, purposeId: 'tips' });
        assert.equal(report.notProvable.count, 2);
        assertBlocked(await decisionFor(s, (await newsletter(s)).id, 'oud@example.nl'), 'BASIS_NOT_PROVABLE', 'GDPR 7(1)');
        const ask = await createCampaign(s.deps, { name: 'Bevestig', purposeId: 'tips', category: 'repermission', repermissionDeadline: '2026-12-31T00:00:00Z', subject: 'Wilt u blijven?', body: 'Bevestig' });
        assertBlocked(await decisionFor(s, ask.id, 'oud@example.nl'), 'REPERMISSION_NO_EARLIER_CONSENT', 'Tw 11.7(1)');
      } finally { await s.close(); }
    });
  });
}
