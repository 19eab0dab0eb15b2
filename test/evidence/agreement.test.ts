/**
 * `import evidence` trusts the ledger, not the permission rows (GDPR 7(1), 5(2)): each permission must agree with
 * the ledger event it names as its evidence — purpose, basis, method, status, the times the event records — and
 * that event must be the purpose's last change. An edited permission refuses the whole file, naming the line and
 * the field; a file written by the product's own use cases always agrees.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportEvidence } from '../../src/services/lists/evidence-export.js';
import { importEvidence } from '../../src/services/lists/evidence-import.js';
import { DomainError } from '../../src/services/errors.js';
import { grantPermission } from '../../src/services/consent/grant.js';
import { importCsv } from '../../src/services/lists/import/csv-import.js';
import { endPermission } from '../../src/services/consent/permission-change.js';
import { addContact } from '../../src/services/consent/relationships.js';
import { renewConsent } from '../../src/services/campaigns/repermission.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { permissionFor } from '../../src/store/permissions.js';
import { linkIn, world, type TestWorld } from '../support/setup.js';
import { DIALECTS } from '../support/stores.js';
import { richState } from './rich-state.js';

type Json = Record<string, any>;

async function exportLines(deps: TestWorld['deps']): Promise<string[]> {
  const lines: string[] = [];
  await exportEvidence(deps, (l) => lines.push(l.trimEnd()));
  return lines;
}

/** The file with the subject line at `at` changed by `edit` (on its parsed JSON). */
function edited(dir: string, name: string, lines: string[], at: number, edit: (subject: Json) => void): string {
  const subject = JSON.parse(lines[at]!) as Json;
  edit(subject);
  const copy = [...lines];
  copy[at] = JSON.stringify(subject);
  writeFileSync(join(dir, name), copy.join('\n') + '\n');
  return join(dir, name);
}

const subjectAt = (lines: string[], test: (s: Json) => boolean) => lines.findIndex((l) => l.includes('"type":"subject"') && test(JSON.parse(l)));
const tips = (s: Json) => s.permissions.find((p: Json) => p.hasPurpose === 'tips');
const emailIs = (email: string) => (s: Json) => s.profile?.email === email;

/** Signs up on the tips form and confirms (double opt-in). */
async function signUp(w: TestWorld, email: string): Promise<string> {
  const before = (await w.mails()).length;
  const sub = await subscribe(w.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: '192.0.2.7', userAgent: 'test' });
  const mail = (await w.mails())[before]!;
  await confirm(w.deps, { token: linkIn(mail.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  return sub.contactId;
}

for (const dialect of DIALECTS) {
  describe(`evidence import checks permissions against their ledger events (${dialect.name})`, () => {
    it('an edited permission (not_provable made "import" with a 2020 time, a rolled-back withdrawal, edited times) refuses the file, naming line and field', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-agreement-'));
      try {
        const { w } = await richState(a);
        const lines = await exportLines(w.deps);
        const w2 = await world(b);
        const refused = async (file: string, at: number, re: RegExp) =>
          assert.rejects(importEvidence(w2.deps, file), (e: DomainError) => {
            assert.equal(e.kind, 'invalid');
            assert.match(e.message, new RegExp(`^line ${at + 1}: permission for "tips": ${re.source}`));
            return true;
          });

        // The user's report: the only event still says not_provable, the permission now claims a provable import.
        const unproven = subjectAt(lines, (s) => tips(s)?.hasProvisionMethod === 'not_provable' && s.events.length === 1);
        await refused(edited(dir, 'method.jsonl', lines, unproven, (s) => Object.assign(tips(s), { hasProvisionMethod: 'import', hasProvisionTime: '2020-01-01T00:00:00.000Z' })),
          unproven, /hasProvisionMethod "import" disagrees with its evidence, ledger event 1 \(imported\), which records "not_provable"$/);

        // Bob unsubscribed from tips: pointing back at his confirmation would make him mailable again.
        const bob = subjectAt(lines, emailIs('bob@example.nl'));
        await refused(edited(dir, 'rollback.jsonl', lines, bob, (s) => {
          const confirmed = s.events.find((e: Json) => e.type === 'confirmed');
          Object.assign(tips(s), { evidenceEventId: confirmed.id, hasConsentStatus: 'given', hasWithdrawalTime: null });
        }), bob, /evidenceEventId ".*" disagrees with its evidence, ledger event 2 \(confirmed\), which records no later change, but event 3 \(withdrawn\) is one$/);

        const carol = subjectAt(lines, emailIs('carol@example.nl'));
        await refused(edited(dir, 'pending.jsonl', lines, carol, (s) => Object.assign(tips(s), { hasConsentStatus: 'given', confirmationTime: '2026-11-30T10:00:00.000Z' })),
          carol, /hasConsentStatus "given" disagrees with its evidence, ledger event 1 \(requested\), which records "requested"$/);

        const anna = subjectAt(lines, emailIs('anna@example.nl'));
        await refused(edited(dir, 'confirmed.jsonl', lines, anna, (s) => Object.assign(tips(s), { confirmationTime: '2020-01-01T00:00:00.000Z' })),
          anna, /confirmationTime "2020-01-01T00:00:00.000Z" disagrees with its evidence, ledger event 2 \(confirmed\), which records "2026-11-30T10:00:00.000Z"$/);

        const imported = subjectAt(lines, (s) => tips(s)?.hasProvisionMethod === 'import' && tips(s)?.hasConsentStatus === 'given');
        // The proving event is not always the subject's first (the order of subjects, and so which one is found, varies).
        const importedSubject = JSON.parse(lines[imported]!) as Json;
        const proving = (importedSubject.events as Json[]).findIndex((e) => e.id === tips(importedSubject).evidenceEventId);
        const at = importedSubject.events[proving].occurredAt as string;
        await refused(edited(dir, 'time.jsonl', lines, imported, (s) => Object.assign(tips(s), { hasProvisionTime: '2020-01-01T00:00:00.000Z' })),
          imported, new RegExp(`hasProvisionTime "2020-01-01T00:00:00.000Z" disagrees with its evidence, ledger event ${proving + 1} \\(imported\\), which records "${at}"$`));

        // An imported double opt-in's confirmation time is fixed by its import event too.
        const confirmedImport = subjectAt(lines, (s) => tips(s)?.hasProvisionMethod === 'import' && tips(s)?.confirmationTime !== null && s.events.length === 1);
        const confirmedAt = JSON.parse(lines[confirmedImport]!).events[0].details.confirmedAt as string;
        await refused(edited(dir, 'import-confirmed.jsonl', lines, confirmedImport, (s) => Object.assign(tips(s), { confirmationTime: '2020-01-01T00:00:00.000Z' })),
          confirmedImport, new RegExp(`confirmationTime "2020-01-01T00:00:00.000Z" disagrees with its evidence, ledger event 1 \\(imported\\), which records "${confirmedAt}"$`));

        for (const t of ['contacts', 'consent_events', 'permissions', 'suppressions'] as const) {
          assert.equal(Number((await b.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0, t);
        }
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it('a file of every kind of change the product makes imports: third-party grant and CSV list, refresh, re-subscription after a withdrawal, expiry, objection; undocumented third-party evidence is refused', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-agreement-'));
      try {
        const { w, bob } = await richState(a);
        await createPurpose(w.deps, { id: 'partners', name_nl: 'Partners', name_en: 'Partners', description_nl: 'Aanbod van partners.', description_en: 'Partner offers.' });
        const { contact } = await addContact(w.deps, { email: 'tp@example.nl', source: 'third_party', kind: 'person' });
        await grantPermission(w.deps, {
          purposeId: 'partners', via: 'api', contacts: [contact.id],
          evidence: { kind: 'third_party', party: 'Beurs BV', ref: 'contract-7', namesOrganisation: true, namesPurpose: true, collectedAt: '2026-01-05T09:00:00Z' },
        });
        const lines0 = await exportLines(w.deps);
        const unproven = JSON.parse(lines0[subjectAt(lines0, (s) => tips(s)?.hasProvisionMethod === 'not_provable' && s.events.length === 1)]!).hasDataSubject as string;
        w.clock.advance(60_000);
        await renewConsent(w.deps, { contactId: unproven, purposeId: 'tips', campaignId: null, ip: null, userAgent: null });
        await signUp(w, 'bob@example.nl'); // re-subscribes after his withdrawal: request recorded, then confirmed
        assert.equal((await permissionFor(a.db, bob, 'tips'))!.status, 'active');
        const ends = await exportLines(w.deps);
        const [one, two] = ends.map((l) => JSON.parse(l)).filter((s) => s.type === 'subject' && tips(s)?.hasProvisionMethod === 'import' && tips(s).hasConsentStatus === 'given');
        await a.db.transaction().execute(async (trx) => {
          await endPermission(trx, (await permissionFor(trx, one.hasDataSubject, 'tips'))!, { event: 'expired', occurredAt: w.clock.now(), details: { reason: 'test' } }, w.clock.now());
          await endPermission(trx, (await permissionFor(trx, two.hasDataSubject, 'tips'))!, { event: 'objected', occurredAt: w.clock.now(), details: { channel: 'test' } }, w.clock.now());
        });

        const lines = await exportLines(w.deps);
        writeFileSync(join(dir, 'all.jsonl'), lines.join('\n') + '\n');
        const w2 = await world(b);
        w2.clock.set(w.clock.now());
        const report = await importEvidence(w2.deps, join(dir, 'all.jsonl'));
        assert.equal(report.permissions, JSON.parse(lines[0]!).counts.permissions);
        assert.equal((await verifyLedger(b.db, b.dialect)).ok, true);
        const tp = JSON.parse(lines[subjectAt(lines, emailIs('tp@example.nl'))]!);
        assert.deepEqual([tp.permissions[0].hasProvisionMethod, tp.permissions[0].thirdPartyEvidence], ['third_party', true]);

        // A third party's list imported without evidence (blocked: THIRD_PARTY_NO_EVIDENCE) may not claim it afterwards.
        const a3 = await dialect.open();
        try {
          const w3 = await world(a3);
          writeFileSync(join(dir, 'tp.csv'), 'Email,Name\nlijst@example.nl,L\n');
          await importCsv(w3.deps, { path: join(dir, 'tp.csv'), source: 'third_party', date: '2024-01-01', purposeId: 'tips' });
          writeFileSync(join(dir, 'tp-doc.csv'), 'Email,Name\ndoc@example.nl,D\n');
          await importCsv(w3.deps, { path: join(dir, 'tp-doc.csv'), source: 'third_party', date: '2024-01-01', purposeId: 'tips', evidenceRef: 'contract-8', evidenceNames: { organisation: true, purpose: true } });
          const tpLines = await exportLines(w3.deps);
          const at = subjectAt(tpLines, emailIs('lijst@example.nl'));
          assert.deepEqual([tips(JSON.parse(tpLines[at]!)).hasProvisionMethod, tips(JSON.parse(tpLines[at]!)).thirdPartyEvidence], ['third_party', false]);
          await assert.rejects(importEvidence({ ...w2.deps, secret: w3.deps.secret }, edited(dir, 'tp.jsonl', tpLines, at, (s) => { tips(s).thirdPartyEvidence = true; })),
            new RegExp(`line ${at + 1}: permission for "tips": thirdPartyEvidence true disagrees with its evidence, ledger event 1 \\(imported\\), which records no third-party evidence`));
          const documented = tips(JSON.parse(tpLines[subjectAt(tpLines, emailIs('doc@example.nl'))]!));
          assert.deepEqual([documented.hasProvisionMethod, documented.thirdPartyEvidence], ['third_party', true]);
          writeFileSync(join(dir, 'tp-ok.jsonl'), tpLines.join('\n') + '\n');
          assert.equal((await importEvidence({ ...w2.deps, secret: w3.deps.secret }, join(dir, 'tp-ok.jsonl'))).permissions, 2);
        } finally {
          await a3.dispose();
        }
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });
  });
}
