import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import DKIM from 'nodemailer/lib/dkim/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { DkimSigner } from '../../src/mail/dkim.js';
import { buildMime } from '../../src/mail/mime.js';
import { mailOptions } from '../../src/mail/outbox.js';
import { DKIM_HEADER_FIELDS } from '../../src/mail/smtp.js';
import { campaign } from './fixtures.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { domainName: 'deboon.example', keySelector: 'mail', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const signer = new DkimSigner(key, DKIM_HEADER_FIELDS);

/** The selector's DNS record, answered by this resolver only (mailauth asks for TXT records). */
const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const resolver = async (name: string, type: string) => {
  if (name === 'mail._domainkey.deboon.example' && type === 'TXT') return [[record]];
  throw Object.assign(new Error(`no record for ${name}`), { code: 'ENOTFOUND' });
};

/** mailauth's verdict on the first signature and the header fields it covered. */
async function verify(message: Buffer) {
  const result = await dkimVerify(message, { resolver } as never);
  const first = result.results[0] as unknown as { status: { result: string; comment?: string }; signingHeaders?: { keys: string } };
  return { result: first.status.result, comment: first.status.comment ?? '', keys: (first.signingHeaders?.keys ?? '').toLowerCase().split(': ') };
}

/** nodemailer's own DKIM signer over the same bytes. */
function nodemailerSigned(raw: Buffer): Promise<Buffer> {
  const stream = new DKIM({ ...key, headerFieldNames: DKIM_HEADER_FIELDS }).sign(raw);
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const messages: Array<[string, Mail.Options]> = [
  ['campaign nl', mailOptions(campaign({}, 'nl'))],
  ['campaign en', mailOptions(campaign({ contact: { email: 'Ana.Ríos@voorbeeld.nl', firstName: 'Ana  María', lastName: null } }, 'en'))],
  ['text only, trailing spaces and blank lines at the end', { from: 'nieuws@deboon.example', to: 'jan@voorbeeld.nl', subject: 'Bonen  \t en meer', text: 'Regel met spaties   \r\n\tingesprongen\r\n\r\n\r\n' }],
];

describe('DkimSigner', () => {
  for (const [name, options] of messages) {
    it(`signs "${name}" exactly as nodemailer's signer does, and mailauth verifies it (List-Unsubscribe and -Post covered)`, async () => {
      const raw = await buildMime(options);
      const signed = await signer.sign(raw);
      assert.ok(signed.subarray(signed.length - raw.length).equals(raw), 'the message follows the signature unchanged');
      assert.equal(signed.toString('latin1'), (await nodemailerSigned(raw)).toString('latin1'));
      const verdict = await verify(signed);
      assert.equal(verdict.result, 'pass');
      for (const field of ['from', 'subject', 'date', 'message-id', 'to', 'mime-version', 'content-type']) assert.ok(verdict.keys.includes(field), `${field}: ${verdict.keys.join(', ')}`);
      if (name.startsWith('campaign')) {
        for (const field of ['list-unsubscribe', 'list-unsubscribe-post', 'list-id']) assert.ok(verdict.keys.includes(field), `${field}: ${verdict.keys.join(', ')}`);
      }
    });
  }

  it('fails verification when the body or a signed header changes after signing', async () => {
    const signed = (await signer.sign(await buildMime(mailOptions(campaign())))).toString('latin1');
    assert.equal((await verify(Buffer.from(signed, 'latin1'))).result, 'pass');
    const body = signed.replace('Ethiopi', 'Colombi');
    assert.notEqual(body, signed);
    // mailauth reports a body hash mismatch as "neutral" with this comment (RFC 6376 6.3: the signature fails).
    assert.deepEqual(await verify(Buffer.from(body, 'latin1')).then((v) => [v.result, v.comment]), ['neutral', 'body hash did not verify']);
    const header = signed.replace(/^(List-Unsubscribe: <https:\/\/deboon\.example\/u\/)/m, '$1x');
    assert.notEqual(header, signed);
    assert.equal((await verify(Buffer.from(header, 'latin1'))).result, 'fail');
  });

  it('refuses a key that is not RSA', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => new DkimSigner({ ...key, privateKey: ed }, DKIM_HEADER_FIELDS), /must be RSA, not ed25519/);
  });
});
