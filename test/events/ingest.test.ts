import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { ingestMailReport } from '../../src/services/events/mail-reports.js';
import { listUnreadableReports } from '../../src/store/delivery-events.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { eraseContact } from '../../src/services/rights/erase.js';
import { confirmed, memoryLog, sendCampaign, suppressions } from './support.js';
import { report, verpOf } from './reports.js';

for (const dialect of DIALECTS) {
  describe(`mail reports read and recorded (${dialect.name})`, () => {
    it('records each form on its delivery; refuses what names another address, unknown deliveries, encoded parts and huge messages', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const people = ['jan@example.nl', 'kees@example.nl', 'piet@example.nl', 'auto@example.nl', 'anders@example.nl'];
        for (const p of people) await confirmed(w, p);
        const sent = await sendCampaign(w);
        const of = (email: string) => ({ verp: verpOf(sent.get(email)!.id), messageId: sent.get(email)!.message_id, rcpt: email });
        const log = memoryLog();
        const ingest = (raw: Buffer) => ingestMailReport(w.deps, log, { raw, route: 'imap' });

        const hard = await ingest(report('postfix-5.1.1.eml', of('jan@example.nl')));
        assert.deepEqual(hard, { result: 'recorded', deliveryId: sent.get('jan@example.nl')!.id, kind: 'hard_bounce', suppressed: 'hard_bounce' });
        assert.equal((await ingest(report('postfix-5.1.1.eml', of('jan@example.nl')))).result, 'duplicate');
        const ev = await contactEvidence(w.deps, 'jan@example.nl');
        assert.equal(ev.deliveryEvents[0]!.occurred_at, '2026-11-30T09:04:57.000Z', 'the DSN\'s Arrival-Date');
        assert.equal(ev.deliveryEvents[0]!.source, 'dsn');

        assert.deepEqual(await ingest(report('arf-abuse.eml', of('kees@example.nl'))), { result: 'recorded', deliveryId: sent.get('kees@example.nl')!.id, kind: 'complaint', suppressed: 'complaint' });
        assert.deepEqual(await ingest(report('autoreply-afwezig.eml', of('auto@example.nl'))), { result: 'ignored', reason: 'auto_reply' });
        assert.deepEqual(await ingest(report('dsn-delayed.eml', of('auto@example.nl'))), { result: 'ignored', reason: 'delayed' });

        // Piet's VERP address, but the report says another address failed: kept for review, nobody suppressed.
        assert.deepEqual(await ingest(report('dsn-other-recipient.eml', { ...of('piet@example.nl'), other: 'anders@example.nl' })), { result: 'review', reason: 'recipient_mismatch' });
        assert.deepEqual(await ingest(report('dsn-base64-status.eml', of('piet@example.nl'))), { result: 'review', reason: 'encoded_report_part' });
        // Piet's VERP address with Anders's Message-ID: the two do not agree.
        assert.deepEqual(await ingest(report('postfix-5.1.1.eml', { ...of('piet@example.nl'), messageId: sent.get('anders@example.nl')!.message_id })), { result: 'review', reason: 'ambiguous_match' });
        const unknown = await ingest(report('postfix-5.1.1.eml', { verp: verpOf('99999999-9999-4999-8999-999999999999'), messageId: 'nobody@deboon.example', rcpt: 'piet@example.nl' }));
        assert.deepEqual(unknown, { result: 'dropped', reason: 'unknown_delivery' });
        const huge = Buffer.concat([report('postfix-5.1.1.eml', of('piet@example.nl')), Buffer.alloc(20 * 1024 * 1024, 'a')]);
        assert.deepEqual(await ingest(huge), { result: 'review', reason: 'too_large' });

        assert.deepEqual(await suppressions(w), {
          'anders@example.nl': null, 'auto@example.nl': null, 'jan@example.nl': 'hard_bounce', 'kees@example.nl': 'complaint', 'piet@example.nl': null,
        });
        const kept = await listUnreadableReports(store.db);
        assert.deepEqual(kept.map((r) => r.reason).sort(), ['ambiguous_match', 'encoded_report_part', 'recipient_mismatch', 'too_large']);
        assert.ok(kept.every((r) => r.raw.length <= 256 * 1024));
        assert.ok(log.lines.some((l) => l.level === 'warn' && l.fields.reason === 'unknown_delivery'));
        assert.ok(log.lines.every((l) => !JSON.stringify(l).includes('@example.nl')), 'log lines carry no address');
        // Erasing a person removes the reports kept for review that quote their address.
        await eraseContact(w.deps, (await contactEvidence(w.deps, 'anders@example.nl')).contact.id, 'request:art17');
        assert.deepEqual((await listUnreadableReports(store.db)).map((r) => r.reason).sort(), ['ambiguous_match', 'encoded_report_part', 'too_large']);
      } finally {
        await store.dispose();
      }
    });

    it('DSNs with 4.2.2 (mailbox full) suppress at the soft-bounce limit; 5.7.1 policy DSNs never', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        for (const p of ['vol@example.nl', 'relay@example.nl']) await confirmed(w, p);
        const log = memoryLog();
        const results: string[] = [];
        for (let i = 0; i < 3; i++) {
          const sent = await sendCampaign(w, `c${i}`);
          const of = (email: string) => ({ verp: verpOf(sent.get(email)!.id), messageId: sent.get(email)!.message_id, rcpt: email });
          const r = await ingestMailReport(w.deps, log, { raw: report('dsn-4.2.2-mailbox-full.eml', of('vol@example.nl')), route: 'smtp' });
          results.push(r.result === 'recorded' ? `${r.kind}:${r.suppressed}` : r.result);
          await ingestMailReport(w.deps, log, { raw: report('dsn-5.7.1-policy.eml', of('relay@example.nl')), route: 'smtp' });
          w.clock.advance(24 * 3600 * 1000);
        }
        assert.deepEqual(results, ['soft_bounce:null', 'soft_bounce:null', 'soft_bounce:soft_bounce_limit']);
        assert.deepEqual(await suppressions(w), { 'relay@example.nl': null, 'vol@example.nl': 'soft_bounce_limit' });
      } finally {
        await store.dispose();
      }
    });
  });
}
