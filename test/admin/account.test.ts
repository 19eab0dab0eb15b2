// The account page: change one's own password (current one checked; all sessions end), sign out everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, GOOD_PASSWORD, OWNER } from '../support/admin.js';

test('account: own password change and sign out everywhere, for any role; CSRF and validation', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const viewer = await h.as('viewer');
  const elsewhere = await h.as('viewer');
  assert.equal((await viewer.get('/admin/account')).statusCode, 200);
  assert.equal((await viewer.post('/admin/account/password', { current: GOOD_PASSWORD, password: 'een-nieuw-wachtwoord' }, { noCsrf: true, csrfFrom: '/admin/account' })).statusCode, 403);
  const wrong = await viewer.post('/admin/account/password', { current: 'niet-het-wachtwoord', password: 'een-nieuw-wachtwoord' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /id="current-error">Het huidige wachtwoord klopt niet/);
  const short = await viewer.post('/admin/account/password', { current: GOOD_PASSWORD, password: 'kort' });
  assert.match(short.body, /id="password-error">Het wachtwoord moet minstens 12 tekens/);
  const ok = await viewer.post('/admin/account/password', { current: GOOD_PASSWORD, password: 'een-nieuw-wachtwoord' });
  assert.equal(ok.headers.location, '/admin/login');
  assert.equal((await elsewhere.get('/admin')).statusCode, 303, 'other sessions ended');
  await h.signIn({ email: 'viewer@deboon.example', password: 'een-nieuw-wachtwoord' });

  const one = await h.signIn();
  const two = await h.signIn({ email: OWNER.email, password: OWNER.password });
  const out = await one.post('/admin/account/sign-out-everywhere', {}, { csrfFrom: '/admin/account' });
  assert.equal(out.headers.location, '/admin/login');
  assert.equal((await two.get('/admin')).statusCode, 303);
  assert.equal((await one.get('/admin')).statusCode, 303);
});
