import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { listOutbox, OutboxMailer, readOutboxMessage } from '../../src/mail/outbox.js';
import { createMailer } from '../../src/mail/transport.js';
import { campaign, UNSUB } from './fixtures.js';

describe('OutboxMailer', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'consentry-outbox-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists nothing for a missing folder', async () => {
    assert.deepEqual(await listOutbox(join(dir, 'missing')), []);
  });

  it('writes one .eml per message and lists them oldest first', async () => {
    const folder = join(dir, 'outbox');
    const mailer = createMailer({ smtpUrl: null, outboxDir: folder });
    assert.ok(mailer instanceof OutboxMailer);
    const first = await mailer.send(campaign({ messageId: 'one@deboon.example' }));
    const second = await mailer.send(
      campaign({ messageId: 'two@deboon.example', contact: { email: 'piet@voorbeeld.nl', firstName: 'Piet', lastName: null } }),
    );
    await mailer.close();
    assert.equal(first.messageId, 'one@deboon.example');
    assert.match(first.response, /^outbox:\d{8}T\d{9}Z-[0-9a-f]{8}\.eml$/);

    const files = await readdir(folder);
    assert.equal(files.length, 2, 'no temp files are left behind');
    const list = await listOutbox(folder);
    assert.deepEqual(
      list.map((e) => [e.messageId, e.to, e.subject]),
      [
        ['one@deboon.example', 'jan@voorbeeld.nl', 'Nieuwe bonen voor Jan'],
        ['two@deboon.example', 'piet@voorbeeld.nl', 'Nieuwe bonen voor Piet'],
      ],
    );
    assert.equal(`outbox:${list[1]?.file}`, second.response);
    assert.ok(!Number.isNaN(Date.parse(list[0]?.date ?? '')));
  });

  it('stores a message mailparser reads back with all headers', async () => {
    const folder = join(dir, 'parse');
    const mailer = new OutboxMailer(folder);
    const { response } = await mailer.send(campaign({ org: orgWithAccent() }));
    const raw = await readOutboxMessage(folder, response.slice('outbox:'.length));
    assert.match(raw, /^Return-Path: <bounces\+d1@deboon\.example>\r\n/m);
    assert.match(raw, new RegExp(`^List-Unsubscribe: <${UNSUB.replace(/[.]/g, '\\.')}>\\r$`, 'm'));
    assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);

    const parsed = await simpleParser(raw);
    assert.equal(parsed.messageId, '<abc123@deboon.example>');
    assert.equal(parsed.subject, 'Nieuwe bonen voor Jan');
    assert.ok(parsed.date instanceof Date);
    assert.equal(parsed.from?.value[0]?.address, 'nieuws@deboon.example');
    assert.equal(parsed.from?.value[0]?.name, 'De Boon');
    assert.equal(parsed.replyTo?.value[0]?.address, 'info@deboon.example');
    const list = parsed.headers.get('list') as Record<string, { url?: string; id?: string; name?: string }>;
    assert.equal(list.unsubscribe?.url, UNSUB);
    assert.equal(list.id?.id, 'koffietips.deboon.example');
    // RFC 2047 encoded phrase; mailparser leaves encoded words in List-* phrases undecoded
    assert.equal(list.id?.name, `=?UTF-8?B?${Buffer.from('Café De Boon').toString('base64')}?=`);
    // mailparser files List-Unsubscribe-Post under list too, reading its value as a name
    assert.equal(list['unsubscribe-post']?.name, 'List-Unsubscribe=One-Click');
    assert.ok(parsed.text?.includes('met één knop afmeldt'));
    assert.ok(parsed.html && parsed.html.includes('Afmelden</a>'));
  });

  it('refuses file names outside the outbox', async () => {
    await assert.rejects(readOutboxMessage(dir, '../etc/passwd'), /not an outbox file name/);
  });
});

function orgWithAccent() {
  return {
    name: 'Café De Boon',
    postalAddress: 'Hoofdstraat 1\n3511 AB Utrecht',
    replyTo: 'info@deboon.example',
    fromAddress: 'nieuws@deboon.example',
    fromName: 'De Boon',
  };
}
