// The admin app in Chromium with JavaScript off: sign in, a viewer cannot change anything, the sign-in limit,
// a refused CSRF token, markup shown as text; screenshots of the pages in nl and en at 1280 and 390 px
// (test-artifacts/admin/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiKey, listKeys } from '../../src/services/organisation/api-keys.js';
import { listUsers } from '../../src/services/admin/users.js';
import { MAX_FAILURES_PER_ACCOUNT } from '../../src/services/admin/sessions.js';
import { GOOD_PASSWORD, OWNER } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';

test('admin in Chromium: sign in, pages, viewer, CSRF, limit, escaping', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const b = await adminBrowser(t);
  await createApiKey(b.h.deps, '<script>alert(1)</script>"onmouseover="alert(2)', 'viewer');

  // Sign-in page, then a deep link that leads through sign-in and back.
  const anon = await (await b.context()).newPage();
  await anon.goto('/admin/users');
  assert.equal(new URL(anon.url()).pathname, '/admin/login');
  await b.shots(anon, 'login', '/admin/login');
  await anon.goto('/admin/users');
  await b.submitSignIn(anon, OWNER);
  assert.equal(new URL(anon.url()).pathname, '/admin/users');

  // The owner's pages.
  const page = await b.signedIn();
  assert.equal(new URL(page.url()).pathname, '/admin');
  await b.shots(page, 'dashboard', '/admin');
  await b.shots(page, 'users', '/admin/users');
  assert.equal(await page.locator('script').count(), 0, 'the name is text, not a script');
  assert.match(await page.locator('table').last().innerText(), /<script>alert\(1\)<\/script>"onmouseover="alert\(2\)/);

  // Add a user with a refused password first: the message is next to the field, the address kept.
  await page.goto('/admin/users');
  await page.fill('#email', 'kijker@deboon.example');
  await page.selectOption('#role', 'viewer');
  await page.fill('#password', 'kort');
  await page.click('form[action="/admin/users"] button[type=submit]');
  assert.match(await page.locator('#password-error').innerText(), /minstens 12 tekens/);
  assert.equal(await page.inputValue('#email'), 'kijker@deboon.example');
  await b.shot(page, 'users-error');
  await page.fill('#password', GOOD_PASSWORD);
  await page.click('form[action="/admin/users"] button[type=submit]');
  assert.match(await page.locator('.flash').innerText(), /toegevoegd/);
  const viewerId = (await listUsers(b.h.deps)).find((u) => u.email === 'kijker@deboon.example')!.id;
  await b.shots(page, 'user', `/admin/users/${viewerId}`);

  // A new key is shown once.
  await page.goto('/admin/users');
  await page.fill('#name', 'webshop');
  await page.click('form[action="/admin/api-keys"] button[type=submit]');
  assert.match(await page.locator('#new-key').innerText(), /^csk_/);
  await b.shot(page, 'key-created');

  // Revoking asks twice.
  const keyId = (await listKeys(b.h.deps)).find((k) => k.name === 'webshop')!.id;
  await page.goto('/admin/users');
  await page.click(`form[action="/admin/api-keys/${keyId}/revoke"] button`);
  await b.shot(page, 'key-revoke-confirm');
  assert.equal((await listKeys(b.h.deps)).find((k) => k.id === keyId)?.revokedAt, null);
  await page.click('button.danger');
  assert.notEqual((await listKeys(b.h.deps)).find((k) => k.id === keyId)?.revokedAt, null);

  // A phone-width page has the fold-out menu instead of the sidebar.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/admin/users');
  assert.equal(await page.locator('nav.side').isVisible(), false);
  await page.click('details.menu summary');
  assert.equal(await page.locator('details.menu a[href="/admin/users"]').isVisible(), true);
  await b.shot(page, 'menu-open');

  // A viewer sees no owner pages and cannot post an owner form (a stale form posted anyway: 403, nothing done).
  const viewer = await b.signedIn({ email: 'kijker@deboon.example', password: GOOD_PASSWORD });
  assert.equal(await viewer.locator('nav.side a[href="/admin/users"]').count(), 0);
  const forbidden = await viewer.goto('/admin/users');
  assert.equal(forbidden?.status(), 403);
  await b.shot(viewer, 'forbidden');
  await viewer.setContent(`<form method="post" action="${b.base}/admin/users"><input name="_csrf" value="x"><input name="email" value="x@deboon.example"><input name="role" value="owner"><input name="password" value="${GOOD_PASSWORD}"><button>go</button></form>`);
  const [refused] = await Promise.all([viewer.waitForNavigation(), viewer.click('button')]);
  assert.equal(refused?.status(), 403);
  assert.equal((await listUsers(b.h.deps)).some((u) => u.email === 'x@deboon.example'), false);

  // CSRF: the owner's own session posting with a forged token is refused and changes nothing.
  const forged = await page.request.post('/admin/users', { form: { _csrf: 'forged', email: 'csrf@deboon.example', role: 'viewer', password: GOOD_PASSWORD } });
  assert.equal(forged.status(), 403);
  assert.equal((await listUsers(b.h.deps)).some((u) => u.email === 'csrf@deboon.example'), false);

  // The sign-in limit.
  const limited = await (await b.context()).newPage();
  await limited.goto('/admin/login');
  for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await b.submitSignIn(limited, { email: 'kijker@deboon.example', password: `fout-wachtwoord-${i}` });
  assert.match(await limited.locator('.alert').innerText(), /e-mailadres of het wachtwoord klopt niet/);
  await b.submitSignIn(limited, { email: 'kijker@deboon.example', password: GOOD_PASSWORD });
  assert.match(await limited.locator('.alert').innerText(), /Te veel mislukte pogingen/);
  assert.equal(new URL(limited.url()).pathname, '/admin/login');
  await b.shot(limited, 'login-limited');
});
