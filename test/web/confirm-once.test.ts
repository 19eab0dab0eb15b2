// A confirmation link acts once, for the sign-up request it was mailed for (issue 13 item 3): after a withdrawal
// the old link changes nothing in the ledger and says truthfully what the state is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signToken } from '../../src/core/tokens.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { CONFIRM_TTL_MS } from '../../src/services/consent/confirm.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { counts, form, FORM_HEADERS, harness, lastConfirmPath, permissionStatus, type Harness } from './support.js';

const DAY = 24 * 3600 * 1000;
const EMAIL = 'jan@voorbeeld.nl';

const signUp = (h: Harness) =>
  h.app.inject({ method: 'POST', url: '/f/koffie', headers: FORM_HEADERS, payload: form({ email: EMAIL, purposes: 'tips' }) });

async function unsubscribe(h: Harness): Promise<void> {
  const contact = await h.deps.db.selectFrom('contacts').select('id').where('email', '=', EMAIL).executeTakeFirstOrThrow();
  const path = new URL(unsubscribeUrl(h.deps, contact.id, 'tips', null)).pathname;
  const res = await h.app.inject({ method: 'POST', url: path, headers: FORM_HEADERS, payload: form({ scope: 'purpose' }) });
  assert.equal(res.statusCode, 200);
}

const eventTypes = async (h: Harness) =>
  (await h.deps.db.selectFrom('consent_events').select('type').where('purpose_id', '=', 'tips').orderBy('position').execute()).map((e) => e.type);

test('an old confirmation link after a withdrawal changes nothing and says the person unsubscribed (nl, en)', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await signUp(h);
  const link = await lastConfirmPath(h.outbox);
  assert.equal((await h.app.inject({ method: 'POST', url: link })).statusCode, 200);
  h.clock.advance(2 * DAY);
  await unsubscribe(h);
  h.clock.advance(3 * DAY); // still well within the link's 14 days
  const before = await counts(h.deps);
  const types = await eventTypes(h);
  assert.deepEqual(types, ['requested', 'confirmed', 'withdrawn']);

  for (const lang of ['nl', 'en'] as const) {
    const page = await h.app.inject({ url: `${link}?lang=${lang}` });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<button/, 'no confirm button for a closed request');
    assert.match(page.body, lang === 'en' ? /You unsubscribed after this sign-up/ : /U heeft zich na deze aanmelding afgemeld/);
    const post = await h.app.inject({ method: 'POST', url: `${link}?lang=${lang}` });
    assert.equal(post.statusCode, 409);
    assert.match(post.body, lang === 'en' ? /This link no longer works/ : /Deze link werkt niet meer/);
    assert.match(post.body, lang === 'en' ? /nothing has changed and you will not receive Coffee tips/ : /er is niets veranderd en u ontvangt Koffietips niet/);
    assert.doesNotMatch(post.body, /already confirmed|al bevestigd/i, 'not "already confirmed" to someone who unsubscribed');
  }
  assert.deepEqual(await counts(h.deps), before, 'no ledger event, no row');
  assert.deepEqual(await eventTypes(h), types);
  assert.equal(await permissionStatus(h.deps, EMAIL), 'withdrawn');
});

test('an old link does not confirm a newer sign-up request; that request\'s own link does', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await signUp(h);
  const oldLink = await lastConfirmPath(h.outbox);
  await h.app.inject({ method: 'POST', url: oldLink });
  await unsubscribe(h);
  h.clock.advance(2 * DAY);
  await signUp(h); // a new request: the permission stays withdrawn until this one is confirmed
  const newLink = await lastConfirmPath(h.outbox);
  assert.notEqual(newLink, oldLink);
  const before = await counts(h.deps);

  const replay = await h.app.inject({ method: 'POST', url: `${oldLink}?lang=en` });
  assert.equal(replay.statusCode, 409);
  assert.match(replay.body, /You unsubscribed after this sign-up/);
  assert.deepEqual(await counts(h.deps), before, 'the replay wrote nothing');
  assert.equal(await permissionStatus(h.deps, EMAIL), 'withdrawn');

  assert.equal((await h.app.inject({ method: 'POST', url: newLink })).statusCode, 200);
  assert.equal(await permissionStatus(h.deps, EMAIL), 'active');
  assert.deepEqual(await eventTypes(h), ['requested', 'confirmed', 'withdrawn', 'requested', 'confirmed']);
  const spent = await h.app.inject({ method: 'POST', url: `${newLink}?lang=en` });
  assert.equal(spent.statusCode, 409);
  assert.match(spent.body, /already confirmed/);
  const oldNow = await h.app.inject({ url: `${oldLink}?lang=en` });
  assert.match(oldNow.body, /already confirmed/, 'the subscription is active again, and the page says so');
});

test('a repeated sign-up while pending keeps the first link working; confirming spends it', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await signUp(h);
  const link = await lastConfirmPath(h.outbox);
  h.clock.advance(3600_000);
  await signUp(h);
  assert.equal((await h.app.inject({ url: link })).statusCode, 200);
  const ok = await h.app.inject({ method: 'POST', url: `${link}?lang=en` });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Sign-up confirmed/);
  const confirmed = await h.deps.db.selectFrom('consent_events').select('details').where('type', '=', 'confirmed').executeTakeFirstOrThrow();
  const first = await h.deps.db.selectFrom('consent_events').select(['id', 'details']).where('type', '=', 'requested').orderBy('position').executeTakeFirstOrThrow();
  assert.equal(JSON.parse(confirmed.details).requestEvent, first.id, 'the confirmation names the request the link was mailed for');
  const before = await counts(h.deps);
  assert.equal((await h.app.inject({ method: 'POST', url: link })).statusCode, 409);
  assert.deepEqual(await counts(h.deps), before);
  assert.ok((await listOutbox(h.outbox)).length >= 1);
});

test('a link from before requests were named confirms only a request made before it was issued', async (t) => {
  const h = await harness();
  t.after(() => h.close());
  await signUp(h);
  const contact = await h.deps.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
  const legacy = () =>
    `/confirm/${signToken(h.deps.secret, { action: 'confirm', subjectId: contact.id, purposeId: 'tips', campaignId: null, expiresAt: h.deps.clock.now().getTime() + CONFIRM_TTL_MS })}`;
  const early = legacy();
  await h.app.inject({ method: 'POST', url: await lastConfirmPath(h.outbox) });
  await unsubscribe(h);
  h.clock.advance(DAY + 1);
  await signUp(h);
  const before = await counts(h.deps);
  assert.equal((await h.app.inject({ method: 'POST', url: early })).statusCode, 409, 'issued before the new request');
  assert.deepEqual(await counts(h.deps), before);
  h.clock.advance(1000);
  assert.equal((await h.app.inject({ method: 'POST', url: legacy() })).statusCode, 200, 'a legacy link issued after it still works');
});
