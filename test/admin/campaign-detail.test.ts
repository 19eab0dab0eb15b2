// One campaign's page: facts, figures and the sends chart; the audience preview grouped by reason with its
// contacts; schedule (DST gap and fold, the past), unschedule, send now (asked with the number of recipients),
// pause, resume, cancel and "send to those added since" per role, with CSRF; markup in names shown as text.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, type AdminHarness } from '../support/admin.js';
import { adminBrowser, browserSkip } from '../support/browser.js';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { confirmedSubscriber, pendingSubscriber } from '../campaigns/helpers.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { audienceContacts } from '../../src/services/campaigns/audience.js';
import { pauseForRelayFailure } from '../../src/services/campaigns/control.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { clickRewriter, setClickCounting } from '../../src/services/campaigns/click-links.js';
import { sendToAddedSince } from '../../src/services/campaigns/added-since.js';
import { recordDeliveryEvent } from '../../src/services/events/delivery-events.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { campaignById } from '../../src/store/campaigns.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { deliveryFor } from '../../src/store/deliveries.js';
import { at } from '../../src/web/admin/texts.js';

const NASTY = '<script>alert(1)</script> "onmouseover="alert(2)';

const statusOf = async (h: AdminHarness, id: string) => (await campaignById(h.deps.db, id))!.status;

/** A sent campaign: Anna and Bob got it, Carla (unconfirmed) was blocked; Bob bounced softly, Anna unsubscribed through it. */
async function sentCampaign(h: AdminHarness, opts: { clicks?: number } = {}) {
  const anna = await confirmedSubscriber(h.deps, 'anna@example.nl', NASTY);
  const bob = await confirmedSubscriber(h.deps, 'bob@example.nl', 'Bob');
  const carla = await pendingSubscriber(h.deps, 'carla@example.nl', 'Carla');
  if (opts.clicks !== undefined) await setClickCounting(h.deps, 'tips', true);
  const body = 'Vers gebrand: https://deboon.example/oogst en https://deboon.example/oogst/extra';
  const c = await createCampaign(h.deps, { name: `Nov ${NASTY}`, purposeId: 'tips', subject: `Vers ${NASTY}`, body });
  await startCampaign(h.deps, c.id);
  await drainQueue(h.deps, { campaignId: c.id });
  if (opts.clicks !== undefined) {
    // Clicks through the real redirect of the counted link, as a reader's mail program follows it.
    const counted = (await clickRewriter(h.deps, c.id))!.rewrite('https://deboon.example/oogst').replace(h.deps.baseUrl, '');
    for (let i = 0; i < opts.clicks; i++) assert.equal((await h.app.inject({ method: 'GET', url: counted })).statusCode, 302);
  }
  await recordDeliveryEvent(h.deps, { deliveryId: (await deliveryFor(h.deps.db, c.id, bob))!.id, kind: 'soft_bounce', occurredAt: h.clock.now(), source: 'dsn', status: '4.2.2', reportKey: 'x' });
  const token = unsubscribeUrl(h.deps, anna, 'tips', c.id).split('/u/')[1]!;
  await unsubscribe(h.deps, { token, scope: 'purpose', channel: 'page' });
  return { id: c.id, anna, bob, carla: carla.contactId };
}

test('campaign page: facts, figures and chart as text for every role; actions only for editors', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const c = await sentCampaign(h);

  const viewer = await h.as('viewer');
  const page = await viewer.get(`/admin/campaigns/${c.id}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /<h1[^>]*>Nov &lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;onmouseover=&quot;alert\(2\)<\/h1>/);
  assert.match(page.body, /Vers &lt;script&gt;/);
  assert.match(page.body, /<span class="badge">verstuurd<\/span>/);
  assert.match(page.body, /Koffietips/);
  const stat = (label: string) => new RegExp(`<div class="label">${label}</div><div class="stat">(\\d+)</div>`).exec(page.body)?.[1];
  assert.equal(stat('Verstuurd'), '2');
  assert.equal(stat('Tegengehouden'), '1');
  assert.equal(stat('Zachte bounces'), '1');
  assert.equal(stat('Afmeldingen via deze campagne'), '1');
  assert.equal(stat('Klachten \\(spam\\)'), '0');
  assert.match(page.body, /<td data-label="Reden">Aanmelding nog niet bevestigd \(double opt-in\)\.<br><code class="small">CONSENT_PENDING<\/code><\/td>/, 'the reason in words, the code small');
  assert.match(page.body, /<svg class="chart"[^>]*aria-label="Verstuurde berichten per uur \(Europe\/Amsterdam\)"/);
  assert.match(page.body, /<rect class="s0"[^>]*><title>2026-11-30 11:00: 2<\/title>/);
  assert.match(page.body, /Kliks worden voor dit doel niet geteld/);
  assert.match(page.body, /U kunt deze campagne bekijken maar niet/);
  assert.doesNotMatch(page.body, /action="\/admin\/campaigns\/[^"]+\/send-new"/, 'a viewer sees no action');

  const en = await (await h.as('editor')).get(`/admin/campaigns/${c.id}?lang=en`);
  assert.match(en.body, /Messages sent per hour/);
  assert.match(en.body, new RegExp(`action="/admin/campaigns/${c.id}/send-new"`));
  assert.equal((await viewer.get('/admin/campaigns/no-such-campaign')).statusCode, 404);
});

test('audience preview: allowed and blocked by reason with explanation, source and contacts', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const anna = await confirmedSubscriber(h.deps, 'anna@example.nl', NASTY);
  const carla = await pendingSubscriber(h.deps, 'carla@example.nl', 'Carla');
  for (let i = 0; i < 23; i++) await pendingSubscriber(h.deps, `wacht${String(i).padStart(2, '0')}@example.nl`);
  const nameless = await confirmedSubscriber(h.deps, 'zonder@example.nl');
  await confirmedSubscriber(h.deps, 'jdegroot@bücher.example', 'Jan');
  const c = await createCampaign(h.deps, { name: NASTY, purposeId: 'tips', subject: 'Hallo', body: 'Hallo {{ first_name }}' });

  const res = await (await h.as('viewer')).get(`/admin/campaigns/${c.id}/audience`);
  assert.equal(res.statusCode, 200);
  assert.doesNotMatch(res.body, /<script>alert/);
  assert.match(res.body, /27 contacten: 3 mogen worden gemaild, 24 worden tegengehouden/);
  assert.match(res.body, /<h3 id="g-CONSENT_CONFIRMED">Toestemming voor dit doel gegeven en bevestigd \(double opt-in\)\. · 3 contacten<\/h3>/);
  assert.match(res.body, /<code class="small">CONSENT_CONFIRMED<\/code> · Wettelijke bron: AVG 6\(1\)\(a\); Tw 11\.7\(1\)/, 'the AVG in Dutch');
  assert.doesNotMatch(res.body, /GDPR/);
  // Every group in the overview at the top, the waiting ones too: the counts add up to the summary.
  assert.match(res.body, /<li><a href="#g-CONSENT_PENDING">Aanmelding nog niet bevestigd \(double opt-in\)\.<\/a> · 24 contacten<\/li>/);
  assert.ok(res.body.indexOf('href="#g-CONSENT_PENDING"') < res.body.indexOf('id="g-CONSENT_CONFIRMED"'), 'the overview comes first');
  assert.match(res.body, />jdegroot@bücher\.example<\/a>/, 'an internationalised domain in Unicode');
  assert.doesNotMatch(res.body, /xn--/);
  assert.match(res.body, new RegExp(`<a href="/admin/contacts/${anna}">anna@example.nl</a></td><td data-label="Naam">&lt;script&gt;`));
  assert.match(res.body, /Ontvangers zonder first_name: 1, bijvoorbeeld z\*\*\*@example\.nl\. Geef in de tekst een standaardwaarde op, zoals \{\{ first_name \| default: &quot;…&quot; \}\}\./, 'the variable used without a default');
  assert.match(res.body, new RegExp(`href="/admin/contacts/${nameless}">zonder@example.nl</a></td><td data-label="Naam"></td>`));
  assert.match(res.body, /<h3 id="g-CONSENT_PENDING">Aanmelding nog niet bevestigd \(double opt-in\)\. · 24 contacten<\/h3>/);
  assert.match(res.body, /en nog 4 meer/, '20 shown of 24');
  assert.match(res.body, /href="\/admin\/campaigns\/[^"]+\/audience\?reason=CONSENT_PENDING">Toon alle 24/);

  // One group, page by page.
  const group = await (await h.as('viewer')).get(`/admin/campaigns/${c.id}/audience?reason=CONSENT_PENDING&lang=en`);
  assert.match(group.body, /<h3 id="g-CONSENT_PENDING">[^<]+ · 24 contacts<\/h3>/);
  assert.match(group.body, /Legal source: GDPR /, 'the GDPR in English');
  assert.doesNotMatch(group.body, /CONSENT_CONFIRMED/);
  assert.equal((group.body.match(/href="\/admin\/contacts\//g) ?? []).length, 24);
  // Contacts are listed in id order, so Carla may be among the 4 left off the overview; the group page shows her.
  assert.match(group.body, new RegExp(`href="/admin/contacts/${carla.contactId}">carla@example.nl`));

  // The same through the JSON API (read access).
  const key = await createApiKey(h.deps, 'lezer', 'viewer');
  const api = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/${c.id}/audience?reason=CONSENT_PENDING&limit=20`, headers: { authorization: `Bearer ${key}` } });
  assert.equal(api.statusCode, 200, api.body);
  const groups = (api.json() as { groups: Array<{ code: string; contacts: unknown[]; next: string | null }> }).groups;
  assert.deepEqual(groups.map((g) => [g.code, g.contacts.length]), [['CONSENT_PENDING', 20]]);
  const next = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/${c.id}/audience?reason=CONSENT_PENDING&after=${groups[0]!.next}`, headers: { authorization: `Bearer ${key}` } });
  assert.equal((next.json() as { groups: Array<{ contacts: unknown[]; next: string | null }> }).groups[0]!.contacts.length, 4);
});

test('schedule, unschedule, send now, pause, resume, cancel and send-new through the pages', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await confirmedSubscriber(h.deps, 'anna@example.nl', 'Anna');
  await confirmedSubscriber(h.deps, 'bob@example.nl', 'Bob');
  const c = await createCampaign(h.deps, { name: 'December', purposeId: 'tips', subject: 'Hallo', body: 'Vers gebrand.' });
  const to = (action: string) => `/admin/campaigns/${c.id}/${action}`;
  const editor = await h.as('editor');
  const good = { date: '2026-12-01', time: '09:00' };

  // Who may, and the token.
  await h.assertRefused(['viewer', 'privacy_officer'], to('schedule'), good);
  await h.assertRefused(['viewer', 'privacy_officer'], to('send'), { confirm: 'yes' });
  assert.equal((await editor.post(to('schedule'), good, { noCsrf: true })).statusCode, 403);
  assert.equal(await statusOf(h, c.id), 'draft', 'nothing done');

  // Times that do not exist, happen twice, have passed or are not a date come back next to their field.
  const gap = await editor.post(to('schedule'), { date: '2027-03-28', time: '02:30' });
  assert.equal(gap.statusCode, 400);
  assert.match(gap.body, /id="time-error">Dit tijdstip bestaat niet: die nacht gaat de klok een uur vooruit/);
  assert.match(gap.body, /id="date"[^>]*value="2027-03-28"/, 'the value is kept');
  const fold = await editor.post(`${to('schedule')}?lang=en`, { date: '2027-10-31', time: '02:30' });
  assert.equal(fold.statusCode, 400);
  assert.match(fold.body, /id="time-error">This time happens twice that night/);
  const past = await editor.post(to('schedule'), { date: '2026-11-30', time: '10:59' });
  assert.equal(past.statusCode, 400, 'the clock says 11:00 in Amsterdam');
  assert.match(past.body, /id="time-error">Dit tijdstip is al voorbij/);
  const notADate = await editor.post(to('schedule'), { date: 'morgen', time: '' });
  assert.equal(notADate.statusCode, 400);
  assert.match(notADate.body, /id="date-error">Vul een datum in als JJJJ-MM-DD/);
  assert.match(notADate.body, /id="time-error">Vul dit veld in/);
  assert.equal(await statusOf(h, c.id), 'draft', 'nothing stored');

  // Scheduled at 09:00 Amsterdam (08:00 UTC), shown in the zone; then unscheduled, twice (the second is refused).
  const scheduled = await editor.post(to('schedule'), good);
  assert.equal(scheduled.statusCode, 303);
  assert.equal(scheduled.headers.location, `/admin/campaigns/${c.id}`);
  assert.equal((await campaignById(h.deps.db, c.id))!.scheduled_at, '2026-12-01T08:00:00.000Z');
  const shown = await editor.get(`/admin/campaigns/${c.id}`);
  assert.match(shown.body, /De campagne is ingepland/);
  assert.match(shown.body, /<dd>1 dec 2026, 09:00 \(Europe\/Amsterdam\)<\/dd>/, 'the one date-time format of the admin');
  await h.assertRefused(['viewer'], to('unschedule'), {});
  assert.equal((await editor.post(to('unschedule'))).statusCode, 303);
  assert.equal(await statusOf(h, c.id), 'draft');
  const again = await editor.post(to('unschedule'));
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /class="alert"[^>]*><p>Deze campagne is niet ingepland/);

  // Send now asks first, naming the number of recipients; only the second POST starts it.
  const ask = await editor.get(to('send'));
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /gaat nu naar 2 ontvangers die hiervoor mogen/);
  assert.match(at('nl', 'campaign.sendNowQuestion', { name: 'x', count: 1 }), /naar 1 ontvanger die hiervoor mag/, 'one recipient, singular');
  assert.match(at('en', 'campaign.sendNowQuestion', { name: 'x', count: 1 }), /to 1 recipient who/);
  assert.match(at('en', 'audience.group', { count: 2 }), /^2 contacts$/);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.equal(await statusOf(h, c.id), 'draft', 'asking sends nothing');
  assert.equal((await editor.post(to('send'), { confirm: 'yes' })).statusCode, 303);
  assert.equal(await statusOf(h, c.id), 'sending');

  // Pause and resume change the status; a second pause is refused with the reason.
  await h.assertRefused(['viewer', 'privacy_officer'], to('pause'), {});
  assert.equal(await statusOf(h, c.id), 'sending');
  assert.equal((await editor.post(to('pause'))).statusCode, 303);
  assert.equal(await statusOf(h, c.id), 'paused');
  assert.match((await editor.get(`/admin/campaigns/${c.id}`)).body, /Gepauzeerd door een beheerder/);
  const twice = await editor.post(to('pause'));
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /Alleen een campagne die wordt verstuurd, kan worden gepauzeerd/);
  await h.assertRefused(['viewer'], to('resume'), {});
  assert.equal((await editor.post(to('resume'))).statusCode, 303);
  assert.equal(await statusOf(h, c.id), 'sending');

  // A relay failure pauses it with the relay's reply, shown on the page.
  await pauseForRelayFailure(h.deps, c.id, '421 4.7.0 <mx.example> try again later');
  const relay = await editor.get(`/admin/campaigns/${c.id}`);
  assert.match(relay.body, /omdat de mailserver een fout gaf: &quot;421 4\.7\.0 &lt;mx\.example&gt; try again later&quot;/);
  assert.equal((await editor.post(to('resume'))).statusCode, 303);

  // Cancel asks twice; then what was queued is never sent.
  await h.assertRefused(['viewer', 'privacy_officer'], to('cancel'), { confirm: 'yes' });
  const askCancel = await editor.get(to('cancel'));
  assert.match(askCancel.body, /De campagne &quot;December&quot; stoppen\?/);
  assert.equal(await statusOf(h, c.id), 'sending');
  assert.equal((await editor.post(to('cancel'), { confirm: 'yes' })).statusCode, 303);
  assert.equal(await statusOf(h, c.id), 'cancelled');
  const states = await h.deps.db.selectFrom('deliveries').select('state').where('campaign_id', '=', c.id).execute();
  assert.deepEqual(states.map((s) => s.state), ['cancelled', 'cancelled']);

  // Send to those added since: refused before it went out; afterwards only the newcomer is queued, once.
  const nov = await createCampaign(h.deps, { name: 'November', purposeId: 'tips', subject: 'Hallo', body: 'x' });
  const toNov = (action: string) => `/admin/campaigns/${nov.id}/${action}`;
  const early = await editor.post(toNov('send-new'), { confirm: 'yes' });
  assert.equal(early.statusCode, 409);
  assert.match(early.body, /nog niet verstuurd/);
  await startCampaign(h.deps, nov.id);
  await drainQueue(h.deps, { campaignId: nov.id });
  const dirk = await confirmedSubscriber(h.deps, 'dirk@example.nl', 'Dirk');
  await h.assertRefused(['viewer', 'privacy_officer'], toNov('send-new'), { confirm: 'yes' });
  assert.equal(await deliveryFor(h.deps.db, nov.id, dirk), undefined);
  assert.equal((await editor.post(toNov('send-new'), { confirm: 'yes' })).statusCode, 303);
  assert.equal((await deliveryFor(h.deps.db, nov.id, dirk))?.state, 'queued');
  assert.equal((await h.deps.db.selectFrom('deliveries').select('id').where('campaign_id', '=', nov.id).execute()).length, 3);
});

for (const dialect of DIALECTS) {
  describe(`audience contacts (${dialect.name})`, () => {
    it('lists each group in id order, page by page, as the preview counts them', async () => {
      const store = await dialect.open();
      try {
        const w = await world(store);
        const ids: string[] = [];
        for (const n of ['a', 'b', 'c', 'd', 'e']) ids.push((await pendingSubscriber(w.deps, `${n}@example.nl`)).contactId);
        const anna = await confirmedSubscriber(w.deps, 'anna@example.nl', 'Anna');
        const c = await createCampaign(w.deps, { name: 'x', purposeId: 'tips', subject: 'Hallo', body: 'x' });
        const all = await audienceContacts(w.deps, c.id, { limit: 2 });
        assert.deepEqual(all.map((g) => [g.code, g.allowed, g.contacts.length]), [['CONSENT_CONFIRMED', true, 1], ['CONSENT_PENDING', false, 2]]);
        assert.deepEqual(all[0]!.contacts, [{ id: anna, email: 'anna@example.nl', name: 'Anna' }]);
        assert.equal(all[0]!.next, null);
        const sorted = [...ids].sort();
        assert.equal(all[1]!.next, sorted[1]);
        const second = await audienceContacts(w.deps, c.id, { reason: 'CONSENT_PENDING', after: all[1]!.next!, limit: 2 });
        assert.deepEqual(second[0]!.contacts.map((x) => x.id), sorted.slice(2, 4));
        const last = await audienceContacts(w.deps, c.id, { reason: 'CONSENT_PENDING', after: second[0]!.next!, limit: 2 });
        assert.deepEqual(last[0]!.contacts.map((x) => x.id), sorted.slice(4));
        assert.equal(last[0]!.next, null);
      } finally {
        await store.dispose();
      }
    });
  });
}

test('campaign pages in the browser: nl and en at 1280 and 390 px, nothing sideways', { skip: browserSkip }, async (t) => {
  const b = await adminBrowser(t);
  const h = b.h;
  const c = await sentCampaign(h, { clicks: 3 });
  // More sends over the next hours: people who joined later get it through "send to those added since".
  for (let hour = 1; hour <= 4; hour++) {
    h.clock.set(new Date(Date.parse('2026-11-30T10:00:00Z') + hour * 3600_000));
    for (let i = 0; i < hour * 2; i++) await confirmedSubscriber(h.deps, `later${hour}-${i}@example.nl`, `Later ${hour}.${i}`);
    await sendToAddedSince(h.deps, c.id);
    await drainQueue(h.deps, { campaignId: c.id });
  }
  const page = await b.signedIn();
  for (const [name, path] of [['campaign', `/admin/campaigns/${c.id}`], ['campaign-audience', `/admin/campaigns/${c.id}/audience`]] as const) {
    await b.shots(page, name, path);
    for (const lang of ['nl', 'en']) {
      await page.setViewportSize({ width: 390, height: 900 });
      await page.goto(`${path}?lang=${lang}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 390, `${name} ${lang} is ${wide}px wide at 390`);
    }
  }
  assert.equal(await page.locator('svg.chart rect.s0').count(), 0, 'the audience page has no chart');
  await page.goto(`/admin/campaigns/${c.id}`);
  assert.equal(await page.locator('svg.chart rect.s0').count(), 5, 'one bar per hour');
  assert.deepEqual(await page.locator('td[data-label="Kliks"], td[data-label="Aantal"]').allTextContents(), ['1', '3', '0'], 'blocked 1; clicks 3 and 0 per link');

  // A draft's schedule form refusing a time the clocks skip, on a phone; a campaign paused by a relay failure.
  const draft = await createCampaign(h.deps, { name: 'December', purposeId: 'tips', subject: 'Hallo', body: 'x' });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.goto(`/admin/campaigns/${draft.id}?lang=nl`);
  await page.fill('#date', '2027-03-28');
  await page.fill('#time', '02:30');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/schedule"] button[type=submit]')]);
  assert.match((await page.locator('#time-error').textContent()) ?? '', /bestaat niet/);
  assert.equal(await page.inputValue('#date'), '2027-03-28');
  await b.shot(page, 'campaign-schedule-error');
  const paused = await createCampaign(h.deps, { name: 'Januari', purposeId: 'tips', subject: 'Hallo', body: 'x' });
  await startCampaign(h.deps, paused.id);
  await pauseForRelayFailure(h.deps, paused.id, '421 4.7.0 Try again later, closing connection');
  await b.shots(page, 'campaign-paused', `/admin/campaigns/${paused.id}`);
});
