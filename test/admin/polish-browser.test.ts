// Screenshots (nl/en, 1280/390) of the pages that say codes in words and ask before they act: a contact's page
// with its deliveries, the action log, the erase question (a GET page of its own) and a purpose form with every
// field's error at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { addPurchase } from '../../src/services/consent/relationships.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { confirmedSubscriber } from '../campaigns/helpers.js';
import { LANG_COOKIE } from '../../src/web/admin/context.js';

test('words for codes, the question page and all errors at once, in Chromium', { skip: browserSkip, timeout: 120_000 }, async (t) => {
  const b = await adminBrowser(t);
  const id = await confirmedSubscriber(b.h.deps, 'anna@example.nl', 'Anna');
  await addPurchase(b.h.deps, id, { productCategory: 'koffie', date: '2026-11-01', optOut: 'terms_only' });
  const c = await createCampaign(b.h.deps, { name: 'Decembertips', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
  await startCampaign(b.h.deps, c.id);
  await drainQueue(b.h.deps, { campaignId: c.id });
  const page = await b.signedIn();

  await b.shots(page, 'polish-contact', `/admin/contacts/${id}`);
  await b.shots(page, 'polish-erase-ask', `/admin/contacts/${id}/erase`);
  await page.goto(`/admin/contacts/${id}`);
  await Promise.all([page.waitForLoadState('load'), page.click(`form[action="/admin/contacts/${id}/erase"] button`)]);
  assert.equal(new URL(page.url()).pathname, `/admin/contacts/${id}/erase`, 'the question is a page of its own');
  await Promise.all([page.waitForLoadState('load'), page.click('button.danger')]);
  assert.equal(new URL(page.url()).pathname, '/admin/contacts', 'erased, then redirected');
  await b.shots(page, 'polish-actions', '/admin/actions');

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const lang of ['nl', 'en']) {
      // The form posts without ?lang, so the language comes from its cookie.
      await page.context().addCookies([{ name: LANG_COOKIE, value: lang, url: b.base }]);
      await page.goto('/admin/purposes');
      await page.fill('#id', 'Fout Id');
      await page.fill('#name_nl', '');
      await page.fill('#name_en', '');
      await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/purposes"] button[type=submit]')]);
      assert.ok((await page.locator('.error-text').count()) >= 3, 'every field with its error');
      await b.shot(page, 'polish-purpose-errors');
    }
  }
});
