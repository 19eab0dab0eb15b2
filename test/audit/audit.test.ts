import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditList } from '../../src/services/lists/audit.js';
import { FixedClock } from '../../src/services/deps.js';
import { DomainError } from '../../src/services/errors.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { auditHtml, auditText } from '../../src/web/views/audit.view.js';
import { MAILCHIMP, richState } from '../evidence/rich-state.js';
import { setUp } from '../import/helpers.js';
import { DIALECTS } from '../support/stores.js';

// From the fixture (checked independently of the importer): 1159 distinct subscribed addresses that are not
// also unsubscribed or cleaned; 1014 with an OPTIN_TIME, of which 240 lack CONFIRM_TIME, 304 lack OPTIN_IP and
// 475 lack either; 145 without OPTIN_TIME. 150 unsubscribed + 40 cleaned hashes.
const MAILABLE = { count: 1014, byReason: { CONSENT_IMPORTED: 1014 }, byBasis: { 'A6-1-a': 1014 } };
const WEAK = { count: 475, byGap: { no_confirmation_time: 240, no_optin_ip: 304 } };
const SUPPRESSION_LIST = { total: 190, byReason: { imported_cleaned: 40, imported_unsubscribed: 150 } };
const clock = new FixedClock(new Date('2026-03-02T10:00:00Z'));

for (const dialect of DIALECTS) {
  describe(`list audit (${dialect.name})`, () => {
    it('states the Mailchimp list exactly; with an evidence reference the 145 without opt-in time may get one re-permission request', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        await importMailchimp(deps, { files: MAILCHIMP, purposeId: 'tips', evidenceRef: 'MC-AUDIENCE-1' });
        const r = await auditList({ ...deps, clock }, { pageSize: 100 });
        assert.equal(r.contacts, 1159);
        const [tips] = r.purposes;
        assert.equal(tips!.contacts, 1159);
        assert.deepEqual(tips!.mailable, MAILABLE);
        assert.deepEqual(tips!.needsRepermission, { count: 620, blockedDocumented: { count: 145, byReason: { BASIS_NOT_PROVABLE: 145 } }, weakProof: WEAK });
        assert.deepEqual(tips!.noProvableBasis, { count: 0, byReason: {} });
        assert.deepEqual([tips!.optedOut.count, tips!.pending.count, tips!.noPermission], [0, 0, 0]);
        assert.deepEqual(r.suppressionList, SUPPRESSION_LIST);
        assert.deepEqual(r.retention, { rules: { unconfirmed_after_days: 30, withdrawn_after_days: 0, one_to_one_after_days: 90 }, examined: 1159, keep: 1159, erase: 0, byRule: {} });
        // Finding 2: the unindented rows are disjoint and add up; weak proof is shown as a part of "May be mailed".
        const text = auditText(r);
        assert.match(text, /May be mailed\s+1014 .*\n\s+of whom on weak proof: ask again\s+475 .*\n\s+Blocked, one re-permission request allowed\s+145 /);
        assert.match(text, /Ask again \(re-permission campaign\)\s+620 /);
        assert.doesNotMatch(text, /^\s+Needs re-permission\s+\d/m);
        assert.match(auditHtml(r), /<th>Total \(unindented rows; each contact in one\)<\/th><th class="n">1159<\/th>/);
        await assert.rejects(auditList({ ...deps, clock }, { purposeId: 'nope' }), (e: DomainError) => e.kind === 'not_found');
      } finally {
        await store.dispose();
      }
    });

    it('without an evidence reference the 145 have no provable basis (B6)', async () => {
      const store = await dialect.open();
      try {
        const deps = await setUp(store);
        await importMailchimp(deps, { files: MAILCHIMP, purposeId: 'tips' });
        const [tips] = (await auditList({ ...deps, clock }, { purposeId: 'tips' })).purposes;
        assert.deepEqual(tips!.noProvableBasis, { count: 145, byReason: { BASIS_NOT_PROVABLE: 145 } });
        assert.equal(tips!.needsRepermission.blockedDocumented.count, 0);
        assert.equal(tips!.needsRepermission.count, 475);
      } finally {
        await store.dispose();
      }
    });

    it('counts form sign-ups, opt-outs and what retention would erase; renders text and safe HTML', async () => {
      const store = await dialect.open();
      try {
        const { w } = await richState(store);
        const r = await auditList(w.deps);
        const [tips] = r.purposes;
        assert.equal(r.contacts, 1159 + 4); // anna, carol, bob, dave; erin was erased
        assert.deepEqual(tips!.mailable, { count: 1015, byReason: { CONSENT_IMPORTED: 1014, CONSENT_CONFIRMED: 1 }, byBasis: { 'A6-1-a': 1015 } });
        assert.deepEqual(tips!.optedOut, { count: 2, byReason: { CONSENT_WITHDRAWN: 1, SUPPRESSED: 1 } });
        assert.deepEqual(tips!.pending, { count: 1, byReason: { CONSENT_PENDING: 1 } });
        assert.equal(tips!.needsRepermission.count, 620);
        assert.deepEqual(r.suppressionList.byReason, { ...SUPPRESSION_LIST.byReason, erased: 1, unsubscribed: 1 });
        // bob (withdrawn) and dave (withdrawn everything) go at once; carol's sign-up is 0 days old; anna is a customer.
        assert.deepEqual({ erase: r.retention.erase, byRule: r.retention.byRule, keep: r.retention.keep }, { erase: 2, byRule: { withdrawn_after_days: 2 }, keep: 1161 });

        const text = auditText(r);
        assert.match(text, /May be mailed\s+1015\s+CONSENT_CONFIRMED 1, CONSENT_IMPORTED 1014, basis A6-1-a 1015/);
        assert.match(text, /2 would be erased — withdrawn_after_days 2/);
        const page = auditHtml({ ...r, organisation: '<script>alert(1)</script>' });
        assert.match(page, /^<!doctype html>/);
        assert.doesNotMatch(page, /<script>/);
        assert.doesNotMatch(page, /<link|src=/);
        assert.match(page, /&lt;script&gt;/);
        assert.match(page, /<td class="n">1015<\/td>/);
        assert.deepEqual(r.unfinishedImports, []);
        assert.doesNotMatch(text, /Unfinished imports/);

        // An interrupted import (its row without finished_at) is named, so nobody mistakes half a list for all of it.
        await store.db.insertInto('imports').values({
          id: 'imp-cut', format: 'csv', source_kind: 'form', purpose_id: 'tips', basis: 'A6-1-a', evidence_ref: null,
          input_digest: 'x', started_at: '2026-11-30T09:00:00.000Z', finished_at: null, counts: '{}',
        }).execute();
        const cut = await auditList(w.deps);
        assert.deepEqual(cut.unfinishedImports, [{ id: 'imp-cut', format: 'csv', purposeId: 'tips', startedAt: '2026-11-30T09:00:00.000Z' }]);
        assert.match(auditText(cut), /Unfinished imports .*\n  csv import imp-cut for purpose "tips", started 2026-11-30T09:00:00.000Z/);
        assert.match(auditHtml(cut), /<h2>Unfinished imports<\/h2>[\s\S]*<li>csv import imp-cut for purpose tips, started 2026-11-30T09:00:00.000Z<\/li>/);
      } finally {
        await store.dispose();
      }
    });
  });
}
