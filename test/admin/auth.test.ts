// The admin foundation through app.inject(): sign-in and its limits, sessions (expiry, rotation, sign-out),
// CSRF refusal, the role check, the layout and escaping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, OWNER, GOOD_PASSWORD, csrfIn } from '../support/admin.js';
import { MAX_FAILURES_PER_ACCOUNT, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/services/admin/sessions.js';

test('sign-in: a wrong password and an unknown account get the same answer; the right one opens the dashboard', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = h.client();
  const wrong = await c.post('/admin/login', { email: OWNER.email, password: 'not-the-password-at-all' }, { csrfFrom: '/admin/login' });
  const unknown = await c.post('/admin/login', { email: 'niemand@deboon.example', password: 'not-the-password-at-all' }, { csrfFrom: '/admin/login' });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  const message = (body: string) => /<div class="alert" role="alert"><p>([^<]*)<\/p>/.exec(body)?.[1];
  assert.equal(message(wrong.body), message(unknown.body));
  assert.match(wrong.body, /value="eigenaar@deboon.example"/, 'the address is kept');
  assert.doesNotMatch(wrong.body, /not-the-password/, 'the password is not shown again');

  const ok = await c.post('/admin/login', { email: 'Eigenaar@DeBoon.example', password: OWNER.password }, { csrfFrom: '/admin/login' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin');
  const session = ok.cookies.find((x) => x.name === 'consentry_session') as { httpOnly?: boolean; sameSite?: string; path?: string; secure?: boolean };
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(session.path, '/admin');
  assert.notEqual(session.secure, true, 'not Secure on an http base URL');
  const dash = await c.get('/admin');
  assert.equal(dash.statusCode, 200);
  assert.match(dash.body, /eigenaar@deboon.example/);
  assert.equal(dash.headers['cache-control'], 'no-store');
});

test('the session cookie is Secure on an https base URL', async (t) => {
  const h = await adminHarness({ baseUrl: 'https://nieuws.deboon.example' });
  t.after(() => h.close());
  const c = h.client();
  const ok = await c.post('/admin/login', { email: OWNER.email, password: OWNER.password }, { csrfFrom: '/admin/login' });
  assert.equal((ok.cookies.find((x) => x.name === 'consentry_session') as { secure?: boolean }).secure, true);
});

test('sign-in attempts are limited per account (also an unknown one) and per IP address', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = h.client();
  const attempt = (email: string, password: string, ip = '192.0.2.1') =>
    c.post('/admin/login', { email, password }, { csrfFrom: '/admin/login', ip });
  for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) assert.equal((await attempt(OWNER.email, `wrong-password-${i}-xx`)).statusCode, 401);
  // Even the right password is refused now, from another address too.
  const blocked = await attempt(OWNER.email, OWNER.password, '192.0.2.99');
  assert.equal(blocked.statusCode, 429);
  assert.match(blocked.body, /Te veel mislukte pogingen|Too many failed attempts/);
  for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await attempt('niemand@deboon.example', `wrong-password-${i}-xx`, '192.0.2.50');
  assert.equal((await attempt('niemand@deboon.example', 'whatever-password', '192.0.2.51')).statusCode, 429, 'an unknown account is limited alike');
  // After the window the account may try again.
  h.clock.advance(16 * 60_000);
  assert.equal((await attempt(OWNER.email, OWNER.password)).statusCode, 303);

  // Per IP: many accounts from one address.
  await h.addUser('redacteur@deboon.example', 'editor');
  for (let i = 0; i < 20; i++) await attempt(`iemand${i}@deboon.example`, 'wrong-password-xx', '198.51.100.7');
  assert.equal((await attempt('redacteur@deboon.example', GOOD_PASSWORD, '198.51.100.7')).statusCode, 429);
  assert.equal((await attempt('redacteur@deboon.example', GOOD_PASSWORD, '198.51.100.8')).statusCode, 303);
});

test('an expired session goes to the sign-in page and back to where the person was', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = await h.signIn();
  assert.equal((await c.get('/admin/contacts?purpose=tips')).statusCode, 200);
  h.clock.advance(SESSION_IDLE_MS + 1000);
  const res = await c.get('/admin/contacts?purpose=tips');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/admin/login?next=${encodeURIComponent('/admin/contacts?purpose=tips')}&expired=1`);
  const page = await c.get(res.headers.location as string);
  assert.match(page.body, /sessie is verlopen|session has expired/);
  const back = await c.post('/admin/login', { email: OWNER.email, password: OWNER.password, next: '/admin/contacts?purpose=tips', _csrf: csrfIn(page.body) });
  assert.equal(back.headers.location, '/admin/contacts?purpose=tips');
  // `next` never leads off the admin app.
  const evil = await h.client().post('/admin/login', { email: OWNER.email, password: OWNER.password, next: '//evil.example/admin' }, { csrfFrom: '/admin/login' });
  assert.equal(evil.headers.location, '/admin');
});

test('sessions: absolute expiry even when active; the id rotates at sign-in; sign out ends it', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = await h.signIn();
  for (let waited = 0; waited < SESSION_MAX_MS - 30 * 60_000; waited += 30 * 60_000) {
    h.clock.advance(30 * 60_000);
    assert.equal((await c.get('/admin')).statusCode, 200);
  }
  h.clock.advance(60 * 60_000);
  assert.equal((await c.get('/admin')).statusCode, 303, 'ended after the absolute maximum');

  const first = await h.signIn();
  const oldToken = first.cookies.get('consentry_session')!;
  const again = await first.post('/admin/login', { email: OWNER.email, password: OWNER.password }, { csrfFrom: '/admin/login' });
  assert.equal(again.statusCode, 303);
  const newToken = first.cookies.get('consentry_session')!;
  assert.notEqual(newToken, oldToken);
  const stale = h.client();
  stale.cookies.set('consentry_session', oldToken);
  assert.equal((await stale.get('/admin')).statusCode, 303, 'the old session id no longer works');

  const out = await first.post('/admin/logout');
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/admin/login');
  const reuse = h.client();
  reuse.cookies.set('consentry_session', newToken);
  assert.equal((await reuse.get('/admin')).statusCode, 303, 'signed out on the server, not only the cookie');
});

test('CSRF: a POST without or with a wrong token is 403 and changes nothing', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = await h.signIn();
  const none = await c.post('/admin/logout', {}, { noCsrf: true });
  assert.equal(none.statusCode, 403);
  const wrong = await c.post('/admin/logout', { _csrf: 'abc-def' });
  assert.equal(wrong.statusCode, 403);
  // A token of another session does not count either.
  const other = await h.signIn();
  const foreign = await c.post('/admin/logout', { _csrf: await other.csrf('/admin') });
  assert.equal(foreign.statusCode, 403);
  assert.equal((await c.get('/admin')).statusCode, 200, 'still signed in');
  // Sign-in itself needs a token too.
  const noToken = await h.client().post('/admin/login', { email: OWNER.email, password: OWNER.password }, { noCsrf: true });
  assert.equal(noToken.statusCode, 403);
});

test('roles: owner-only pages are 403 for others, and hidden from their navigation', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await h.addUser('kijker@deboon.example', 'viewer');
  const viewer = await h.signIn({ email: 'kijker@deboon.example', password: GOOD_PASSWORD });
  assert.equal((await viewer.get('/admin/users')).statusCode, 403);
  const dash = await viewer.get('/admin');
  assert.equal(dash.statusCode, 200);
  assert.doesNotMatch(dash.body, /href="\/admin\/users"/);
  const owner = await h.signIn();
  assert.equal((await owner.get('/admin/users')).statusCode, 200);
  assert.equal((await h.client().get('/admin/users')).statusCode, 303, 'signed out → sign-in page');
});

test('language: ?lang= and the switch (a POST) choose the admin language', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = await h.signIn();
  assert.match((await c.get('/admin')).body, /<html lang="nl">/);
  assert.match((await c.get('/admin?lang=en')).body, /<html lang="en">/);
  const sw = await c.post('/admin/language', { lang: 'en', back: '/admin/contacts' });
  assert.equal(sw.headers.location, '/admin/contacts');
  const page = await c.get('/admin/contacts');
  assert.match(page.body, /<html lang="en">/);
  assert.match(page.body, /Users &amp; API keys/);
  assert.equal((await c.get('/admin/assets/admin.css')).headers['content-type'], 'text/css; charset=utf-8');
  assert.equal((await c.get('/admin/nope')).statusCode, 404);
});
