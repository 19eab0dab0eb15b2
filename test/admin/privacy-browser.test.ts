// The Privacy pages in Chromium with JavaScript off, as the privacy officer: the notice's missing items, the
// editor saving a draft and publishing it, a request registered (first with a wrong date) and extended, the
// retention dry run; no page scrolls sideways at 390 px; screenshots nl/en at 1280 and 390 px
// (test-artifacts/admin/privacy-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addContact } from '../../src/services/consent/relationships.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { noticeStatus } from '../../src/services/organisation/notice-admin.js';
import { addRequest, listRequestViews } from '../../src/services/rights/requests.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { GOOD_PASSWORD } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';

const DAY = 86_400_000;

/** Every width of the page fits the viewport (nothing to scroll sideways). */
async function fits(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 900 });
  await page.goto(path);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll <= client, `${path} scrolls sideways at 390 px (${scroll} > ${client})`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('privacy pages in Chromium: notice, editor and publish, requests, record, retention', { skip: browserSkip, timeout: 180_000 }, async (t) => {
  const b = await adminBrowser(t);
  const { deps, clock } = b.h;
  // Data for every list: a contact from a third party (art. 14 missing), an old unconfirmed sign-up (to erase),
  // another one with an open request (held), an overdue request.
  await addContact(deps, { email: 'derde@example.nl', source: 'third_party', sourceRef: 'Beurslijst <script>alert(1)</script>' });
  clock.set(new Date(clock.now().getTime() - 40 * DAY));
  for (const email of ['oud@example.nl', 'vast@example.nl'])
    await subscribe(deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  await addRequest(deps, { kind: 'erasure', channel: 'phone', requester: 'M. de Vries "onmouseover="x', contact: 'vast@example.nl' });
  clock.set(new Date(clock.now().getTime() + 40 * DAY));
  await b.h.addUser('fg@deboon.example', 'privacy_officer');
  const page = await b.signedIn({ email: 'fg@deboon.example', password: GOOD_PASSWORD });

  // The notice: what is missing, with where to fill it in.
  await page.goto('/admin/privacy');
  assert.match(await page.locator('table').first().innerText(), /14\(1\)\(d\)[\s\S]*14\(2\)\(f\)/);
  await b.shots(page, 'privacy-notice', '/admin/privacy');
  await page.click('a[href="/admin/privacy/notice/edit#categories_nl"]');
  assert.equal(new URL(page.url()).pathname, '/admin/privacy/notice/edit');
  await b.shots(page, 'privacy-notice-edit', '/admin/privacy/notice/edit');
  await page.goto('/admin/privacy/notice/edit');
  await page.fill('#categories_nl', 'Naam en e-mailadres');
  await page.fill('#categories_en', 'Name and e-mail address');
  await page.fill('#sources_nl', 'Bezoekerslijst van de beurs, niet openbaar');
  await page.fill('#sources_en', 'The fair’s visitor list, not public');
  await page.selectOption('#automated', 'described');
  await page.click('form[action="/admin/privacy/notice"] button[type=submit]');
  assert.match(await page.locator('#automated_nl-error').innerText(), /Vul dit veld in/);
  assert.equal(await page.inputValue('#sources_nl'), 'Bezoekerslijst van de beurs, niet openbaar', 'typed text kept');
  await b.shot(page, 'privacy-notice-edit-error');
  await page.selectOption('#automated', 'none');
  await page.click('form[action="/admin/privacy/notice"] button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/admin/privacy/notice/2');
  assert.match(await page.locator('.flash').innerText(), /concept/);
  await b.shots(page, 'privacy-notice-version', '/admin/privacy/notice/2');
  await page.goto('/admin/privacy/notice/2');
  await page.click('form[action="/admin/privacy/notice/2/publish"] button[type=submit]');
  assert.match(await page.locator('.flash').innerText(), /gepubliceerd/);
  assert.equal((await noticeStatus(deps)).published?.version, 2);

  // Requests: a wrong date shows next to the field; then registered and extended.
  await page.goto('/admin/privacy/requests');
  assert.match(await page.locator('.alert').innerText(), /1 verzoek te laat/);
  await page.selectOption('#kind', 'access');
  await page.selectOption('#channel', 'letter');
  await page.fill('#receivedAt', '2027-01-01');
  await page.fill('#contact', 'oud@example.nl');
  await page.click('form[action="/admin/privacy/requests"] button[type=submit]');
  assert.match(await page.locator('#receivedAt-error').innerText(), /toekomst/);
  assert.equal(await page.inputValue('#contact'), 'oud@example.nl');
  await b.shot(page, 'privacy-requests-error');
  await page.fill('#receivedAt', '2026-11-25');
  await page.click('form[action="/admin/privacy/requests"] button[type=submit]');
  assert.match(await page.locator('.flash').innerText(), /geregistreerd/);
  const path = new URL(page.url()).pathname;
  await page.fill('#reason', 'Veel verzoeken tegelijk');
  await page.click(`form[action="${path}/extend"] button[type=submit]`);
  assert.match(await page.locator('.flash').innerText(), /verlengd/);
  const extended = (await listRequestViews(deps, {})).find((r) => r.kind === 'access')!;
  assert.equal(extended.extensionMonths, 1);
  await b.shots(page, 'privacy-requests', '/admin/privacy/requests');
  assert.equal(await page.locator('script').count(), 0);
  assert.match(await page.locator('table').innerText(), /M\. de Vries "onmouseover="x/);
  await b.shots(page, 'privacy-request', path);

  // Record and retention.
  await b.shots(page, 'privacy-record', '/admin/privacy/record');
  await b.shots(page, 'privacy-retention', '/admin/privacy/retention');
  const held = (await contactByEmail(deps.db, 'vast@example.nl'))!;
  await page.goto('/admin/privacy/retention?lang=nl');
  assert.match(await page.locator('main').innerText(), /Vastgehouden voor een open verzoek[\s\S]*vast@example\.nl/);
  assert.equal(await page.locator(`a[href="/admin/contacts/${held.id}"]`).count(), 1);

  for (const p of ['/admin/privacy', '/admin/privacy/notice/edit', '/admin/privacy/notice/2', '/admin/privacy/requests', path, '/admin/privacy/record', '/admin/privacy/retention'])
    await fits(page, p);
});
