// The mail content pages in Chromium with JavaScript off: a welcome mail typed on the purpose page and previewed
// in its frame before saving (the width switched without a reload), the campaign editor's preview of unsaved text,
// a logo uploaded on the Organisation page, the item of a download purpose; screenshots of these page parts in nl
// and en at 1280 and 390 px (test-artifacts/admin/content-*.png), and no page wider than the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ADMIN_SHOTS, adminBrowser, browserSkip } from '../support/browser.js';
import { createCampaign } from '../../src/services/campaigns/campaigns.js';
import { purposeMail } from '../../src/services/consent/welcome.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { campaignById } from '../../src/store/campaigns.js';
import { getOrganisation } from '../../src/store/settings.js';

/** A solid 240×64 PNG in the given colour: a logo that shows in a screenshot. */
function solidPng(r: number, g: number, b: number, width = 240, height = 64): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

const submit = (page: Page, selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);

test('mail content pages in Chromium without JavaScript: welcome mail and campaign previewed unsaved, logo upload, item; nl and en at 1280 and 390 px', { skip: browserSkip, timeout: 240_000 }, async (t) => {
  const b = await adminBrowser(t);
  const h = b.h;
  await createPurpose(h.deps, {
    id: 'ebook', name_nl: 'Koffiegids', name_en: 'Coffee guide', description_nl: 'Onze gids over zetten.', description_en: 'Our guide to brewing.',
    category: 'service', bases: ['A6-1-b'], doubleOptIn: true,
  });
  const page = await b.signedIn();

  // The welcome mail: typed, previewed in the frame without saving or leaving the page, then saved.
  await page.goto('/admin/purposes/tips');
  await page.fill('#subject_nl', 'Welkom bij de koffietips');
  await page.fill('#body_nl', '# Fijn dat u er bent\n\nHallo {{ first_name | default: "lezer" }}, elke maand **één tip** over zetten.\n\n- bonen vers malen\n- water net niet koken');
  await page.click('#welcome-nl button[formtarget="welcome-preview"]');
  const welcomeFrame = page.frameLocator('iframe[name="welcome-preview"]');
  await welcomeFrame.locator('h1', { hasText: 'Fijn dat u er bent' }).waitFor();
  assert.match((await welcomeFrame.locator('body').textContent())!, /Hallo lezer, elke maand één tip/);
  assert.equal(new URL(page.url()).pathname, '/admin/purposes/tips', 'the page stays');
  assert.equal(await page.inputValue('#subject_nl'), 'Welkom bij de koffietips', 'what was typed stays');
  assert.deepEqual((await purposeMail(h.deps, 'tips')).welcome, {}, 'a preview stores nothing');
  const frameWidth = async (name: string) => (await page.locator(`iframe[name="${name}"]`).boundingBox())!.width;
  assert.equal(await frameWidth('welcome-preview'), 800);
  await page.check('#welcome-width-phone');
  assert.equal(await frameWidth('welcome-preview'), 390, 'the width switches without a reload');
  await welcomeFrame.locator('h1', { hasText: 'Fijn dat u er bent' }).waitFor();
  await page.locator('#welcome .preview-frame').screenshot({ path: join(ADMIN_SHOTS, 'content-welcome-draft-preview-nl-390.png') });
  await submit(page, '#welcome-nl button[type=submit]:not([formaction])');
  assert.equal(await page.locator('.flash').textContent(), 'De welkomstmail is opgeslagen.');
  assert.equal((await purposeMail(h.deps, 'tips')).welcome.nl?.subject, 'Welkom bij de koffietips');
  // A refused text: the reason next to the field, the text kept.
  await page.fill('#subject_en', 'Welcome');
  await page.fill('#body_en', 'Hello {{ frist_name }}');
  await submit(page, '#welcome-en button[type=submit]:not([formaction])');
  assert.match(await page.locator('#body_en-error').innerText(), /De variabele frist_name bestaat niet/);
  assert.equal(await page.inputValue('#body_en'), 'Hello {{ frist_name }}');
  await b.shot(page, 'content-welcome-error');

  // The campaign editor shows the text being typed, not the saved one, and saves nothing.
  const c = await createCampaign(h.deps, { name: 'Oktober', purposeId: 'tips', subject: 'Oogst', body: '# Opgeslagen kop', format: 'markdown' });
  await page.goto(`/admin/campaigns/${c.id}/edit`);
  await page.fill('#body', '# Nog niet opgeslagen\n\nNieuwe **oogst** uit Huila.');
  await page.click('button[formtarget="campaign-preview"]');
  await page.frameLocator('iframe[name="campaign-preview"]').locator('h1', { hasText: 'Nog niet opgeslagen' }).waitFor();
  assert.equal((await campaignById(h.deps.db, c.id))!.body, '# Opgeslagen kop');
  assert.equal(await page.inputValue('#body'), '# Nog niet opgeslagen\n\nNieuwe **oogst** uit Huila.');
  await page.check('#width-phone');
  assert.equal(await frameWidth('campaign-preview'), 390);
  await page.locator('.preview-frame').screenshot({ path: join(ADMIN_SHOTS, 'content-campaign-draft-preview-nl-390.png') });

  // A logo uploaded on the Organisation page, with an accent colour.
  await page.goto('/admin/organisation');
  await page.setInputFiles('#logoFile', { name: 'logo-de-boon.png', mimeType: 'image/png', buffer: solidPng(0x6b, 0x3e, 0x26) });
  await page.fill('#accentColour', '#8a4b2a');
  await submit(page, '#branding button[type=submit]');
  assert.equal(await page.locator('.flash').count(), 1);
  const org = (await getOrganisation(h.deps.db))!;
  assert.match(org.logoUrl ?? '', /\/media\/[0-9a-f]{24}\/logo-de-boon\.png$/);
  assert.equal(org.accentColour, '#8a4b2a');

  // The download purpose's item: a PDF uploaded on the Media page, then chosen.
  await page.goto('/admin/media');
  await page.setInputFiles('#file', { name: 'koffiegids.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await submit(page, 'form[action="/admin/media"] button[type=submit]');
  await page.goto('/admin/purposes/ebook');
  await page.selectOption('#item', { label: (await page.locator('#item option', { hasText: 'koffiegids.pdf' }).textContent())! });
  await submit(page, '#delivered-item button[type=submit]');
  assert.match((await purposeMail(h.deps, 'ebook')).itemUrl ?? '', /\/koffiegids\.pdf$/);

  for (const [name, path, part] of [
    ['content-welcome', '/admin/purposes/tips', '#welcome'],
    ['content-item', '/admin/purposes/ebook', '#delivered-item'],
    ['content-branding', '/admin/organisation', '#branding'],
    ['content-campaign-form', `/admin/campaigns/${c.id}/edit`, 'section[aria-labelledby="content"]'],
  ] as const) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const lang of ['nl', 'en']) {
        await page.goto(`${path}?lang=${lang}`);
        await page.locator(part).screenshot({ path: join(ADMIN_SHOTS, `${name}-${lang}-${width}.png`) });
        if (name === 'content-welcome') {
          await page.frameLocator('iframe[name="welcome-preview"]').locator('h1').waitFor();
          await page.locator('#welcome .preview-frame').screenshot({ path: join(ADMIN_SHOTS, `${name}-preview-${lang}-${width}.png`) });
        }
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `${name} ${lang} is ${wide}px wide at ${width}`);
      }
    }
  }
});
