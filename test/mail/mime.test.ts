import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { buildMime } from '../../src/mail/mime.js';
import { mailOptions } from '../../src/mail/outbox.js';
import { campaign } from './fixtures.js';

const date = new Date('2026-12-07T01:02:03Z');

/** nodemailer's own streamed build of the same options. */
const streamed = (options: Mail.Options) => new MailComposer(options).compile().build();

/** Fixed boundary, date and Message-ID, so both builds can be compared byte for byte. */
const fixed = (options: Mail.Options) => ({ messageId: '<m1@deboon.example>', ...options, date, baseBoundary: 'b0und4ry' }) as Mail.Options;

/** A deterministic generator (the same texts on every run). */
function* texts(): Generator<string> {
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pieces = ['Ethiopië', ' ', '  ', '\t', '=', '.', '\n', '\r\n', '\n.\n', 'bonen', 'x'.repeat(90), 'é'.repeat(30), '☕', '😀', 'a=b', ' \n', '\t\r\n', 'www.deboon.example/een/lange/weg?met=parameters&en=meer'];
  for (let i = 0; i < 300; i++) {
    const n = 1 + rnd(60);
    let s = '';
    for (let k = 0; k < n; k++) s += pieces[rnd(pieces.length)];
    yield s;
  }
}

describe('buildMime', () => {
  it('writes a composed campaign message exactly as nodemailer streams it', async () => {
    for (const language of ['nl', 'en'] as const) {
      const options = fixed(mailOptions(campaign({}, language)));
      assert.deepEqual(await buildMime(options), await streamed(options));
    }
  });

  it('equals nodemailer on texts with trailing whitespace, long lines, dots, "=", multibyte and mixed line ends', async () => {
    let n = 0;
    for (const text of texts()) {
      const html = `<p>${text}</p>`;
      const subject = text.replace(/[\r\n]/g, ' ').slice(0, 120) || 'leeg';
      for (const options of [
        { from: '"De Boon" <nieuws@deboon.example>', to: 'jan@voorbeeld.nl', subject, text, html },
        { from: 'nieuws@deboon.example', to: 'jan@voorbeeld.nl', subject, text },
      ]) {
        const got = await buildMime(fixed(options));
        const want = await streamed(fixed(options));
        assert.equal(got.toString('latin1'), want.toString('latin1'), `text #${n}: ${JSON.stringify(text)}`);
        n++;
      }
    }
    assert.equal(n, 600);
  });

  it('gives every message its own boundary', async () => {
    const options = mailOptions(campaign());
    const boundary = async () => /boundary="([^"]+)"/.exec((await buildMime(options)).toString())?.[1];
    const seen = new Set([await boundary(), await boundary(), await boundary()]);
    assert.equal(seen.size, 3);
    assert.ok(![...seen].includes(undefined));
  });

  it('falls back to nodemailer\'s stream for parts it does not join (base64 text, a part over 64 KiB, an attachment)', async () => {
    const cases: Mail.Options[] = [
      { from: 'a@deboon.example', to: 'b@voorbeeld.nl', subject: 'Кофе', text: 'Кофе из Эфиопии. '.repeat(40) },
      { from: 'a@deboon.example', to: 'b@voorbeeld.nl', subject: 'lang', text: 'Ethiopië, bonen en meer. '.repeat(4000), html: `<p>${'é '.repeat(40_000)}</p>` },
      { from: 'a@deboon.example', to: 'b@voorbeeld.nl', subject: 'bijlage', text: 'zie bijlage', attachments: [{ filename: 'a.txt', content: 'hallo' }] },
    ];
    for (const options of cases) assert.deepEqual(await buildMime(fixed(options)), await streamed(fixed(options)));
  });
});
