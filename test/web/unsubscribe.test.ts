import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { counts, form, FORM_HEADERS, harness, lastConfirmPath, permissionStatus, type Harness } from './support.js';

/** Signs up and confirms `email`; returns the path of an unsubscribe link for it. */
async function subscribed(h: Harness, email: string): Promise<string> {
  await h.app.inject({ method: 'POST', url: '/f/koffie', headers: FORM_HEADERS, payload: form({ email, purposes: 'tips' }) });
  await h.app.inject({ method: 'POST', url: await lastConfirmPath(h.outbox) });
  assert.equal(await permissionStatus(h.deps, email), 'active');
  const contact = await h.deps.db.selectFrom('contacts').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return new URL(unsubscribeUrl(h.deps, contact.id, 'tips', 'campaign-1')).pathname;
}

function multipart(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const boundary = '----consentry-test-boundary';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return { payload: `${parts.join('')}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('unsubscribe page: names purpose and organisation, two choices, never asks the address, GET changes nothing', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const path = await subscribed(h, 'jan@voorbeeld.nl');
  const before = await counts(h.deps);
  for (const [lang, primary, all] of [
    ['nl', 'Afmelden voor Koffietips', 'Afmelden voor alles'],
    ['en', 'Unsubscribe from Coffee tips', 'Unsubscribe from everything'],
  ] as const) {
    const res = await h.app.inject({ url: `${path}?lang=${lang}` });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes(`>${primary}</button>`));
    assert.ok(res.body.includes(`>${all}</button>`));
    assert.ok(res.body.includes('Koffiebranderij De Boon B.V.'));
    assert.match(res.body, /name="scope" value="purpose"/);
    assert.match(res.body, /name="scope" value="all"/);
    assert.doesNotMatch(res.body, /type="email"|jan@voorbeeld\.nl/, 'no address asked or shown');
  }
  await h.app.inject({ method: 'HEAD', url: path });
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active');
  assert.deepEqual(await counts(h.deps), before);
});

test('page POST scope=purpose withdraws the purpose; scope=all suppresses the address', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const path = await subscribed(h, 'jan@voorbeeld.nl');
  const one = await h.app.inject({ method: 'POST', url: `${path}?lang=en`, headers: FORM_HEADERS, payload: form({ scope: 'purpose' }) });
  assert.equal(one.statusCode, 200);
  assert.match(one.body, /Koffiebranderij De Boon B.V. will no longer send you Coffee tips\./);
  assert.match(one.body, />Unsubscribe from everything<\/button>/, 'still offers everything');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'withdrawn');
  // Opening the link again (Back, reload, the mail's link) says truthfully that it is done, and still offers "everything".
  for (const [lang, title, line] of [
    ['nl', 'Al gedaan', 'Koffiebranderij De Boon B.V. stuurt u geen Koffietips meer.'],
    ['en', 'Already done', 'Koffiebranderij De Boon B.V. will no longer send you Coffee tips.'],
  ] as const) {
    const again = await h.app.inject({ url: `${path}?lang=${lang}` });
    assert.equal(again.statusCode, 200);
    assert.ok(again.body.includes(title), `${lang}: ${title}`);
    assert.ok(again.body.includes(line), `${lang}: ${line}`);
    assert.doesNotMatch(again.body, /Wilt u dat niet meer|No longer want it/);
    assert.doesNotMatch(again.body, /name="scope" value="purpose"/);
    assert.match(again.body, /name="scope" value="all"/);
  }
  const all = await h.app.inject({ method: 'POST', url: path, headers: FORM_HEADERS, payload: form({ scope: 'all' }) });
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /stuurt u geen nieuwsbrieven en reclame meer/);
  const contact = await h.deps.db.selectFrom('contacts').select('suppression').executeTakeFirstOrThrow();
  assert.equal(contact.suppression, 'unsubscribed');
  const done = await h.app.inject({ url: `${path}?lang=en` });
  assert.match(done.body, /Already done/);
  assert.match(done.body, /will no longer send you newsletters or promotional e-mail/);
  assert.doesNotMatch(done.body, /<button/, 'nothing left to choose');
  const event = await h.deps.db.selectFrom('consent_events').select('details').where('type', '=', 'withdrawn').executeTakeFirstOrThrow();
  assert.match(String(event.details), /"channel":"page"/);
});

test('RFC 8058 one-click POST, urlencoded and multipart: 200, no redirect, no cookie, permission withdrawn', async (t) => {
  for (const kind of ['urlencoded', 'multipart'] as const) {
    const h = await harness();
    t.after(() => h.close());
    const path = await subscribed(h, 'jan@voorbeeld.nl');
    const req =
      kind === 'urlencoded'
        ? { payload: 'List-Unsubscribe=One-Click', headers: FORM_HEADERS }
        : multipart({ 'List-Unsubscribe': 'One-Click' });
    const res = await h.app.inject({ method: 'POST', url: path, ...req });
    assert.equal(res.statusCode, 200, kind);
    assert.equal(res.headers.location, undefined);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    assert.ok(res.body.length < 100);
    assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'withdrawn', kind);
    const event = await h.deps.db.selectFrom('consent_events').select('details').where('type', '=', 'withdrawn').executeTakeFirstOrThrow();
    assert.match(String(event.details), /"channel":"one-click"/);
    const again = await h.app.inject({ method: 'POST', url: path, ...req });
    assert.equal(again.statusCode, 200, 'repeating is harmless');
  }
});

test('bad unsubscribe tokens and a missing choice are 400 and change nothing', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const path = await subscribed(h, 'jan@voorbeeld.nl');
  const confirmToken = (await lastConfirmPath(h.outbox)).slice('/confirm/'.length);
  const before = await counts(h.deps);
  for (const url of ['/u/garbage', `/u/${confirmToken}`, `${path.slice(0, -3)}abc`]) {
    assert.equal((await h.app.inject({ url })).statusCode, 400, `GET ${url}`);
    const oneClick = await h.app.inject({ method: 'POST', url, headers: FORM_HEADERS, payload: 'List-Unsubscribe=One-Click' });
    assert.equal(oneClick.statusCode, 400, `POST ${url}`);
    assert.equal(oneClick.headers.location, undefined);
  }
  const noScope = await h.app.inject({ method: 'POST', url: `${path}?lang=en`, headers: FORM_HEADERS, payload: form({}) });
  assert.equal(noScope.statusCode, 400);
  assert.match(noScope.body, /choose one of the buttons/);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active');
  assert.deepEqual(await counts(h.deps), before);
});
