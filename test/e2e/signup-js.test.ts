// The sign-up form in Chromium with JavaScript on and off (issue 13 items 2 and 3): with JavaScript our own
// solver script answers the proof-of-work challenge and the sign-up goes through the ordinary path (the
// no-JavaScript path is closed in that test, so only a verified challenge gets through); without JavaScript
// the form still works. Saves 390 px screenshots of the changed pages in nl and en to test-artifacts/signup/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { listOutbox } from '../../src/mail/outbox.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { form, FORM_HEADERS, harness, lastConfirmPath, permissionStatus, type Harness } from '../web/support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'signup');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium)`;

let browser: Browser;
test.before(async () => {
  if (skip) return;
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
test.after(async () => browser?.close());

async function serve(h: Harness): Promise<string> {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  h.deps.baseUrl = base;
  return base;
}

const phone = (javaScriptEnabled: boolean): Promise<BrowserContext> =>
  browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 }, locale: 'nl-NL' });

test('with JavaScript the solver answers the challenge and the sign-up goes through', { skip, timeout: 120_000 }, async (t) => {
  const h = await harness({ signupLimits: { noJsPerIpPerHour: 0 } });
  t.after(() => h.close());
  const base = await serve(h);
  const context = await phone(true);
  t.after(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // CSP violations and script errors show as console errors; failed loads are judged by their response (the
  // browser's own favicon request is not ours to answer).
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${base}/f/koffie?lang=en`);
  await page.fill('#email', 'js@voorbeeld.nl');
  await page.check('input[name=purposes][value=tips]');
  // Pressed at once: the script holds the submission until its work is done.
  await page.click('button[type=submit]');
  await page.waitForURL(/\/f\/koffie/, { waitUntil: 'load' });
  assert.match(await page.locator('h1').innerText(), /Check your mailbox/);
  assert.deepEqual(errors, [], 'no CSP violation or script error');
  assert.equal(await permissionStatus(h.deps, 'js@voorbeeld.nl'), 'pending');
  assert.equal((await listOutbox(h.outbox)).length, 1);
  const spent = await h.deps.db.selectFrom('spent_challenges').select('digest').execute();
  assert.equal(spent.length, 1, 'the challenge was verified and spent');

  // The same client without JavaScript meets the (here closed) no-JavaScript path.
  const noJs = await phone(false);
  t.after(() => noJs.close());
  const p2 = await noJs.newPage();
  for (const lang of ['nl', 'en']) {
    await p2.goto(`${base}/f/koffie?lang=${lang}`);
    await p2.fill('#email', `nojs-${lang}@voorbeeld.nl`);
    await p2.check('input[name=purposes][value=tips]');
    await p2.click('button[type=submit]');
    assert.match(await p2.locator('h1').innerText(), lang === 'en' ? /Please wait a moment/ : /Even geduld/);
    await p2.screenshot({ path: join(SHOTS, `limited-${lang}.png`), fullPage: true });
  }
  assert.equal((await listOutbox(h.outbox)).length, 1);
});

test('without JavaScript the form works; screenshots of the changed pages at 390 px', { skip, timeout: 120_000 }, async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const base = await serve(h);
  const context = await phone(false);
  t.after(() => context.close());
  const page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  for (const lang of ['nl', 'en']) {
    await page.goto(`${base}/f/koffie?lang=${lang}`);
    const box = await page.locator('#website').boundingBox();
    assert.ok(box && box.x + box.width <= 0, 'the honeypot is off-screen');
    await shot(`form-${lang}`);
  }
  await page.goto(`${base}/f/koffie`);
  await page.fill('#email', 'jan@voorbeeld.nl');
  await page.check('input[name=purposes][value=tips]');
  await page.click('button[type=submit]');
  assert.match(await page.locator('h1').innerText(), /Kijk in uw mailbox/);
  await shot('subscribed-nl');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending');

  // Confirm, unsubscribe, then open the old link again: it says truthfully that nothing changed.
  const link = await lastConfirmPath(h.outbox);
  await page.goto(`${base}${link}`);
  await page.click('button[type=submit]');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active');
  const contact = await h.deps.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
  await h.app.inject({ method: 'POST', url: new URL(unsubscribeUrl(h.deps, contact.id, 'tips', null)).pathname, headers: FORM_HEADERS, payload: form({ scope: 'purpose' }) });
  for (const lang of ['nl', 'en']) {
    await page.goto(`${base}${link}?lang=${lang}`);
    assert.match(await page.locator('h1').innerText(), lang === 'en' ? /This link no longer works/ : /Deze link werkt niet meer/);
    assert.equal(await page.locator('button[type=submit]').count(), 0);
    await shot(`confirm-after-withdrawal-${lang}`);
  }
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'withdrawn');

  // The site-wide cap's page.
  const busy = await harness({ signupLimits: { perHour: 0 } });
  t.after(() => busy.close());
  const busyBase = await serve(busy);
  for (const lang of ['nl', 'en']) {
    await page.goto(`${busyBase}/f/koffie?lang=${lang}`);
    await page.fill('#email', 'druk@voorbeeld.nl');
    await page.check('input[name=purposes][value=tips]');
    await page.click('button[type=submit]');
    assert.match(await page.locator('main').innerText(), lang === 'en' ? /Nothing of yours has been stored/ : /Er is niets van u opgeslagen/);
    await shot(`busy-${lang}`);
  }
});
