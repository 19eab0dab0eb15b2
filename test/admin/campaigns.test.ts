// The campaign writing pages: list, create and edit per role with CSRF, the content checks' reasons next to their
// fields, a non-draft refused, duplicate, delete asked twice, the preview (no token, no counted link, nothing
// changed) and the test send to the signed-in person's own address only; markup in names shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminHarness } from '../support/admin.js';
import { join } from 'node:path';
import { ADMIN_SHOTS, adminBrowser, browserSkip } from '../support/browser.js';
import { confirmedSubscriber } from '../campaigns/helpers.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { setClickCounting } from '../../src/services/campaigns/click-links.js';
import { campaignById, listCampaigns } from '../../src/store/campaigns.js';
import { readActionLog } from '../../src/services/admin/action-log.js';
import type { OutgoingMessage } from '../../src/mail/message.js';

const FIELDS = {
  name: 'Nieuwsbrief <script>alert(1)</script>',
  purposeId: 'tips',
  subject: 'Hallo {{ first_name | default: "lezer" }} "onmouseover="alert(1)',
  language: 'nl',
  format: 'markdown',
  body: '# Vers gebrand\n\nHallo {{ first_name }}, lees [onze tips](https://deboon.example/tips).',
  translationOf: '',
};

/** Keeps every message the app hands to the transport (it still goes to the harness's outbox). */
function recordMail(h: AdminHarness): OutgoingMessage[] {
  const sent: OutgoingMessage[] = [];
  const real = h.deps.mailer;
  h.deps.mailer = { send: (m) => (sent.push(m), real.send(m)), close: () => real.close() };
  return sent;
}

const countRows = async (h: AdminHarness, table: 'deliveries' | 'campaigns') =>
  Number((await h.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

test('campaigns: create per role with CSRF, the checks next to their fields, nothing stored on a refusal', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();

  assert.equal((await (await h.as('viewer')).get('/admin/campaigns/new')).statusCode, 403);
  await h.assertRefused(['viewer', 'privacy_officer'], '/admin/campaigns', FIELDS);
  assert.equal((await owner.post('/admin/campaigns', FIELDS, { noCsrf: true })).statusCode, 403);
  assert.equal(await countRows(h, 'campaigns'), 0, 'nothing created');

  const refusals: Array<[Partial<typeof FIELDS>, string, RegExp]> = [
    [{ name: '' }, 'name', /Vul dit veld in/],
    [{ body: 'Hallo {{ voornaam }}' }, 'body', /voornaam/],
    [{ body: 'Hallo {{ first_name ' }, 'body', /body/],
    [{ body: '![logo](http://deboon.example/logo.png)' }, 'body', /https/],
    [{ subject: 'Hallo {{ achternaam }}' }, 'subject', /achternaam/],
    [{ language: 'fr' }, 'language', /nl or en/],
    [{ format: 'html' }, 'format', /markdown or text/],
    [{ purposeId: 'nope' }, 'purposeId', /Dit doel bestaat niet/],
  ];
  for (const [change, fieldName, message] of refusals) {
    const res = await owner.post('/admin/campaigns', { ...FIELDS, ...change });
    assert.equal(res.statusCode, 400, `${fieldName}: ${res.body.slice(0, 200)}`);
    const error = new RegExp(`id="${fieldName}-error">([^<]*)<`).exec(res.body);
    assert.ok(error, `an error next to ${fieldName}`);
    assert.match(error[1]!, message);
    if (change.name === undefined) assert.match(res.body, /value="Nieuwsbrief &lt;script&gt;alert\(1\)&lt;\/script&gt;"/, 'the typed name is kept, as text');
  }
  assert.equal(await countRows(h, 'campaigns'), 0, 'nothing stored');

  const editor = await h.as('editor');
  const created = await editor.post('/admin/campaigns', FIELDS);
  assert.equal(created.statusCode, 303, created.body);
  const [c] = await listCampaigns(h.deps.db);
  assert.equal(created.headers.location, `/admin/campaigns/${c!.id}/edit`);
  assert.equal(c!.format, 'markdown');
  assert.equal(c!.status, 'draft');

  for (const role of ['viewer', 'editor'] as const) {
    const list = await (await h.as(role)).get('/admin/campaigns');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /<script>alert/);
    assert.match(list.body, /Nieuwsbrief &lt;script&gt;/);
    assert.match(list.body, new RegExp(`href="/admin/campaigns/${c!.id}"`));
    assert.equal(/href="\/admin\/campaigns\/new"/.test(list.body), role === 'editor', `${role}: the "new" link`);
  }
  const page = await editor.get(`/admin/campaigns/${c!.id}/edit`);
  assert.match(page.body, /De campagne is aangemaakt als concept/);
  assert.doesNotMatch(page.body, /<script>alert|"onmouseover="alert/);
  assert.match(page.body, /&quot;onmouseover=&quot;alert\(1\)/);
  const viewerPage = await (await h.as('viewer')).get(`/admin/campaigns/${c!.id}/edit`);
  assert.equal(viewerPage.statusCode, 200);
  assert.doesNotMatch(viewerPage.body, /method="post" action="\/admin\/campaigns\//, 'a viewer gets no form');
});

test('campaigns: edit while a draft, a non-draft refused with the reason; duplicate; delete asked twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const c = await createCampaign(h.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.', format: 'markdown' });
  const edit = `/admin/campaigns/${c.id}/edit`;

  await h.assertRefused(['viewer', 'privacy_officer'], edit, { ...FIELDS, subject: 'Gewijzigd' });
  assert.equal((await owner.post(edit, { ...FIELDS, subject: 'Gewijzigd' }, { noCsrf: true })).statusCode, 403);
  assert.equal((await campaignById(h.deps.db, c.id))!.subject, 'Hallo');
  const bad = await owner.post(`${edit}?lang=en`, { ...FIELDS, body: 'Hi {{ frist_name }}' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="body-error">[^<]*frist_name/);
  assert.match(bad.body, /Hi \{\{ frist_name \}\}<\/textarea>/, 'the typed body is kept');
  assert.equal((await campaignById(h.deps.db, c.id))!.body, 'Vers gebrand.');
  const saved = await owner.post(edit, { ...FIELDS, name: 'Nov', subject: 'Gewijzigd' });
  assert.equal(saved.statusCode, 303, saved.body);
  assert.equal((await campaignById(h.deps.db, c.id))!.subject, 'Gewijzigd');
  const code = '    een codeblok\n\nVers gebrand.\n';
  assert.equal((await owner.post(edit, { ...FIELDS, name: 'Nov', subject: 'Gewijzigd', body: code })).statusCode, 303);
  assert.equal((await campaignById(h.deps.db, c.id))!.body, code, 'the body is stored as typed (leading spaces are Markdown)');
  assert.match((await owner.post(edit, { ...FIELDS, body: ' \n ' })).body, /id="body-error">Vul dit veld in/);

  // The checks' warnings show on the editor (here: third-party content, which only consent for it covers).
  const third = await createCampaign(h.deps, { name: 'Partner', purposeId: 'tips', subject: 'Aanbod', body: 'x', thirdParty: true });
  assert.match((await owner.get(`/admin/campaigns/${third.id}/edit?lang=en`)).body, /class="warning" role="status"><p>The campaign can go as it is, but look at this first:<\/p><ul><li>[^<]+<span class="muted">\[Tw 11.7\(1\)/);

  // Duplicate: a new draft, opened in the editor.
  await h.assertRefused(['viewer'], `/admin/campaigns/${c.id}/duplicate`, {});
  const dup = await owner.post(`/admin/campaigns/${c.id}/duplicate`);
  assert.equal(dup.statusCode, 303);
  const copy = (await listCampaigns(h.deps.db)).find((x) => x.name === 'Nov (copy)')!;
  assert.equal(dup.headers.location, `/admin/campaigns/${copy.id}/edit`);
  assert.equal(copy.subject, 'Gewijzigd');

  // Once it is sending: the page says why, the save is refused and nothing changes.
  await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  await startCampaign(h.deps, c.id);
  const shown = await owner.get(`${edit}?lang=en`);
  assert.match(shown.body, /no longer a draft \(status: sending\)/);
  assert.doesNotMatch(shown.body, new RegExp(`method="post" action="${edit}"`));
  const refused = await owner.post(`${edit}?lang=en`, { ...FIELDS, subject: 'Te laat' });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /Only a draft can be changed or deleted/);
  assert.equal((await campaignById(h.deps.db, c.id))!.subject, 'Gewijzigd');
  const notDeleted = await owner.post(`/admin/campaigns/${c.id}/delete`, { confirm: 'yes' });
  assert.equal(notDeleted.statusCode, 409);
  assert.ok(await campaignById(h.deps.db, c.id));

  // Delete the copy: asked twice.
  await h.assertRefused(['viewer', 'privacy_officer'], `/admin/campaigns/${copy.id}/delete`, { confirm: 'yes' });
  const ask = await owner.get(`/admin/campaigns/${copy.id}/delete`);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.ok(await campaignById(h.deps.db, copy.id), 'asking deletes nothing');
  const gone = await owner.post(`/admin/campaigns/${copy.id}/delete`, { confirm: 'yes' });
  assert.equal(gone.statusCode, 303);
  assert.equal(gone.headers.location, '/admin/campaigns');
  assert.equal(await campaignById(h.deps.db, copy.id), undefined);
});

test('campaigns: the preview shows the mail for a chosen contact without a token or a counted link, and changes nothing', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await setClickCounting(h.deps, 'tips', true);
  const anna = await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  await confirmedSubscriber(h.deps, 'bert@example.nl');
  const c = await createCampaign(h.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'Hallo {{ first_name }}, lees [onze tips](https://deboon.example/tips).', format: 'markdown' });
  const viewer = await h.as('viewer');
  const before = { deliveries: await countRows(h, 'deliveries'), campaign: await campaignById(h.deps.db, c.id) };

  const page = await viewer.get(`/admin/campaigns/${c.id}/edit?width=phone`);
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-security-policy'] as string, /frame-src 'self'/);
  assert.match(page.body, /<iframe name="campaign-preview" src="\/admin\/campaigns\/[^"]+\/preview.html\?contact=[^"]+" class="phone" sandbox /);
  assert.match(page.body, /a\*\*\*@example.nl/, 'the chooser shows masked addresses');
  assert.match(page.body, /first_name: 1 ontvanger, bijvoorbeeld/, 'the missing-variables report');
  assert.match(page.body, /b\*\*\*@example.nl<\/a>/);

  const preview = await viewer.get(`/admin/campaigns/${c.id}/preview.html?contact=${anna}`);
  assert.equal(preview.statusCode, 200);
  assert.match(preview.headers['content-type'] as string, /text\/html/);
  const csp = preview.headers['content-security-policy'] as string;
  assert.match(csp, /sandbox/);
  assert.match(csp, /frame-ancestors 'self'/);
  assert.doesNotMatch(csp, /script-src/);
  assert.match(preview.body, /Hallo Anna,/);
  assert.match(preview.body, /href="https:\/\/deboon.example\/tips"/, 'the link as written, not counted');
  assert.doesNotMatch(preview.body, /\/r\//);
  assert.match(preview.body, /\/u\/test-message-no-real-link/);
  assert.doesNotMatch(preview.body, /\/u\/[A-Za-z0-9_-]{40,}/, 'no signed unsubscribe token');
  assert.equal(await countRows(h, 'deliveries'), before.deliveries);
  assert.deepEqual(await campaignById(h.deps.db, c.id), before.campaign);
  assert.equal((await viewer.get(`/admin/campaigns/${c.id}/preview.html?contact=nobody`)).statusCode, 404);
});

test('campaigns: "Preview this text" shows the unsaved form in the frame; editors only, with CSRF; stores and logs nothing', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const anna = await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  const c = await createCampaign(h.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo', body: 'De opgeslagen tekst.', format: 'markdown' });
  const path = `/admin/campaigns/${c.id}/preview`;
  const draft = { ...FIELDS, name: 'Nov', subject: 'Nieuw onderwerp', body: '# Nog niet opgeslagen\n\nHallo {{ first_name }}.', contact: anna };
  const editor = await h.as('editor');
  const page = await editor.get(`/admin/campaigns/${c.id}/edit`);
  assert.match(page.body, new RegExp(`<button type="submit" class="secondary" formaction="${path}" formtarget="campaign-preview">Voorbeeld van deze tekst</button>`));
  assert.match(page.body, /<iframe name="campaign-preview" src=/);
  const before = { campaign: await campaignById(h.deps.db, c.id), log: (await readActionLog(h.deps)).entries.length };

  await h.assertRefused(['viewer', 'privacy_officer'], path, draft);
  assert.equal((await editor.post(path, draft, { noCsrf: true })).statusCode, 403);
  const res = await editor.post(path, draft);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'self'; sandbox/);
  assert.match(res.body, /<h1[^>]*>Nog niet opgeslagen<\/h1>/);
  assert.match(res.body, /Hallo Anna\./, 'for the chosen contact');
  assert.doesNotMatch(res.body, /De opgeslagen tekst/);
  assert.match(res.body, /\/u\/test-message-no-real-link/);
  const wrong = await editor.post(`${path}?lang=en`, { ...draft, body: 'Hallo {{ frist_name }}' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /The preview cannot be made: The variable frist_name does not exist/);
  assert.match(wrong.body, /frist_name/);
  const text = await editor.post(path, { ...draft, format: 'text', body: '# geen kop' });
  assert.match(text.body, /# geen kop/, 'the format as chosen in the form');
  assert.equal((await editor.get(path)).statusCode, 404, 'no GET');

  assert.deepEqual(await campaignById(h.deps.db, c.id), before.campaign, 'nothing stored');
  assert.equal((await readActionLog(h.deps)).entries.length, before.log, 'a preview is not an action');
});

test('campaigns: a test goes only to the signed-in person, marked, uncounted; per role and with CSRF', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const sent = recordMail(h);
  const anna = await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  sent.length = 0;
  const c = await createCampaign(h.deps, { name: 'Nov', purposeId: 'tips', subject: 'Hallo {{ first_name }}', body: 'Vers gebrand voor {{ email }}.', format: 'markdown' });
  const path = `/admin/campaigns/${c.id}/test`;

  await h.assertRefused(['viewer', 'privacy_officer'], path, { contact: anna });
  const editor = await h.as('editor');
  assert.equal((await editor.post(path, { contact: anna }, { noCsrf: true })).statusCode, 403);
  assert.equal(sent.length, 0);

  const res = await editor.post(path, { contact: anna });
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location, `/admin/campaigns/${c.id}/edit?contact=${anna}`);
  assert.equal(sent.length, 1);
  const m = sent[0]!;
  assert.equal(m.to, 'editor@deboon.example');
  assert.equal(m.subject, '[TEST] Hallo Anna');
  assert.match(m.text, /Vers gebrand voor anna@example.nl/);
  assert.equal(m.headers['X-Consentry-Test'], 'yes');
  assert.match(m.headers['List-Unsubscribe']!, /\/u\/test-message-no-real-link>$/);
  assert.equal(await countRows(h, 'deliveries'), 0, 'no delivery row');
  assert.equal((await campaignById(h.deps.db, c.id))!.status, 'draft');
  assert.match((await editor.get(`/admin/campaigns/${c.id}/edit`)).body, /De test is verstuurd naar uw eigen adres/);
});

test('campaign editor in the browser without JavaScript: write, preview as a contact at phone width, test send; nl and en at 1280 and 390 px', { skip: browserSkip }, async (t) => {
  const b = await adminBrowser(t);
  const h = b.h;
  const sent = recordMail(h);
  await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  await confirmedSubscriber(h.deps, 'bert@example.nl');
  await createCampaign(h.deps, { name: 'Oktober', purposeId: 'tips', subject: 'Oogst', body: 'Vers.', format: 'markdown' });
  sent.length = 0;
  const page = await b.signedIn();

  await page.goto('/admin/campaigns/new');
  await page.fill('#name', 'December <script>alert(1)</script>');
  await page.fill('#subject', 'Nieuwe oogst voor {{ first_name | default: "u" }}');
  await page.fill(
    '#body',
    '# Nieuwe oogst\n\nHallo {{ first_name }},\n\nDeze maand **vers gebrand**:\n\n- Ethiopië Yirgacheffe\n- Colombia Huila\n\nLees [al onze tips](https://deboon.example/tips/een-heel-lange-link-die-op-een-telefoon-moet-afbreken-zonder-zijwaarts-te-scrollen).',
  );
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/campaigns"] button[type=submit]')]);
  assert.match(page.url(), /\/admin\/campaigns\/[^/]+\/edit$/);
  const editPath = new URL(page.url()).pathname;
  assert.equal(await page.locator('.flash').textContent(), 'De campagne is aangemaakt als concept.');

  // Choose a contact and the phone width; "Show preview" re-renders the page (a GET).
  const annaOption = page.locator('#contact option', { hasText: 'Anna' });
  await page.selectOption('#contact', (await annaOption.getAttribute('value'))!);
  await page.check('#width-phone');
  await Promise.all([page.waitForLoadState('load'), page.click('.preview-choice button[type=submit]')]);
  assert.equal(await page.locator('.preview-frame iframe.phone').count(), 1);
  const frame = page.frameLocator('.preview-frame iframe');
  await frame.locator('h1', { hasText: 'Nieuwe oogst' }).waitFor();
  assert.match((await frame.locator('body').textContent())!, /Hallo Anna,/);
  assert.equal(await frame.locator('a[href*="/r/"]').count(), 0);

  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/test"] button[type=submit]')]);
  assert.equal(await page.locator('.flash').textContent(), 'De test is verstuurd naar uw eigen adres.');
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.subject, '[TEST] Nieuwe oogst voor Anna');
  assert.equal(sent[0]!.to, 'eigenaar@deboon.example');

  const query = new URL(page.url()).search.slice(1);
  for (const [name, path] of [
    ['campaigns', '/admin/campaigns'],
    ['campaign-new', '/admin/campaigns/new'],
    ['campaign-edit', `${editPath}?${query}`],
    ['campaign-edit-phone', `${editPath}?${query}&width=phone`],
  ] as const) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const lang of ['nl', 'en']) {
        await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await b.shot(page, name);
        if (path.includes('/edit')) {
          // A full-page screenshot leaves the sandboxed frame blank: the preview gets a picture of its own.
          await page.frameLocator('.preview-frame iframe').locator('h1').waitFor();
          await page.locator('.preview-frame').screenshot({ path: join(ADMIN_SHOTS, `${name}-preview-${lang}-${width}.png`) });
        }
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `${name} ${lang} is ${wide}px wide at ${width}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.goto('/admin/campaigns');
  assert.equal(await page.locator('td', { hasText: 'December <script>alert(1)</script>' }).count(), 1, 'the name shown as text');
});
