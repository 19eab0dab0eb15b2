import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReport, type ReportVerdict } from '../../src/core/mail-report.js';
import { readReport } from '../../src/mail/report-reader.js';
import { report } from './reports.js';

const R = { verp: 'bounces+d-0123456789abcdef01234567@deboon.example', messageId: 'Qm9vbkJvb25Cb29uQm9vbg@deboon.example', rcpt: 'jan@example.nl' };
const classify = async (name: string, envelope: string[] = []) => classifyReport(await readReport(report(name, R), envelope));
const brief = (v: ReportVerdict) =>
  v.type === 'bounce' ? [v.type, v.kind, v.status] : v.type === 'complaint' ? [v.type, v.feedbackType] : [v.type, v.reason];

describe('classifying what comes back', () => {
  const cases: Array<[string, unknown[]]> = [
    ['postfix-5.1.1.eml', ['bounce', 'hard_bounce', '5.1.1']],
    ['dsn-4.2.2-mailbox-full.eml', ['bounce', 'soft_bounce', '4.2.2']],
    ['dsn-delayed.eml', ['ignore', 'delayed']],
    ['dsn-5.7.1-policy.eml', ['bounce', 'soft_bounce', '5.7.1']],
    ['exim-5.1.1.eml', ['bounce', 'hard_bounce', '5.1.1']],
    ['microsoft365-5.1.10.eml', ['bounce', 'hard_bounce', '5.1.10']],
    ['gmail-5.1.1.eml', ['bounce', 'hard_bounce', '5.1.1']],
    ['yahoo-554-dd.eml', ['bounce', 'hard_bounce', null]],
    ['arf-abuse.eml', ['complaint', 'abuse']],
    ['autoreply-afwezig.eml', ['ignore', 'auto_reply']],
    ['dsn-base64-status.eml', ['unreadable', 'encoded_report_part']],
  ];
  for (const [name, expected] of cases) {
    it(name, async () => assert.deepEqual(brief(await classify(name)), expected));
  }

  it('names the delivery by the VERP token and the original Message-ID in every form', async () => {
    for (const name of ['postfix-5.1.1.eml', 'exim-5.1.1.eml', 'microsoft365-5.1.10.eml', 'gmail-5.1.1.eml', 'yahoo-554-dd.eml', 'arf-abuse.eml']) {
      const v = await classify(name);
      assert.ok(v.type === 'bounce' || v.type === 'complaint', name);
      assert.deepEqual(v.match.verpTokens, ['0123456789abcdef01234567'], name);
      assert.deepEqual(v.match.messageIds, [R.messageId], name);
    }
  });

  it('reads the time of the failure and the named recipient from a DSN', async () => {
    const v = await classify('dsn-4.2.2-mailbox-full.eml');
    assert.equal(v.type, 'bounce');
    if (v.type !== 'bounce') return;
    assert.equal(v.occurredAt, '2026-11-30T13:10:02.000Z');
    assert.deepEqual(v.namedRecipients, ['jan@example.nl']);
    assert.match(v.diagnostic ?? '', /Mailbox full/);
  });

  it('keeps a message that is no report for review, and reads a quoted-printable feedback part as encoded', async () => {
    const plain = Buffer.from('From: iemand@example.nl\r\nTo: bounces+d-0123456789abcdef01234567@deboon.example\r\nSubject: Vraag\r\n\r\nHallo, ik heb een vraag.\r\n');
    assert.deepEqual(brief(classifyReport(await readReport(plain))), ['unreadable', 'not_a_report']);
    const qp = report('arf-abuse.eml', R).toString().replace('Content-Type: message/feedback-report\r\n', 'Content-Type: message/feedback-report\r\nContent-Transfer-Encoding: quoted-printable\r\n');
    assert.deepEqual(brief(classifyReport(await readReport(Buffer.from(qp)))), ['unreadable', 'encoded_report_part']);
  });
});
