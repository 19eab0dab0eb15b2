// The hosted form in its own look: the form's logo and accent colour (a stylesheet from our origin, the CSP kept
// strict), and after a sign-up a 303 to the form's https thank-you page when it has one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { browserSkip, CHROMIUM, CHROMIUM_ARGS } from '../support/browser.js';
import { getForm, updateForm } from '../../src/services/organisation/forms.js';
import { counts, form, FORM_HEADERS, harness, permissionStatus, type Harness } from './support.js';

const SHOTS = join(process.cwd(), 'test-artifacts', 'public');
const LOGO = 'https://cdn.deboon.example/logo.png';
const THANKS = 'https://deboon.example/bedankt?bron=formulier';

async function setAppearance(h: Harness, appearance: Record<string, string>): Promise<void> {
  const f = await getForm(h.deps, 'koffie');
  await updateForm(h.deps, 'koffie', {
    name: f.name,
    boxes: f.purposeIds.map((id) => ({ purposeIds: [id], preTicked: false, required: false })),
    doubleOptIn: true,
    texts: f.texts,
    appearance,
  });
}

const post = (h: Harness, fields: Record<string, string>, lang = 'nl') =>
  h.app.inject({ method: 'POST', url: `/f/koffie?lang=${lang}`, headers: FORM_HEADERS, payload: form(fields) });

test('the form page shows the form\'s logo and accent colour; the CSP allows only that logo\'s origin besides our own', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  const plain = await h.app.inject({ url: '/f/koffie' });
  assert.doesNotMatch(plain.body, /\/assets\/accent\//);
  assert.doesNotMatch(plain.body, /class="logo"/);
  assert.match(plain.headers['content-security-policy'] as string, /img-src 'self';/);

  await setAppearance(h, { logoUrl: LOGO, accentColour: '#C0392B' });
  for (const lang of ['nl', 'en']) {
    const page = await h.app.inject({ url: `/f/koffie?lang=${lang}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<link rel="stylesheet" href="\/assets\/accent\/c0392b.css">/);
    assert.match(page.body, /<img class="logo" src="https:\/\/cdn.deboon.example\/logo.png" alt="Koffiebranderij De Boon B.V.">/);
    assert.doesNotMatch(page.body, /style=|<style|<script>/, 'no inline style or script');
    const csp = page.headers['content-security-policy'] as string;
    assert.match(csp, /img-src 'self' https:\/\/cdn.deboon.example(;|$)/);
    assert.match(csp, /style-src 'self';/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /default-src 'none';/);
  }
  // A refused submission shows the form again in the same look.
  const bad = await post(h, { email: 'geen-adres', purposes: 'tips' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /\/assets\/accent\/c0392b.css/);
  assert.match(bad.body, /class="logo"/);

  const css = await h.app.inject({ url: '/assets/accent/c0392b.css' });
  assert.equal(css.statusCode, 200);
  assert.match(css.headers['content-type'] as string, /^text\/css/);
  assert.match(css.body, /--accent: #c0392b;/);
  assert.match(css.body, /--on-accent: #fff;/);
  assert.match((await h.app.inject({ url: '/assets/accent/ffee00.css' })).body, /--on-accent: #1c2733;/, 'dark text on a light accent');
  for (const bad of ['zzzzzz.css', 'C0392B.css', 'c0392b.css%3Bbody', 'c0392b', '1234567.css']) {
    assert.equal((await h.app.inject({ url: `/assets/accent/${bad}` })).statusCode, 404, bad);
  }
});

test('a logo URL with markup in it is escaped, and a stored colour that is not #rrggbb is never used', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await setAppearance(h, { logoUrl: 'https://cdn.deboon.example/l.png?a="onerror="alert(1)', accentColour: '#123456' });
  const page = await h.app.inject({ url: '/f/koffie' });
  assert.doesNotMatch(page.body, /"onerror="/);
  assert.match(page.body, /src="https:\/\/cdn.deboon.example\/l.png\?a=(&quot;|%22)onerror=(&quot;|%22)alert\(1\)"/);

  // Written around the service: the whole appearance is ignored, so nothing of it reaches the page.
  await h.deps.db.updateTable('forms').set({ appearance: JSON.stringify({ accentColour: 'red;}body{display:none', logoUrl: 'javascript:alert(1)' }) }).where('id', '=', 'koffie').execute();
  const forged = await h.app.inject({ url: '/f/koffie' });
  assert.equal(forged.statusCode, 200);
  assert.doesNotMatch(forged.body, /accent|javascript:|class="logo"/);
});

test('after a sign-up the form sends the person to its https thank-you page (303); without one our own page shows', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await setAppearance(h, { accentColour: '#0a7d3b' });
  const own = await post(h, { email: 'eerst@voorbeeld.nl', purposes: 'tips' }, 'en');
  assert.equal(own.statusCode, 200);
  assert.match(own.body, /Check your mailbox/);
  assert.match(own.body, /\/assets\/accent\/0a7d3b.css/, 'our own thank-you page in the form\'s colour');

  await setAppearance(h, { thankYouUrl: THANKS, accentColour: '#0a7d3b' });
  const before = await counts(h.deps);
  const res = await post(h, { email: 'jan@voorbeeld.nl', purposes: 'tips' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, THANKS);
  assert.equal(await permissionStatus(h.deps, 'jan@voorbeeld.nl'), 'pending', 'the sign-up was stored before the redirect');
  assert.equal((await counts(h.deps)).contacts, before.contacts + 1);

  const refused = await post(h, { email: '', purposes: 'tips' });
  assert.equal(refused.statusCode, 400, 'a refused sign-up stays on the form');
  assert.equal(refused.headers.location, undefined);
});

test('in a browser at 390 px: the form in its accent colour, nl and en (screenshots in test-artifacts/public)', { skip: browserSkip }, async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await setAppearance(h, { accentColour: '#8a2be2' });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false })).newPage();
  mkdirSync(SHOTS, { recursive: true });
  for (const lang of ['nl', 'en']) {
    await page.goto(`${base}/f/koffie?lang=${lang}`);
    const bg = await page.locator('button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(bg, 'rgb(138, 43, 226)', 'the button takes the accent colour');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await page.screenshot({ path: join(SHOTS, `form-accent-${lang}-390.png`), fullPage: true });
  }
});
