// The Organisation page: every role reads it, only owners change it (per form, with CSRF); a wrong field is shown
// next to itself with nothing saved; a change that changes the privacy notice makes a new version and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { adminHarness, type AdminHarness } from '../support/admin.js';
import { ORG } from '../support/setup.js';
import { getDecisionSettings, getOrganisation } from '../../src/store/settings.js';
import { organisationSettings } from '../../src/services/organisation/organisation.js';
import { setMailBranding } from '../../src/services/organisation/branding.js';
import { getTimeZone } from '../../src/services/organisation/time-zone.js';

const IDENTITY = {
  name: ORG.name,
  postalAddress: ORG.postalAddress,
  chamberOfCommerce: '12345678',
  fromName: '',
  fromAddress: ORG.fromAddress,
  replyTo: ORG.replyTo,
  privacyContact: '',
  dpoContact: '',
  website: '',
};
const LOWER = ['viewer', 'editor', 'privacy_officer'] as const;

const versions = async (h: AdminHarness) => (await h.deps.db.selectFrom('privacy_notices').select('version').execute()).length;
const newestNotice = async (h: AdminHarness) =>
  JSON.parse((await h.deps.db.selectFrom('privacy_notices').select('content').orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow()).content) as {
    controller: { name: string; postalAddress: string };
    recipients: unknown;
    transfers: unknown;
  };

test('organisation: every role reads it; only the owner sees forms to change it', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  for (const role of ['viewer', 'editor', 'privacy_officer', 'owner'] as const) {
    const res = await (await h.as(role)).get('/admin/organisation');
    assert.equal(res.statusCode, 200, role);
    assert.match(res.body, /value="Koffiebranderij De Boon B.V."/);
    assert.match(res.body, /value="Europe\/Amsterdam" selected/);
    if (role === 'owner') assert.match(res.body, /action="\/admin\/organisation#identity"/);
    else {
      assert.doesNotMatch(res.body, /action="\/admin\/organisation/);
      assert.match(res.body, /<fieldset disabled class="plain">/);
    }
  }
});

test('organisation identity: refused below owner and without CSRF; a bad Reply-To with a new name saves neither; a good change makes a new notice version', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await setMailBranding(h.deps, { logoUrl: 'https://cdn.deboon.example/logo.png', accentColour: '#123456' });
  const changed = { ...IDENTITY, name: 'De Boon Koffie B.V.' };
  await h.assertRefused(LOWER, '/admin/organisation', changed);
  const owner = await h.signIn();
  assert.equal((await owner.post('/admin/organisation', changed, { noCsrf: true })).statusCode, 403);
  assert.equal((await getOrganisation(h.deps.db))!.name, ORG.name);
  const before = await versions(h);

  const bad = await owner.post('/admin/organisation', { ...changed, replyTo: 'geen-adres' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="replyTo-error">Vul een geldig e-mailadres in./);
  assert.match(bad.body, /value="De Boon Koffie B.V."/, 'the typed name is kept');
  assert.match(bad.body, /value="geen-adres"/);
  const en = await owner.post('/admin/organisation?lang=en', { ...changed, website: 'deboon' });
  assert.match(en.body, /id="website-error">Enter a full web address/);
  assert.equal((await getOrganisation(h.deps.db))!.name, ORG.name, 'nothing saved');
  assert.equal(await versions(h), before, 'no notice version');

  const ok = await owner.post('/admin/organisation', { ...changed, postalAddress: 'Dam 1\n1012 JS Amsterdam', fromName: 'De Boon' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin/organisation');
  const org = (await getOrganisation(h.deps.db))!;
  assert.equal(org.name, 'De Boon Koffie B.V.');
  assert.equal(org.fromName, 'De Boon');
  assert.equal(org.privacyContact, undefined, 'an empty optional field is left out');
  assert.equal(org.logoUrl, 'https://cdn.deboon.example/logo.png', 'the branding is kept');
  assert.equal(org.accentColour, '#123456');
  assert.equal(await versions(h), before + 1);
  assert.equal((await newestNotice(h)).controller.name, 'De Boon Koffie B.V.');
  const page = await owner.get('/admin/organisation');
  assert.match(page.body, /Opgeslagen. De privacyverklaring is daarmee veranderd: er is een nieuwe versie (gepubliceerd|als concept gemaakt)/);

  // Saving the same again changes no notice and says only "saved".
  await owner.post('/admin/organisation', { ...changed, postalAddress: 'Dam 1\n1012 JS Amsterdam', fromName: 'De Boon' });
  assert.equal(await versions(h), before + 1);
  assert.match((await owner.get('/admin/organisation?lang=en')).body, /<p class="flash" role="status">Saved.<\/p>/);
});

test('organisation: a name with markup is shown as text', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const name = 'De Boon <script>alert(1)</script> "onmouseover=alert(2)';
  assert.equal((await owner.post('/admin/organisation', { ...IDENTITY, name })).statusCode, 303);
  const page = await (await h.as('viewer')).get('/admin/organisation');
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.doesNotMatch(page.body, /"onmouseover=/);
  assert.match(page.body, /value="De Boon &lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;onmouseover=alert\(2\)"/);
});

test('organisation recipients and transfers: whole lists, errors on the page\'s row, nothing half saved, a new notice version', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const rows = {
    'recipients[0].name': 'Mailbedrijf B.V.', 'recipients[0].role': 'processor', 'recipients[0].task_nl': 'verzendt onze e-mail', 'recipients[0].task_en': 'sends our e-mail', 'recipients[0].country': 'nl',
    'recipients[1].name': '', 'recipients[1].role': 'processor', 'recipients[1].task_nl': '', 'recipients[1].task_en': '', 'recipients[1].country': '',
    'recipients[2].name': 'Cloud Inc.', 'recipients[2].role': 'processor', 'recipients[2].task_nl': 'host de server', 'recipients[2].task_en': 'hosts the server', 'recipients[2].country': 'Verenigde Staten',
  };
  await h.assertRefused(LOWER, '/admin/organisation/recipients', rows);
  assert.equal((await owner.post('/admin/organisation/recipients', rows, { noCsrf: true })).statusCode, 403);
  const before = await versions(h);
  const bad = await owner.post('/admin/organisation/recipients', rows);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="recipients\[2\]\.country-error">/, 'the error is on the third row, where it was typed');
  assert.match(bad.body, /value="Mailbedrijf B.V."/);
  assert.equal(await versions(h), before);

  const good = await owner.post('/admin/organisation/recipients', { ...rows, 'recipients[2].country': 'US' });
  assert.equal(good.statusCode, 303);
  const s = await organisationSettings(h.deps);
  assert.deepEqual(Array.isArray(s.recipients) && s.recipients.map((r) => [r.name, r.country]), [['Mailbedrijf B.V.', 'NL'], ['Cloud Inc.', 'US']]);
  assert.equal(await versions(h), before + 1);
  const page = await owner.get('/admin/organisation');
  assert.match(page.body, /De privacyverklaring is daarmee veranderd/);
  assert.match(page.body, /value="Cloud Inc."/);

  const transfer = { 'transfers[0].recipient': 'Cloud Inc.', 'transfers[0].country': 'DE', 'transfers[0].safeguard': 'standard_contractual_clauses', 'transfers[0].details_nl': 'modelcontractbepalingen 2021', 'transfers[0].details_en': 'standard contractual clauses 2021' };
  await h.assertRefused(['viewer'], '/admin/organisation/transfers', transfer);
  const eea = await owner.post('/admin/organisation/transfers', transfer);
  assert.equal(eea.statusCode, 400);
  assert.match(eea.body, /id="transfers\[0\]\.country-error">Dit land ligt binnen de EER/);
  assert.equal(await versions(h), before + 1);
  assert.equal((await owner.post('/admin/organisation/transfers', { ...transfer, 'transfers[0].country': 'US' })).statusCode, 303);
  const notice = await newestNotice(h);
  assert.deepEqual((notice.transfers as Array<{ country: string }>).map((x) => x.country), ['US']);

  // Every row emptied: the notice states "none".
  const none = Object.fromEntries(Object.keys(rows).map((k) => [k, k.endsWith('.role') ? 'processor' : '']));
  assert.equal((await owner.post('/admin/organisation/recipients', none)).statusCode, 303);
  assert.equal((await newestNotice(h)).recipients, 'none');
});

test('organisation settings: decisions, retention, branding and time zone, each checked by its service', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  for (const [path, fields] of [
    ['/admin/organisation/decisions', { customerExceptionMonths: '12' }],
    ['/admin/organisation/retention', { 'retention.inactive_after_months': '24' }],
    ['/admin/organisation/branding', { logo: '', logoUrl: '', accentColour: '#abcdef' }],
    ['/admin/organisation/time-zone', { timeZone: 'Europe/Brussels' }],
  ] as const) {
    await h.assertRefused(LOWER, path, fields);
    assert.equal((await owner.post(path, fields, { noCsrf: true })).statusCode, 403, path);
  }
  const decisionsBefore = await getDecisionSettings(h.deps.db);
  for (const [value, message] of [['0', /Dit getal is te klein/], ['121', /Dit getal is te groot/], ['zes', /Vul een heel getal in/], ['', /Vul dit veld in/]] as const) {
    const res = await owner.post('/admin/organisation/decisions', { customerExceptionMonths: value });
    assert.equal(res.statusCode, 400, value);
    assert.match(res.body, new RegExp(`id="customerExceptionMonths-error">${message.source}`));
  }
  assert.deepEqual(await getDecisionSettings(h.deps.db), decisionsBefore);
  assert.equal((await owner.post('/admin/organisation/decisions', { customerExceptionMonths: '12' })).statusCode, 303);
  assert.equal((await getDecisionSettings(h.deps.db)).customerExceptionMonths, 12);

  const rules = { 'retention.unconfirmed_after_days': '14', 'retention.withdrawn_after_days': '0', 'retention.inactive_after_months': '-3', 'retention.one_to_one_after_days': '', 'retention.former_customer_after_years': '7' };
  const badRules = await owner.post('/admin/organisation/retention', rules);
  assert.equal(badRules.statusCode, 400);
  assert.match(badRules.body, /id="retention\.inactive_after_months-error">/);
  assert.equal((await organisationSettings(h.deps)).retention.unconfirmed_after_days, 30, 'no rule saved');
  assert.equal((await owner.post('/admin/organisation/retention', { ...rules, 'retention.inactive_after_months': '' })).statusCode, 303);
  const r = (await organisationSettings(h.deps)).retention;
  assert.equal(r.unconfirmed_after_days, 14);
  assert.equal(r.withdrawn_after_days, 0);
  assert.equal(r.inactive_after_months, undefined);
  assert.equal(r.former_customer_after_years, 7);
  assert.equal(r.one_to_one_after_days, 90, 'empty: the default');

  const http = await owner.post('/admin/organisation/branding?lang=en', { logo: 'url', logoUrl: 'http://deboon.example/logo.png', accentColour: '#abcdef' });
  assert.equal(http.statusCode, 400);
  assert.match(http.body, /id="logoUrl-error">The logo must be an https address/);
  const colour = await owner.post('/admin/organisation/branding', { logo: 'url', logoUrl: 'https://deboon.example/logo.png', accentColour: 'blauw' });
  assert.equal(colour.statusCode, 400);
  assert.match(colour.body, /id="accentColour-error">/);
  assert.equal((await getOrganisation(h.deps.db))!.logoUrl, undefined, 'nothing saved');
  assert.equal((await owner.post('/admin/organisation/branding', { logo: 'url', logoUrl: 'https://deboon.example/logo.png', accentColour: '#ABCDEF' })).statusCode, 303);
  assert.equal((await getOrganisation(h.deps.db))!.accentColour, '#ABCDEF');
  assert.equal((await owner.post('/admin/organisation/branding', { logo: '', logoUrl: 'https://deboon.example/logo.png', accentColour: '#ABCDEF' })).statusCode, 303);
  assert.equal((await getOrganisation(h.deps.db))!.logoUrl, undefined, '"no logo" removes it (the address typed next to it does not count)');

  const zone = await owner.post('/admin/organisation/time-zone', { timeZone: 'Mars/Olympus' });
  assert.equal(zone.statusCode, 400);
  assert.match(zone.body, /id="timeZone-error">Kies een tijdzone uit de lijst/);
  assert.equal(await getTimeZone(h.deps), 'Europe/Amsterdam');
  assert.equal((await owner.post('/admin/organisation/time-zone', { timeZone: 'Europe/Brussels' })).statusCode, 303);
  assert.equal(await getTimeZone(h.deps), 'Europe/Brussels');
});

test('organisation in a browser: nl and en at 1280 and 390 px', { skip: browserSkip }, async (t) => {
  const b = await adminBrowser(t);
  const page = await b.signedIn();
  await b.shots(page, 'organisation', '/admin/organisation');
  await page.goto('/admin/organisation?lang=nl');
  await page.fill('#replyTo', 'geen-adres');
  await Promise.all([page.waitForLoadState('load'), page.click('#identity button[type=submit]')]);
  assert.match(await page.locator('#replyTo-error').innerText(), /geldig e-mailadres/);
  await page.setViewportSize({ width: 390, height: 900 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling at 390 px');
  await b.shot(page, 'organisation-error');
});
