// End to end in a real browser with JavaScript disabled: sign up on the hosted form, confirm through the link
// in the outbox, then unsubscribe from everything. Checks the database at each step and saves a full-page
// screenshot of every page to test-artifacts/screenshots/. Skipped (with the reason) when Debian's chromium
// is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { counts, harness, lastConfirmPath, permissionStatus } from '../web/support.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium)`;
if (skip) console.log(`# browser test skipped: ${skip}`);

test('sign up, confirm and unsubscribe in Chromium without JavaScript', { skip, timeout: 120_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const h = await harness();
  t.after(() => h.close());
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  h.deps.baseUrl = base; // links in mail point at this server

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 800 }, locale: 'nl-NL' });
  const page: Page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  // Home and privacy notice.
  await page.goto(`${base}/`);
  await shot('home-nl');
  await page.goto(`${base}/privacy`);
  assert.match(await page.locator('h1').innerText(), /Privacyverklaring/);
  await shot('privacy-nl');

  // The form: a refused submission first (HTML validation is bypassed by typing an address the server refuses).
  await page.goto(`${base}/f/${h.formId}`);
  assert.equal(await page.locator('input[type=checkbox]').isChecked(), false, 'box is unticked');
  await shot('form-nl');
  await page.goto(`${base}/f/${h.formId}?lang=en`);
  await shot('form-en');
  await page.fill('#email', 'jan@voorbeeld.nl');
  await page.click('button[type=submit]');
  assert.match(await page.locator('#purposes-error').innerText(), /Tick at least one topic/);
  await shot('form-error-en');
  assert.equal((await counts(h.deps)).contacts, 0);

  // Language switch keeps the path.
  await page.click('nav.lang a[hreflang=nl]');
  assert.equal(new URL(page.url()).pathname, `/f/${h.formId}`);

  await page.fill('#email', 'jan@voorbeeld.nl');
  await page.fill('#firstName', 'Jan');
  await page.check('input[name=purposes][value=tips]');
  await page.click('button[type=submit]');
  assert.match(await page.locator('h1').innerText(), /Kijk in uw mailbox/);
  await shot('subscribed-nl');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending');

  // The confirmation link only shows a button.
  const confirmPath = await lastConfirmPath(h.outbox);
  await page.goto(`${base}${confirmPath}`);
  await shot('confirm-nl');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending', 'opening the link confirms nothing');
  await page.click('button[type=submit]');
  assert.match(await page.locator('h1').innerText(), /Aanmelding bevestigd/);
  await shot('confirmed-nl');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active');

  // Opening the link again says it was done already, with no button to press.
  await page.goto(`${base}${confirmPath}?lang=en`);
  assert.match(await page.locator('h1').innerText(), /Already done/);
  assert.equal(await page.locator('button[type=submit]').count(), 0);
  await shot('confirm-again-en');

  // Unsubscribe from everything.
  const contact = await h.deps.db.selectFrom('contacts').select('id').where('email', '=', 'jan@voorbeeld.nl').executeTakeFirstOrThrow();
  await page.goto(unsubscribeUrl(h.deps, contact.id, 'tips', null));
  await shot('unsubscribe-nl');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'active', 'opening the link changes nothing');
  await page.goto(`${unsubscribeUrl(h.deps, contact.id, 'tips', null)}?lang=en`);
  await shot('unsubscribe-en');
  await page.click('button:has-text("Unsubscribe from everything")');
  assert.match(await page.locator('h1').innerText(), /You have been unsubscribed/);
  await shot('unsubscribed-en');
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'withdrawn');
  const after = await h.deps.db.selectFrom('contacts').select('suppression').where('id', '=', contact.id).executeTakeFirstOrThrow();
  assert.equal(after.suppression, 'unsubscribed');

  // An error page.
  await page.goto(`${base}/confirm/not-a-token`);
  await shot('error-400-nl');
});
