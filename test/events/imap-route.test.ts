import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ImapFlow } from 'imapflow';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { startDovecot } from '../support/dovecot.js';
import { startBouncePoller, HANDLED_KEYWORD } from '../../src/mail/bounce-poller.js';
import { startInbound } from '../../src/inbound.js';
import { NO_INBOUND } from '../../src/config-inbound.js';
import { ingestMailReport } from '../../src/services/events/mail-reports.js';
import { contactEvidence } from '../../src/services/rights/evidence.js';
import { listUnreadableReports } from '../../src/store/delivery-events.js';
import { confirmed, memoryLog, sendCampaign, suppressions } from './support.js';
import { report, verpOf } from './reports.js';

/** Waits for a condition, checking every 50 ms, at most `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('IMAP polling of a bounce mailbox, against Dovecot', () => {
  it('records the reports in the mailbox, marks them handled, leaves nothing unread and survives a dropped connection', async () => {
    const store = await sqliteStore();
    const dovecot = await startDovecot();
    const log = memoryLog();
    const w = await world(store);
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await client.connect();
    const imap = { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'INBOX', pollMs: 3_600_000, maxBytes: 1024 * 1024 };
    let inbound: Awaited<ReturnType<typeof startInbound>> | null = null;
    const poller = startBouncePoller({ ...imap, log, handle: async (raw, declaredSize) => void (await ingestMailReport(w.deps, log, { raw, route: 'imap', maxBytes: imap.maxBytes, ...(declaredSize ? { declaredSize } : {}) })) });
    try {
      for (const p of ['jan@example.nl', 'vol@example.nl', 'auto@example.nl']) await confirmed(w, p);
      const sent = await sendCampaign(w);
      const of = (email: string) => ({ verp: verpOf(sent.get(email)!.id), messageId: sent.get(email)!.message_id, rcpt: email });
      await client.append('INBOX', report('postfix-5.1.1.eml', of('jan@example.nl')));
      await client.append('INBOX', report('autoreply-afwezig.eml', of('auto@example.nl')));
      await client.append('INBOX', Buffer.from('From: iemand@example.nl\r\nTo: bounces@deboon.example\r\nSubject: Vraag over mijn bestelling\r\n\r\nWaar blijft mijn koffie?\r\n'));
      assert.equal(await poller.pollNow(), 3);
      assert.deepEqual(await suppressions(w), { 'auto@example.nl': null, 'jan@example.nl': 'hard_bounce', 'vol@example.nl': null });
      const ev = await contactEvidence(w.deps, 'jan@example.nl');
      assert.deepEqual(ev.deliveryEvents.map((e) => [e.kind, e.status, e.occurred_at]), [['hard_bounce', '5.1.1', '2026-11-30T09:04:57.000Z']]);
      assert.deepEqual((await listUnreadableReports(store.db)).map((r) => r.reason), ['not_a_report']);

      // Every message is marked handled; a second poll reads none again.
      const lock = await client.getMailboxLock('INBOX');
      try {
        const flags = [];
        for await (const m of client.fetch('1:*', { flags: true })) flags.push([...(m.flags ?? [])].sort());
        assert.deepEqual(flags, Array(3).fill(['$ConsentryHandled', '\\Seen'].sort()));
        assert.equal(HANDLED_KEYWORD, '$ConsentryHandled');
      } finally {
        lock.release();
      }
      assert.equal(await poller.pollNow(), 0);

      // The server drops the connection; the next poll opens a new one and reads the new report.
      dovecot.kick();
      await client.connect().catch(() => undefined);
      const again = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
      await again.connect();
      await again.append('INBOX', report('postfix-5.1.1.eml', of('vol@example.nl')));
      await again.logout();
      let handled = 0;
      for (let i = 0; i < 3 && handled === 0; i++) handled = await poller.pollNow();
      assert.equal(handled, 1);
      assert.equal((await suppressions(w))['vol@example.nl'], 'hard_bounce');

      // `consentry serve` starts the same poller from the configuration.
      await poller.stop();
      const again2 = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
      await again2.connect();
      await again2.append('INBOX', report('arf-abuse.eml', of('auto@example.nl')));
      await again2.logout();
      inbound = await startInbound(w.deps, { ...NO_INBOUND, imap }, log);
      await until('the complaint read by the started poller', async () => (await suppressions(w))['auto@example.nl'] === 'complaint');
    } finally {
      await poller.stop();
      await inbound?.stop();
      await client.logout().catch(() => undefined);
      await dovecot.stop();
      await store.dispose();
    }
  });
});
