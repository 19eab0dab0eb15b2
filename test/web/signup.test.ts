import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listOutbox } from '../../src/mail/outbox.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { counts, form, FORM_HEADERS, harness, lastConfirmPath, permissionStatus } from './support.js';

const post = (h: Awaited<ReturnType<typeof harness>>, fields: Record<string, string | string[]>, lang = 'nl') =>
  h.app.inject({ method: 'POST', url: `/f/koffie?lang=${lang}`, headers: FORM_HEADERS, payload: form(fields) });

test('bad sign-ups are refused with the field named, input kept, and nothing stored', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const before = await counts(h.deps);
  const cases: Array<{ fields: Record<string, string | string[]>; field: string; nl: string; en: string }> = [
    { fields: { email: '', purposes: 'tips' }, field: 'email', nl: 'Vul een geldig e-mailadres in', en: 'Enter a valid e-mail address' },
    { fields: { purposes: 'tips' }, field: 'email', nl: 'Vul een geldig e-mailadres in', en: 'Enter a valid e-mail address' },
    { fields: { email: 'not-an-address', purposes: 'tips' }, field: 'email', nl: 'e-mailadres', en: 'e-mail address' },
    { fields: { email: 'jan@voorbeeld.nl', firstName: 'Jan\r\nBcc: x@y.z', purposes: 'tips' }, field: 'firstName', nl: 'op één regel', en: 'on one line' },
    { fields: { email: 'jan@voorbeeld.nl', purposes: ['tips', 'other'] }, field: 'purposes', nl: 'Kies alleen uit', en: 'Choose only from' },
    { fields: { email: 'jan@voorbeeld.nl' }, field: 'purposes', nl: 'Vink minstens één onderwerp aan', en: 'Tick at least one topic' },
  ];
  for (const c of cases) {
    for (const lang of ['nl', 'en'] as const) {
      const res = await post(h, c.fields, lang);
      assert.equal(res.statusCode, 400, `${JSON.stringify(c.fields)} ${lang}`);
      assert.ok(res.body.includes(c[lang]), `${lang}: message for ${c.field}`);
      assert.match(res.body, new RegExp(`id="${c.field}-error"`), 'error next to its field');
      if ('email' in c.fields && c.fields.email) assert.ok(res.body.includes(`value="${c.fields.email}"`), 'input kept');
    }
  }
  const unknown = await h.app.inject({ method: 'POST', url: '/f/nope', headers: FORM_HEADERS, payload: form({ email: 'a@b.nl', purposes: 'tips' }) });
  assert.equal(unknown.statusCode, 404);
  assert.deepEqual(await counts(h.deps), before);
  assert.equal((await listOutbox(h.outbox)).length, 0, 'no mail sent');
});

test('a ticked box kept after an error is the person\'s own choice, never a default', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const res = await post(h, { email: 'x', purposes: 'tips' });
  assert.match(res.body, /value="tips" checked/);
  const fresh = await h.app.inject({ url: '/f/koffie' });
  assert.doesNotMatch(fresh.body, /checked/);
});

test('sign-up, confirm page on GET/HEAD changes nothing, POST confirms, second POST 409', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const res = await post(h, { email: 'Jan@Voorbeeld.nl', firstName: 'Jan', purposes: 'tips' }, 'en');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /Check your mailbox/);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending');

  const path = await lastConfirmPath(h.outbox);
  const ledger = await counts(h.deps);
  for (const lang of ['nl', 'en']) {
    const page = await h.app.inject({ url: `${path}?lang=${lang}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, lang === 'en' ? />Confirm my subscription<\/button>/ : />Ja, bevestig mijn aanmelding<\/button>/);
    assert.match(page.body, new RegExp(`<form method="post" action="${path}\\?lang=${lang}"`));
    assert.match(page.body, lang === 'en' ? /Coffee tips/ : /Koffietips/);
  }
  const head = await h.app.inject({ method: 'HEAD', url: path });
  assert.equal(head.statusCode, 200);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending', 'GET and HEAD change nothing (A7)');
  assert.deepEqual(await counts(h.deps), ledger, 'ledger unchanged');

  const ok = await h.app.inject({ method: 'POST', url: `${path}?lang=en` });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Sign-up confirmed/);
  assert.match(ok.body, /Coffee tips/);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active');
  assert.equal((await counts(h.deps)).events, ledger.events + 1);

  const again = await h.app.inject({ method: 'POST', url: path });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /al bevestigd/);
  const againEn = await h.app.inject({ method: 'POST', url: `${path}?lang=en` });
  assert.match(againEn.body, /already confirmed/);
});

test('the success page does not reveal whether the address was known', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const first = await post(h, { email: 'piet@voorbeeld.nl', purposes: 'tips' });
  await h.app.inject({ method: 'POST', url: await lastConfirmPath(h.outbox) });
  const second = await post(h, { email: 'piet@voorbeeld.nl', purposes: 'tips' });
  const fresh = await post(h, { email: 'klaas@voorbeeld.nl', purposes: 'tips' });
  const main = (b: string) => b.slice(b.indexOf('<main'), b.indexOf('</main>'));
  assert.equal(main(second.body), main(first.body));
  assert.equal(main(fresh.body), main(first.body));
});

test('tampered, foreign and expired confirm tokens: 400, 400, 410, and nothing changes', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await post(h, { email: 'jan@voorbeeld.nl', purposes: 'tips' });
  const path = await lastConfirmPath(h.outbox);
  const token = path.slice('/confirm/'.length);
  const [body, mac] = token.split('.') as [string, string];
  const tampered = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}.${mac}`;
  const before = await counts(h.deps);
  for (const method of ['GET', 'POST'] as const) {
    const bad = await h.app.inject({ method, url: `/confirm/${tampered}?lang=en` });
    assert.equal(bad.statusCode, 400, `${method} tampered`);
    assert.match(bad.body, /This link is not valid/);
    assert.equal((await h.app.inject({ method, url: '/confirm/garbage' })).statusCode, 400);
  }
  const contact = await h.deps.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
  const unsubPath = new URL(unsubscribeUrl(h.deps, contact.id, 'tips', null)).pathname;
  const foreign = `/confirm/${unsubPath.slice('/u/'.length)}`;
  assert.equal((await h.app.inject({ method: 'POST', url: foreign })).statusCode, 400, 'an unsubscribe token on /confirm');
  h.clock.advance(15 * 24 * 3600 * 1000);
  const expired = await h.app.inject({ method: 'POST', url: `${path}?lang=en` });
  assert.equal(expired.statusCode, 410);
  assert.match(expired.body, /This link has expired/);
  assert.equal((await h.app.inject({ url: path })).statusCode, 410);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending');
  assert.deepEqual(await counts(h.deps), before);
});

test('sign-up POSTs are rate limited per IP', async (t) => {
  const h = await harness({ signupsPerMinute: 2 });
  t.after(() => h.close());
  for (let i = 0; i < 2; i++) assert.equal((await post(h, { email: `p${i}@voorbeeld.nl`, purposes: 'tips' })).statusCode, 200);
  const limited = await post(h, { email: 'p9@voorbeeld.nl', purposes: 'tips' }, 'en');
  assert.equal(limited.statusCode, 429);
  assert.match(limited.body, /Please wait a moment/);
  assert.equal((await h.app.inject({ url: '/f/koffie' })).statusCode, 200, 'the form page itself is not limited');
});
