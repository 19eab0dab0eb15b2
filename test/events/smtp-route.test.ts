import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { AddressObject, ParsedMail } from 'mailparser';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { startInbound } from '../../src/inbound.js';
import { NO_INBOUND } from '../../src/config-inbound.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { confirmed, memoryLog, sendCampaign, suppressions } from './support.js';
import { report, verpOf } from './reports.js';

/** The Return-Path header's address of a parsed message. */
const returnPath = (m: ParsedMail) => (m.headers.get('return-path') as AddressObject | undefined)?.value[0]?.address;

describe('the SMTP receiver for the bounce domain, over real SMTP', () => {
  it('takes a DSN for a VERP address of a delivery that exists and records it; refuses other recipients, oversized mail and floods', async () => {
    const store = await sqliteStore();
    const log = memoryLog();
    const w = await world(store);
    const inbound = await startInbound(w.deps, { ...NO_INBOUND, smtp: { host: '127.0.0.1', port: 0, domain: 'deboon.example', maxBytes: 2 * 1024 * 1024, perMinute: 5 } }, log);
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.smtpPort!, secure: false, ignoreTLS: true });
    const send = (to: string, raw: Buffer | string) => smtp.sendMail({ envelope: { from: '', to }, raw });
    try {
      for (const p of ['jan@example.nl', 'piet@example.nl']) await confirmed(w, p);
      const sent = await sendCampaign(w);
      const jan = sent.get('jan@example.nl')!;
      const verp = verpOf(jan.id);

      const ok = await send(verp, report('postfix-5.1.1.eml', { verp, messageId: jan.message_id, rcpt: 'jan@example.nl' }));
      assert.match(ok.response, /^250/);
      assert.deepEqual(await suppressions(w), { 'jan@example.nl': 'hard_bounce', 'piet@example.nl': null });
      const ev = await contactEvidence(w.deps, 'jan@example.nl');
      assert.deepEqual(ev.deliveryEvents.map((e) => [e.kind, e.status, e.source, e.occurred_at]), [['hard_bounce', '5.1.1', 'dsn', '2026-11-30T09:04:57.000Z']]);

      // Not a delivery that exists, another domain, another local part: refused at RCPT.
      for (const to of [verpOf('99999999-9999-4999-8999-999999999999'), verpOf(jan.id, 'elders.example'), 'info@deboon.example']) {
        await assert.rejects(send(to, 'Subject: x\r\n\r\nx\r\n'), (e: { responseCode?: number }) => e.responseCode === 550);
      }
      // 20 MB is over the limit: refused with 552 and not stored.
      const piet = sent.get('piet@example.nl')!;
      const big = Buffer.concat([report('postfix-5.1.1.eml', { verp: verpOf(piet.id), messageId: piet.message_id, rcpt: 'piet@example.nl' }), Buffer.alloc(20 * 1024 * 1024, 'a')]);
      await assert.rejects(send(verpOf(piet.id), big), (e: { responseCode?: number }) => e.responseCode === 552);
      assert.deepEqual(await suppressions(w), { 'jan@example.nl': 'hard_bounce', 'piet@example.nl': null });
      // The sixth message within a minute from one address waits.
      await assert.rejects(send(verp, 'Subject: x\r\n\r\nx\r\n'), (e: { responseCode?: number }) => e.responseCode === 451);
      assert.deepEqual([...new Set(log.lines.filter((l) => l.msg === 'bounce receiver refused').map((l) => l.fields.reason))].sort(), ['rate_limit', 'too_large', 'unknown_recipient']);
    } finally {
      smtp.close();
      await inbound.stop();
      await store.dispose();
    }
  });

  it('with BOUNCE_DOMAIN set, mail goes out with return paths at that domain and the receiver for it takes their DSNs', async () => {
    const store = await sqliteStore();
    const w = await world(store);
    w.deps.bounceDomain = 'bounces.deboon.example';
    const inbound = await startInbound(w.deps, { ...NO_INBOUND, bounceDomain: 'bounces.deboon.example', smtp: { host: '127.0.0.1', port: 0, domain: 'bounces.deboon.example', maxBytes: 2 * 1024 * 1024, perMinute: 50 } }, memoryLog());
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.smtpPort!, secure: false, ignoreTLS: true });
    try {
      await confirmed(w, 'jan@example.nl');
      const confirmation = (await w.mails())[0]!;
      assert.equal(returnPath(confirmation), 'bounces+confirm@bounces.deboon.example');
      const jan = (await sendCampaign(w)).get('jan@example.nl')!;
      const campaignMail = (await w.mails()).at(-1)!;
      const verp = verpOf(jan.id, 'bounces.deboon.example');
      assert.equal(returnPath(campaignMail), verp);
      assert.match(campaignMail.from?.text ?? '', /@deboon\.example/, 'the From address keeps its own domain');

      const ok = await smtp.sendMail({ envelope: { from: '', to: verp }, raw: report('postfix-5.1.1.eml', { verp, messageId: jan.message_id, rcpt: 'jan@example.nl' }) });
      assert.match(ok.response, /^250/);
      assert.deepEqual(await suppressions(w), { 'jan@example.nl': 'hard_bounce' });
    } finally {
      smtp.close();
      await inbound.stop();
      await store.dispose();
    }
  });
});
