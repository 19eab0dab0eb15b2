import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCampaign, previewCampaign } from '../../src/services/campaigns/campaigns.js';
import { exportEvidence } from '../../src/services/lists/evidence-export.js';
import { importEvidence } from '../../src/services/lists/evidence-import.js';
import { DomainError } from '../../src/services/errors.js';
import { addContact, addPurchase, setDecisionSettings } from '../../src/services/consent/relationships.js';
import { RETENTION_SETTING, retentionRules } from '../../src/services/rights/retention.js';
import { verifyLedger } from '../../src/store/ledger.js';
import { getDecisionSettings, putSetting } from '../../src/store/settings.js';
import { world } from '../support/setup.js';
import { DIALECTS, type TestStore } from '../support/stores.js';
import { richState } from './rich-state.js';

type Deps = Parameters<typeof exportEvidence>[0];

async function exportTo(deps: Deps, file: string): Promise<string[]> {
  const lines: string[] = [];
  await exportEvidence(deps, (l) => lines.push(l));
  writeFileSync(file, lines.join(''));
  return lines.map((l) => l.trimEnd());
}

/** The lines without the export time and the signature over them (which covers that time). */
const withoutTime = (lines: string[]) => lines.slice(0, -1).map((l, i) => (i === 0 ? l.replace(/"exportedAt":"[^"]+"/, '') : l));
const count = async (s: TestStore, t: 'contacts' | 'consent_events' | 'permissions' | 'suppressions') =>
  Number((await s.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

for (const dialect of DIALECTS) {
  describe(`portable consent evidence (${dialect.name})`, () => {
    it('round trip into an empty database loses nothing: identical export, ledger verifies, same decisions', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-evidence-'));
      try {
        const { w } = await richState(a);
        await setDecisionSettings(w.deps, { customerExceptionMonths: 12 });
        await putSetting(a.db, RETENTION_SETTING, { withdrawn_after_days: 7 });
        const first = await exportTo(w.deps, join(dir, 'a.jsonl'));
        const header = JSON.parse(first[0]!);
        assert.deepEqual([header.format, header.formatVersion], ['consentry-evidence', 2]);
        const settings = {
          decisions: { customerExceptionMonths: 12 },
          retention: { unconfirmed_after_days: 30, withdrawn_after_days: 7, one_to_one_after_days: 90 },
        };
        assert.deepEqual(header.settings, settings);
        assert.deepEqual(header.counts, {
          // Chains without a contact: the erased person's and the import's own record.
          purposes: 1, notices: 1, imports: 1, subjects: 1165, contacts: 1163, erasedSubjects: 2,
          permissions: 1163, purchases: 1, events: header.counts.events, suppressions: 192,
        });
        assert.equal(first.length, 1 + 1 + 1 + 1 + 1165 + 192 + 1);
        assert.match(first[first.length - 1]!, /^\{"type":"signature","algorithm":"HMAC-SHA256","value":"[0-9a-f]{64}"\}$/);
        const erased = first.map((l) => JSON.parse(l)).find((l) => l.type === 'subject' && l.profile === null && !l.hasDataSubject.startsWith('import:'));
        assert.ok(erased.events.length > 0 && erased.events.every((e: { personal: unknown }) => e.personal === null));

        const w2 = await world(b); // a fresh server with the same secret (its setup is the same organisation)
        w2.clock.set(w.clock.now());
        const report = await importEvidence(w2.deps, join(dir, 'a.jsonl'));
        assert.deepEqual(
          [report.subjects, report.contacts, report.permissions, report.purchases, report.suppressions, report.events, report.purposesKept],
          [1165, 1163, 1163, 1, 192, header.counts.events, 1],
        );
        assert.ok(report.checkpoint);
        assert.deepEqual(report.settings, settings);
        assert.deepEqual({ decisions: await getDecisionSettings(b.db), retention: await retentionRules(w2.deps) }, settings);
        const ledger = await verifyLedger(b.db, b.dialect);
        assert.equal(ledger.ok, true, JSON.stringify(ledger.problems.slice(0, 3)));
        assert.equal(ledger.events, header.counts.events);

        w2.clock.advance(3_600_000);
        const second = await exportTo(w2.deps, join(dir, 'b.jsonl'));
        assert.notEqual(first[0], second[0]);
        assert.deepEqual(withoutTime(second), withoutTime(first));

        for (const [x, y] of [[w, a], [w2, b]] as const) {
          const c = await createCampaign(x.deps, { name: 'Dec', purposeId: 'tips', subject: 'x', body: 'x' });
          const p = await previewCampaign(x.deps, c.id);
          assert.deepEqual([p.allowedBy, p.blockedBy], [
            { CONSENT_IMPORTED: 1014, CONSENT_CONFIRMED: 1 },
            { BASIS_NOT_PROVABLE: 145, CONSENT_PENDING: 1, CONSENT_WITHDRAWN: 1, SUPPRESSED: 1 },
          ], y.dialect);
        }
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it('settings travel with the evidence: a customer campaign decides the same after the move; a version 1 file keeps the server\'s own; settings set otherwise refuse the file', async () => {
      const [a, b, c, d] = await Promise.all([dialect.open(), dialect.open(), dialect.open(), dialect.open()]);
      const dir = mkdtempSync(join(tmpdir(), 'consentry-evidence-'));
      try {
        const w = await world(a);
        for (const email of ['k1@example.nl', 'k2@example.nl', 'k3@example.nl']) {
          await addContact(w.deps, { email, source: 'customer_records', kind: 'person' });
          await addPurchase(w.deps, email, { productCategory: 'coffee', date: '2025-05-30', optOut: 'clear' }); // 18 months ago
        }
        await setDecisionSettings(w.deps, { customerExceptionMonths: 12 });
        const mailable = async (x: typeof w) => {
          const campaign = await createCampaign(x.deps, { name: 'Aanbod', purposeId: 'tips', category: 'customer_marketing', productCategory: 'coffee', subject: 'x', body: 'x' });
          return (await previewCampaign(x.deps, campaign.id)).allowedBy;
        };
        assert.deepEqual(await mailable(w), {});
        const lines = await exportTo(w.deps, join(dir, 'a.jsonl'));

        const w2 = await world(b);
        w2.clock.set(w.clock.now());
        await importEvidence(w2.deps, join(dir, 'a.jsonl'));
        assert.deepEqual(await mailable(w2), {}, 'the 12 months of the old server hold: nobody is mailable as a customer');

        // Version 1 files had no signature, so nothing showed an edit: they are refused, nothing stored.
        const v1 = JSON.parse(lines[0]!);
        v1.formatVersion = 1;
        delete v1.settings;
        writeFileSync(join(dir, 'v1.jsonl'), [JSON.stringify(v1), ...lines.slice(1, -1)].join('\n') + '\n');
        const w3 = await world(c);
        await assert.rejects(importEvidence(w3.deps, join(dir, 'v1.jsonl')), /line 1: format version 1 is not accepted/);
        assert.equal(Number((await c.db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0);

        // A server whose settings were set otherwise refuses the file rather than change its decisions silently.
        const w4 = await world(d);
        await setDecisionSettings(w4.deps, { customerExceptionMonths: 18 });
        await assert.rejects(importEvidence(w4.deps, join(dir, 'a.jsonl')), (e: DomainError) => {
          assert.equal(e.field, 'settings.decisions');
          assert.match(e.message, /^line 1: the file's decisions settings \{"customerExceptionMonths":12\} differ from the ones set on this server \{"customerExceptionMonths":18\}/);
          return true;
        });
        assert.equal(await count(d, 'contacts'), 0);
        assert.deepEqual(await getDecisionSettings(d.db), { customerExceptionMonths: 18 });
      } finally {
        await Promise.all([a, b, c, d].map((s) => s.dispose()));
      }
    });

    it('refuses a tampered file naming the line, a truncated file, another secret and an overlapping database; stores nothing', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-evidence-'));
      try {
        const { w } = await richState(a);
        const lines = await exportTo(w.deps, join(dir, 'a.jsonl'));
        const at = lines.findIndex((l) => l.includes('"type":"subject"') && l.includes('2024-03-08T22:15:44.000Z'));
        const tampered = [...lines];
        tampered[at] = tampered[at]!.replaceAll('2024-03-08T22:15:44.000Z', '2024-03-01T22:15:44.000Z');
        writeFileSync(join(dir, 't.jsonl'), tampered.join('\n') + '\n');
        const w2 = await world(b);
        const refused = (file: string, re: RegExp) =>
          assert.rejects(importEvidence(w2.deps, join(dir, file)), (e: DomainError) => {
            assert.match(e.message, re);
            return true;
          });
        await refused('t.jsonl', new RegExp(`^line ${at + 1}: the ledger chain of subject .* does not verify: event 1: hash does not match`));
        const named = [...lines];
        const profileAt = named.findIndex((l) => l.includes('"type":"subject"') && l.includes('"firstName":"'));
        named[profileAt] = named[profileAt]!.replace(/"firstName":"[^"]*"/, '"firstName":"\\u001b[31mX"');
        writeFileSync(join(dir, 'n.jsonl'), named.join('\n') + '\n');
        await refused('n.jsonl', new RegExp(`^line ${profileAt + 1}: profile firstName: the name contains a control character`));
        writeFileSync(join(dir, 'short.jsonl'), [...lines.slice(0, -4), lines.at(-1)].join('\n'));
        await refused('short.jsonl', /header announces 192 suppression line\(s\) but the file holds 189/);
        // A suppression dropped with the header's count made to match: every check passes but the signature.
        const header = JSON.parse(lines[0]!);
        header.counts.suppressions -= 1;
        writeFileSync(join(dir, 'unsuppressed.jsonl'), [JSON.stringify(header), ...lines.slice(1, -2), lines.at(-1)].join('\n'));
        await refused('unsuppressed.jsonl', new RegExp(`^line ${lines.length - 1}: the signature does not match the lines before it`));
        writeFileSync(join(dir, 'unsigned.jsonl'), lines.slice(0, -1).join('\n'));
        await refused('unsigned.jsonl', /^line 1: the file has no signature line at its end/);
        await assert.rejects(importEvidence({ ...w2.deps, secret: 'another-secret' }, join(dir, 'a.jsonl')), /another secret/);
        assert.deepEqual([await count(b, 'contacts'), await count(b, 'consent_events'), await count(b, 'suppressions')], [0, 0, 0]);

        // Overlap: the source database itself holds every subject.
        await assert.rejects(importEvidence(w.deps, join(dir, 'a.jsonl')), /line 5: subject .* is already in this database/);
        assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8').split('\n').length, lines.length + 1);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });
  });
}
