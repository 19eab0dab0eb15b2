// Against bots and list bombing (issue 13 item 2): one mail per address per 24 h, a honeypot, a proof-of-work
// challenge that cannot be skipped, forged or replayed to get mail out, stricter limits without JavaScript, and a
// site-wide cap. A bot gets the page a person gets; nothing is stored or sent for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Challenge } from 'altcha-lib';
import { listOutbox } from '../../src/mail/outbox.js';
import { CHALLENGE_TTL_MS } from '../../src/services/consent/challenge.js';
import { counts, form, FORM_HEADERS, harness, type Harness } from './support.js';

const HOUR = 3600_000;
const main = (body: string) => body.slice(body.indexOf('<main'), body.indexOf('</main>'));
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The challenge on a freshly fetched form page. */
async function challengeOf(h: Harness, formId = 'koffie'): Promise<Challenge> {
  const page = await h.app.inject({ url: `/f/${formId}` });
  const m = /data-challenge="([^"]+)"/.exec(page.body);
  assert.ok(m, 'the form carries a challenge');
  return JSON.parse(unescape(m[1]!)) as Challenge;
}

/** Solves a challenge as the browser script does (SHA-256 of salt ‖ nonce ‖ counter), synchronously for speed. */
function solve(c: Challenge): { counter: number; derivedKey: string } {
  const p = c.parameters;
  assert.equal(p.algorithm, 'SHA-256');
  assert.equal(p.cost, 1);
  const data = Buffer.concat([Buffer.from(p.salt, 'hex'), Buffer.from(p.nonce, 'hex'), Buffer.alloc(4)]);
  for (let counter = 0; counter < 2 ** 32; counter++) {
    data.writeUInt32BE(counter, data.length - 4);
    const key = createHash('sha256').update(data).digest('hex');
    if (key.startsWith(p.keyPrefix)) return { counter, derivedKey: key };
  }
  throw new Error('unsolvable');
}

/** What the solver script puts in the form: base64 JSON of the challenge and its solution. */
async function solved(h: Harness, challenge?: Challenge): Promise<string> {
  const c = challenge ?? (await challengeOf(h));
  return Buffer.from(JSON.stringify({ challenge: c, solution: solve(c) })).toString('base64');
}

const post = (h: Harness, fields: Record<string, string>, opts: { lang?: string; ip?: string } = {}) =>
  h.app.inject({
    method: 'POST',
    url: `/f/koffie?lang=${opts.lang ?? 'en'}`,
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: FORM_HEADERS,
    payload: form({ purposes: 'tips', ...fields }),
  });

const mails = async (h: Harness) => (await listOutbox(h.outbox)).length;

test('5 sign-ups for one pending address send one mail, with the same page each time; a day later one more', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const pages: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await post(h, { email: 'jan@voorbeeld.nl', altcha: await solved(h) });
    assert.equal(res.statusCode, 200);
    pages.push(main(res.body));
    h.clock.advance(HOUR);
  }
  assert.equal(await mails(h), 1);
  assert.ok(pages.every((p) => p === pages[0] && /Check your mailbox/.test(p)), '"check your mail" every time');
  h.clock.advance(20 * HOUR); // 25 h after the first
  await post(h, { email: 'jan@voorbeeld.nl', altcha: await solved(h) });
  assert.equal(await mails(h), 2);
});

test('a filled honeypot: nothing stored, no mail, and the page a person gets', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const form = await h.app.inject({ url: '/f/koffie?lang=en' });
  assert.match(form.body, /<div class="hp">\s*<label for="website">Leave this field empty \(spam check\)<\/label>/);
  const person = await post(h, { email: 'echt@voorbeeld.nl', altcha: await solved(h) });
  const before = await counts(h.deps);
  const bot = await post(h, { email: 'slachtoffer@voorbeeld.nl', website: 'https://spam.example', altcha: await solved(h) });
  assert.equal(bot.statusCode, 200);
  assert.equal(main(bot.body), main(person.body));
  assert.deepEqual(await counts(h.deps), before);
  assert.equal(await mails(h), 1, 'only the person\'s mail');
});

test('a forged or replayed challenge: nothing stored, no mail, the same page', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const good = await solved(h);
  const person = await post(h, { email: 'echt@voorbeeld.nl', altcha: good });
  assert.equal(await mails(h), 1);
  const before = await counts(h.deps);

  const c = await challengeOf(h);
  const real = JSON.parse(Buffer.from(await solved(h, c), 'base64').toString()) as { challenge: Challenge; solution: { counter: number; derivedKey: string } };
  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64');
  const forged = {
    'garbage': 'not base64 json!',
    'a wrong key': b64({ challenge: c, solution: { counter: real.solution.counter, derivedKey: `${real.solution.derivedKey.slice(0, -1)}${real.solution.derivedKey.endsWith('0') ? '1' : '0'}` } }),
    'a guessed key': b64({ challenge: c, solution: { counter: 7, derivedKey: `${c.parameters.keyPrefix}${'0'.repeat(64 - c.parameters.keyPrefix.length)}` } }),
    'a re-signed easier challenge': b64({ challenge: { ...c, parameters: { ...c.parameters, keyPrefix: '0' } }, solution: real.solution }),
    'no signature': b64({ challenge: { parameters: c.parameters }, solution: real.solution }),
    'the replayed solution': good,
  };
  for (const [name, altcha] of Object.entries(forged)) {
    const res = await post(h, { email: 'slachtoffer@voorbeeld.nl', altcha });
    assert.equal(res.statusCode, 200, name);
    assert.equal(main(res.body), main(person.body), `${name}: the page tells nothing`);
    assert.deepEqual(await counts(h.deps), before, `${name}: nothing stored`);
  }
  assert.equal(await mails(h), 1, 'no mail for any of them');
  // The genuine solution of the last challenge still works once.
  assert.equal((await post(h, { email: 'tweede@voorbeeld.nl', altcha: b64(real) })).statusCode, 200);
  assert.equal(await mails(h), 2);
});

test('without JavaScript (no challenge): 5 sign-ups per IP per hour and 3 per address per day, then a page saying so', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  for (let i = 1; i <= 5; i++) assert.equal((await post(h, { email: `p${i}@voorbeeld.nl` }, { ip: '198.51.100.1' })).statusCode, 200);
  assert.equal(await mails(h), 5, 'a person without JavaScript signs up as usual');
  const before = await counts(h.deps);
  for (const lang of ['en', 'nl']) {
    const limited = await post(h, { email: 'p6@voorbeeld.nl' }, { ip: '198.51.100.1', lang });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '3600');
    assert.match(limited.body, lang === 'en' ? /Please try again in an hour/ : /Probeer het over een uur opnieuw/);
  }
  assert.deepEqual(await counts(h.deps), before);
  assert.equal(await mails(h), 5);
  // With the challenge solved the same client goes on; another client is not affected.
  assert.equal((await post(h, { email: 'p7@voorbeeld.nl', altcha: await solved(h) }, { ip: '198.51.100.1' })).statusCode, 200);
  assert.equal((await post(h, { email: 'p8@voorbeeld.nl' }, { ip: '198.51.100.2' })).statusCode, 200);
  h.clock.advance(HOUR);
  assert.equal((await post(h, { email: 'p9@voorbeeld.nl' }, { ip: '198.51.100.1' })).statusCode, 200, 'a new hour');

  // One target address from many clients: 3 a day, and one mail.
  for (let i = 1; i <= 3; i++) assert.equal((await post(h, { email: 'doel@voorbeeld.nl' }, { ip: `203.0.113.${i}` })).statusCode, 200);
  const mailsBefore = await mails(h);
  assert.equal((await post(h, { email: 'doel@voorbeeld.nl' }, { ip: '203.0.113.4' })).statusCode, 429);
  assert.equal(await mails(h), mailsBefore);
});

test('an expired challenge (a page left open) takes the no-JavaScript path instead of being dropped', async (t) => {
  const h = await harness({ signupLimits: { noJsPerIpPerHour: 1 } });
  t.after(() => h.close());
  const old = await solved(h);
  h.clock.advance(CHALLENGE_TTL_MS + 1000);
  assert.equal((await post(h, { email: 'traag@voorbeeld.nl', altcha: old })).statusCode, 200);
  assert.equal(await mails(h), 1);
  assert.equal((await post(h, { email: 'traag2@voorbeeld.nl', altcha: old })).statusCode, 429, 'and counts against its limit');
});

test('the site-wide cap shows a friendly page (nl, en) and stores nothing', async (t) => {
  const h = await harness({ signupLimits: { perHour: 2 } });
  t.after(() => h.close());
  for (let i = 1; i <= 2; i++) assert.equal((await post(h, { email: `s${i}@voorbeeld.nl`, altcha: await solved(h) })).statusCode, 200);
  const before = await counts(h.deps);
  for (const lang of ['nl', 'en']) {
    const busy = await post(h, { email: 's3@voorbeeld.nl', altcha: await solved(h) }, { lang });
    assert.equal(busy.statusCode, 503);
    assert.match(busy.body, lang === 'en' ? /An unusually large number of people are signing up right now/ : /Er melden zich op dit moment uitzonderlijk veel mensen aan/);
    assert.match(busy.body, lang === 'en' ? /Nothing of yours has been stored/ : /Er is niets van u opgeslagen/);
  }
  assert.deepEqual(await counts(h.deps), before);
  assert.equal(await mails(h), 2);
  h.clock.advance(HOUR);
  assert.equal((await post(h, { email: 's3@voorbeeld.nl', altcha: await solved(h) })).statusCode, 200);
});
