// The second factor in Chromium with JavaScript off: turn it on from the account page with a code made here
// with otplib, see the recovery codes once, sign in with password and code; screenshots nl/en at 1280 and 390 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { OWNER } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';

test('TOTP in Chromium: turn on, recovery codes, sign in with the second step', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const b = await adminBrowser(t);
  const code = (secret: string) => generate({ secret, epoch: Math.floor(b.h.clock.now().getTime() / 1000) });

  const page = await b.signedIn();
  await b.shots(page, 'account-totp-setup', '/admin/account/totp');
  await page.goto('/admin/account?lang=nl');
  await Promise.all([page.waitForLoadState('load'), page.click('a[href="/admin/account/totp"]')]);
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(await page.locator('#totp-uri').innerText(), /^otpauth:\/\/totp\/Consentry:/);
  await page.fill('#code', await code(secret));
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/account/totp"] button[type=submit]')]);
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await b.shot(page, 'account-totp-codes');
  await b.shots(page, 'account-totp-on', '/admin/account');
  assert.match(await page.locator('#second-factor').innerText(), /10/);

  // A new browser: the password leads to the code page, not in.
  b.h.clock.advance(30_000);
  const other = await (await b.context()).newPage();
  await other.goto('/admin/contacts');
  await b.submitSignIn(other, OWNER);
  assert.equal(new URL(other.url()).pathname, '/admin/login/code');
  await b.shots(other, 'login-code', '/admin/login/code?next=%2Fadmin%2Fcontacts');
  await other.goto('/admin/login/code?next=%2Fadmin%2Fcontacts&lang=nl');
  await other.fill('#code', '000000' === (await code(secret)) ? '111111' : '000000');
  await Promise.all([other.waitForLoadState('load'), other.click('form[action="/admin/login/code"] button[type=submit]')]);
  assert.match(await other.locator('#code-error').innerText(), /klopt niet/);
  await b.shot(other, 'login-code-wrong');
  await other.fill('#code', await code(secret));
  await Promise.all([other.waitForLoadState('load'), other.click('form[action="/admin/login/code"] button[type=submit]')]);
  assert.equal(new URL(other.url()).pathname, '/admin/contacts');
});
