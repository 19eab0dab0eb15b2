import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { SMTPServer } from 'smtp-server';
import { verpAddress } from '../../src/mail/compose.js';
import { TransportError } from '../../src/mail/message.js';
import { SmtpMailer, relayHeaders } from '../../src/mail/smtp.js';
import { createMailer } from '../../src/mail/transport.js';
import { campaign, UNSUB } from './fixtures.js';

interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

/** An in-process SMTP server: "hard@" is refused with 550, "soft@" with 450, everything else accepted. */
function startServer(received: Received[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0];
      if (local === 'hard' || local === 'soft') {
        const err = new Error(local === 'hard' ? '5.1.1 No such user here' : '4.2.1 Mailbox busy, try later') as Error & {
          responseCode: number;
        };
        err.responseCode = local === 'hard' ? 550 : 450;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({
          mailFrom: from ? from.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null, 'Ok: queued as TEST1');
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port }));
  });
}

describe('SmtpMailer against a real SMTP server', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let mailer: SmtpMailer;
  let signed: SmtpMailer;
  let dkimRecord: string;

  before(async () => {
    const started = await startServer(received);
    server = started.server;
    const url = `smtp://127.0.0.1:${started.port}`;
    const made = createMailer({ smtpUrl: url, outboxDir: '/nonexistent' });
    assert.ok(made instanceof SmtpMailer);
    mailer = made;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    dkimRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    signed = new SmtpMailer(url, {
      dkim: {
        domainName: 'deboon.example',
        keySelector: 'mail',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
  });

  after(async () => {
    await mailer.close();
    await signed.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends with the VERP envelope sender and the fixed Message-ID', async () => {
    const envelopeFrom = verpAddress('nieuws@deboon.example', 'del-7');
    const result = await mailer.send(campaign({ envelopeFrom, messageId: 'fixed-1@deboon.example' }));
    assert.equal(result.messageId, 'fixed-1@deboon.example');
    assert.match(result.response, /^250 .*queued as TEST1/);

    const got = received.at(-1);
    assert.ok(got);
    assert.equal(got.mailFrom, 'bounces+del-7@deboon.example');
    assert.deepEqual(got.rcptTo, ['jan@voorbeeld.nl']);
    const parsed = await simpleParser(got.raw);
    assert.equal(parsed.messageId, '<fixed-1@deboon.example>');
    assert.equal(parsed.subject, 'Nieuwe bonen voor Jan');
    assert.equal(parsed.from?.text, '"De Boon" <nieuws@deboon.example>');
    assert.equal(parsed.replyTo?.value[0]?.address, 'info@deboon.example');
    const list = parsed.headers.get('list') as Record<string, { url?: string; id?: string; name?: string }>;
    assert.equal(list.unsubscribe?.url, UNSUB);
    assert.equal(list['unsubscribe-post']?.name, 'List-Unsubscribe=One-Click');
    assert.equal(list.id?.id, 'koffietips.deboon.example');
    assert.ok(parsed.text?.includes('met één knop afmeldt'));
  });

  it('adds the headers a relay service needs to keep the Message-ID (Postmark), and none for other relays', async () => {
    assert.deepEqual(relayHeaders('smtp.postmarkapp.com'), { 'X-PM-KeepID': 'true' });
    assert.deepEqual(relayHeaders('smtp-broadcasts.postmarkapp.com'), { 'X-PM-KeepID': 'true' });
    assert.deepEqual(relayHeaders('postmarkapp.com.evil.example'), {});
    assert.deepEqual(relayHeaders('127.0.0.1'), {});
    const plain = await simpleParser(received.at(-1)?.raw ?? '');
    assert.equal(plain.headers.get('x-pm-keepid'), undefined, 'the plain relay got no Postmark header');
    const postmarkLike = new SmtpMailer(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, { relayHeaders: relayHeaders('smtp.postmarkapp.com') });
    try {
      await postmarkLike.send(campaign({ messageId: 'kept-1@deboon.example' }));
      const parsed = await simpleParser(received.at(-1)?.raw ?? '');
      assert.equal(parsed.headers.get('x-pm-keepid'), 'true');
      assert.equal(parsed.messageId, '<kept-1@deboon.example>');
    } finally {
      await postmarkLike.close();
    }
  });

  it('signs with DKIM over both List-Unsubscribe headers', async () => {
    await signed.send(campaign({ messageId: 'signed-1@deboon.example' }));
    const raw = received.at(-1)?.raw ?? '';
    const header = /^DKIM-Signature:((?:.*)(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\s+/g, '') ?? '';
    const tags = new Map(header.split(';').map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]));
    assert.equal(tags.get('d'), 'deboon.example');
    assert.equal(tags.get('s'), 'mail');
    const fields = (tags.get('h') ?? '').toLowerCase().split(':');
    for (const f of ['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id']) {
      assert.ok(fields.includes(f), `h= covers ${f}: ${fields.join(':')}`);
    }
    // As received over SMTP, checked by an independent verifier against the selector's public key.
    const resolver = async (name: string) => (name === 'mail._domainkey.deboon.example' ? [[dkimRecord]] : []);
    const verdict = await dkimVerify(Buffer.from(raw), { resolver } as never);
    assert.equal((verdict.results[0] as unknown as { status: { result: string } }).status.result, 'pass');
  });

  it('sends several signed messages at once, each verifying (the signatures are made off the event loop)', async () => {
    const before = received.length;
    await Promise.all(Array.from({ length: 8 }, (_, i) => signed.send(campaign({ messageId: `par-${i}@deboon.example`, contact: { email: `p${i}@voorbeeld.nl`, firstName: `P${i}`, lastName: null } }))));
    const got = received.slice(before);
    assert.equal(got.length, 8);
    const resolver = async (name: string) => (name === 'mail._domainkey.deboon.example' ? [[dkimRecord]] : []);
    for (const r of got) {
      const verdict = await dkimVerify(Buffer.from(r.raw), { resolver } as never);
      assert.equal((verdict.results[0] as unknown as { status: { result: string } }).status.result, 'pass', r.rcptTo[0]);
      assert.equal(((await simpleParser(r.raw)).to as { value: Array<{ address?: string }> }).value[0]?.address, r.rcptTo[0], 'each message went to its own recipient');
    }
  });

  it('maps a 550 refusal to a permanent TransportError', async () => {
    const err = await mailer.send(campaign({ contact: { email: 'hard@voorbeeld.nl', firstName: null, lastName: null } })).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.permanent, true);
    assert.match(err.response ?? '', /^550 .*No such user/);
  });

  it('maps a 450 refusal to a temporary TransportError', async () => {
    const err = await mailer.send(campaign({ contact: { email: 'soft@voorbeeld.nl', firstName: null, lastName: null } })).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TransportError, String(err));
    assert.equal(err.permanent, false);
    assert.match(err.response ?? '', /^450 .*Mailbox busy/);
  });

  it('maps a refused connection to a temporary TransportError', async () => {
    const closed = await startServer([]);
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const dead = new SmtpMailer(`smtp://127.0.0.1:${closed.port}`);
    try {
      const err = await dead.send(campaign()).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TransportError, String(err));
      assert.equal(err.permanent, false);
      assert.equal(err.response, null);
    } finally {
      await dead.close();
    }
  });
});
