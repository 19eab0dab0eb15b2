// The HTML mails in Chromium at a phone's width (390 px) and a desktop's (800 px): a Markdown campaign, the
// double opt-in mail and a welcome mail, with the organisation's logo and accent colour. Fails when a mail
// scrolls sideways on the phone; keeps screenshots in test-artifacts/mail/. Skipped when Debian's chromium is
// not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { compileCampaign, composeCompiled } from '../../src/mail/compile.js';
import { composeConfirmationMessage } from '../../src/mail/compose.js';
import type { Organisation } from '../../src/core/organisation.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-artifacts', 'mail');
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} does not exist (apt-get install chromium)`;
const TOKEN = 'eyJ2IjoxLCJzdWIiOiI0ZjFjMmQ5ZS1hNjE4LTRlNzctOTM1Yi1mOWQ1ZTg3YjEwMmEiLCJwdXIiOiJ0aXBzLHByb2VmcGFra2V0dGVuIiwidHlwIjoiY29uZmlybSIsImV4cCI6MTc2NjQwMDAwMDAwMH0.Qm9ndXMtc2lnbmF0dXJlLWZvci1hLWxvbmctY29uZmlybWF0aW9uLWxpbmstMTIzNDU2Nzg5MA';

const CAMPAIGN = `# De nieuwe oogst uit Ethiopië is binnen

Beste {{ first_name | default: "koffieliefhebber" }},

Deze maand branden we een **Yirgacheffe** van de coöperatie in Konga: licht gebrand, met tonen van *bergamot*, jasmijn en rijpe perzik.

![Verse bonen](IMG)

## Wat u deze maand krijgt

- 250 gram Yirgacheffe, op de dag van verzending gebrand
- een zetkaart voor filter en espresso
- 10% korting op een tweede zak

[Bestel de oogstbox](https://deboon.example/shop/oogstbox-ethiopie-yirgacheffe-konga-2026?utm_source=nieuwsbrief&utm_medium=email&utm_campaign=oogst-november-2026)

> "De beste filterkoffie die ik dit jaar dronk." — Marieke, Utrecht

Meer over de boeren: https://deboon.example/verhalen/konga-cooperatie-ethiopie-yirgacheffe-bezoek-2026-reisverslag-en-fotos

Hartelijke groet,
Team De Boon`;

const WELCOME = `# Welkom bij Koffietips!

Fijn dat u erbij bent, {{ first_name | default: "koffieliefhebber" }}. Eén keer per maand krijgt u van ons:

1. een zettip van onze baristas,
2. het verhaal achter een boon,
3. als eerste onze nieuwe oogsten.

Alvast een tip: maal vlak voor het zetten, en gebruik water van 92–96 °C.`;

/** A loopback server for the logo and the photo (mail images load over the network). */
async function imageServer(browser: Browser): Promise<{ server: Server; base: string }> {
  const page = await browser.newPage({ viewport: { width: 600, height: 300 } });
  await page.setContent(`<div id="logo" style="display:inline-flex;align-items:center;gap:10px;padding:4px 2px;font:bold 30px Georgia,serif;color:#7c2d12">
    <span style="display:inline-block;width:38px;height:38px;border-radius:50%;background:#7c2d12;box-shadow:inset -9px 0 0 #9a3412"></span>De Boon</div>
    <div id="photo" style="width:536px;height:260px;background:linear-gradient(135deg,#451a03,#9a3412 45%,#f59e0b);display:flex;align-items:flex-end;padding:16px;box-sizing:border-box;font:bold 26px Georgia,serif;color:#fff7ed">Yirgacheffe · Konga</div>`);
  const logo = await page.locator('#logo').screenshot({ omitBackground: true });
  const photo = await page.locator('#photo').screenshot();
  await page.close();
  const server = createServer((req, res) => {
    const body = req.url === '/media/logo.png' ? logo : req.url === '/media/bonen.png' ? photo : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'image/png' }).end(body ?? undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/media/` };
}

test('campaign, confirmation and welcome mail fit a 390 px phone and an 800 px window', { skip, timeout: 120_000 }, async (t) => {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  const images = await imageServer(browser);
  t.after(() => images.server.close());
  const org: Organisation = {
    name: 'Koffiebranderij De Boon B.V.',
    postalAddress: 'Kerkstraat 1\n3511 AB Utrecht',
    replyTo: 'info@deboon.example',
    fromAddress: 'nieuws@deboon.example',
    fromName: 'De Boon',
    chamberOfCommerce: '12345678',
    website: 'https://deboon.example',
    logoUrl: `${images.base}logo.png`,
    accentColour: '#9a3412',
  };
  const links = { privacy: 'https://deboon.example/privacy', manage: 'https://deboon.example/manage' };
  const per = { contact: { email: 'anna@voorbeeld.nl', firstName: 'Anna', lastName: null }, unsubscribe: `https://deboon.example/u/${TOKEN}`, messageId: 'm@deboon.example', envelopeFrom: 'b@deboon.example', listId: 'tips.deboon.example' };
  const compiled = (body: string) => compileCampaign({ org, language: 'nl', format: 'markdown', subject: 'Nieuws', body, purposeName: 'Koffietips', links, httpImagesFrom: images.base });
  const mails = {
    campaign: composeCompiled(compiled(CAMPAIGN.replace('IMG', `${images.base}bonen.png`)), per).html,
    confirmation: composeConfirmationMessage({
      org, language: 'nl', email: 'anna@voorbeeld.nl', purposeNames: ['Koffietips', 'Proefpakketten'],
      confirmUrl: `https://deboon.example/confirm/${TOKEN}`, privacyUrl: links.privacy, messageId: 'c@deboon.example', envelopeFrom: 'b@deboon.example',
    }).html,
    // A requested item alone: the mail asks to confirm the address, not a subscription (SCENARIOS A3).
    'confirmation-item': composeConfirmationMessage({
      org, language: 'nl', email: 'anna@voorbeeld.nl', purposeNames: [], itemName: 'Koffiegids: beter zetten in tien stappen (e-book)',
      confirmUrl: `https://deboon.example/confirm/${TOKEN}`, privacyUrl: links.privacy, messageId: 'c@deboon.example', envelopeFrom: 'b@deboon.example',
    }).html,
    welcome: composeCompiled(compiled(WELCOME), per).html,
  };
  for (const [name, html] of Object.entries(mails)) {
    for (const width of [390, 800]) {
      const page = await browser.newPage({ viewport: { width, height: 844 }, deviceScaleFactor: 1 });
      await page.setContent(html, { waitUntil: 'load' });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      assert.ok(scroll <= width, `${name} at ${width} px scrolls sideways: ${scroll} px wide`);
      if (width === 800) {
        const column = await page.evaluate(() => Math.max(...[...document.querySelectorAll('table')].map((t) => t.getBoundingClientRect().width).filter((w) => w < 800)));
        assert.ok(column <= 600, `${name}: the column is ${column} px wide`);
      }
      await page.close();
    }
  }
});
