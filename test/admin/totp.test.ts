// The second factor (TOTP, RFC 6238, with recovery codes) on SQLite and PostgreSQL, and its pages: the sign-in's
// second step, turning it on and off on the account page, an owner's reset on a user's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { FixedClock } from '../../src/services/deps.js';
import { addUser } from '../../src/services/admin/users.js';
import { sessionFromToken, signIn, PENDING_MS } from '../../src/services/admin/sessions.js';
import { completeSecondFactor, disableTotp, enableTotp, newTotpSecret, recoveryCodesLeft, resetTotp } from '../../src/services/admin/totp.js';
import { DIALECTS } from '../support/stores.js';
import { adminHarness, csrfIn, GOOD_PASSWORD, OWNER, type AdminClient, type AdminHarness } from '../support/admin.js';

const PW = 'koffie-branden-sinds-1921';
const codeAt = (secret: string, clock: { now(): Date }) => generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

for (const dialect of DIALECTS) {
  test(`TOTP service: valid, wrong, replayed, recovery code once, waiting step expires (${dialect.name})`, async (t) => {
    const store = await dialect.open();
    t.after(() => store.dispose());
    const clock = new FixedClock(new Date('2026-12-01T09:00:10Z'));
    const deps = { db: store.db, dialect: store.dialect, clock };
    const user = await addUser(deps, { email: 'baas@example.nl', role: 'owner', password: PW });
    const { secret, uri } = newTotpSecret(user.email);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(uri, `otpauth://totp/Consentry:baas%40example.nl?secret=${secret}&issuer=Consentry`);

    await assert.rejects(enableTotp(deps, user.id, { secret, code: '000000' === (await codeAt(secret, clock)) ? '111111' : '000000' }), { code: 'totp-wrong', field: 'code' });
    await assert.rejects(enableTotp(deps, user.id, { secret: 'not-a-secret', code: '123456' }), { code: 'totp-secret-invalid' });
    assert.equal((await store.db.selectFrom('admin_users').select('totp_secret').executeTakeFirstOrThrow()).totp_secret, null, 'off until a right code');
    const codes = await enableTotp(deps, user.id, { secret, code: await codeAt(secret, clock) });
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const stored = await store.db.selectFrom('admin_recovery_codes').select('code_hash').execute();
    assert.equal(stored.length, 10);
    assert.ok(stored.every((r) => !codes.some((c) => r.code_hash.includes(c))), 'stored hashed');
    assert.equal(await recoveryCodesLeft(deps, user.id), 10);
    await assert.rejects(enableTotp(deps, user.id, { secret, code: await codeAt(secret, clock) }), { code: 'totp-on-already' });

    // The password alone opens a waiting session that gives no access.
    const pending = await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.1' });
    assert.equal(pending.session.state, 'second_factor');
    assert.equal((await sessionFromToken(deps, pending.token))?.state, 'second_factor');
    // The code that turned it on was used in this window: no replay.
    await assert.rejects(completeSecondFactor(deps, { token: pending.token, code: await codeAt(secret, clock), ip: '10.0.0.1' }), { code: 'totp-wrong' });
    await assert.rejects(completeSecondFactor(deps, { token: pending.token, code: 'abcde-fghij', ip: '10.0.0.1' }), { code: 'totp-wrong' });
    clock.advance(30_000);
    const code = await codeAt(secret, clock);
    const done = await completeSecondFactor(deps, { token: pending.token, code, ip: '10.0.0.1' });
    assert.equal(done.session.state, 'active');
    assert.equal(done.recoveryCodeUsed, false);
    assert.notEqual(done.token, pending.token, 'a new session');
    assert.equal(await sessionFromToken(deps, pending.token), null, 'the waiting session is gone');
    assert.equal((await sessionFromToken(deps, done.token))?.state, 'active');

    // The same code again, on a new sign-in within its window: refused.
    const again = await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.1' });
    await assert.rejects(completeSecondFactor(deps, { token: again.token, code, ip: '10.0.0.1' }), { code: 'totp-wrong' });
    // A recovery code works once (spaces, dashes and capitals do not matter).
    const viaRecovery = await completeSecondFactor(deps, { token: again.token, code: ` ${codes[0]!.toUpperCase().replace('-', ' ')} `, ip: '10.0.0.1' });
    assert.equal(viaRecovery.recoveryCodeUsed, true);
    assert.equal(await recoveryCodesLeft(deps, user.id), 9);
    const third = await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.1' });
    await assert.rejects(completeSecondFactor(deps, { token: third.token, code: codes[0]!, ip: '10.0.0.1' }), { code: 'totp-wrong' });

    // The waiting step ends after five minutes.
    clock.advance(PENDING_MS);
    assert.equal(await sessionFromToken(deps, third.token), null);
    await assert.rejects(completeSecondFactor(deps, { token: third.token, code: codes[1]!, ip: '10.0.0.1' }), { code: 'second-factor-expired' });

    // Wrong codes count as failed sign-ins: the sixth attempt within 15 minutes is refused even with a right code.
    clock.advance(15 * 60_000);
    const fourth = await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.2' });
    for (let i = 0; i < 5; i++) await assert.rejects(completeSecondFactor(deps, { token: fourth.token, code: 'zzzzz-zzzzz', ip: '10.0.0.2' }), { code: 'totp-wrong' });
    await assert.rejects(completeSecondFactor(deps, { token: fourth.token, code: codes[1]!, ip: '10.0.0.2' }), { code: 'too-many-attempts' });
    await assert.rejects(signIn(deps, { email: user.email, password: PW, ip: '10.0.0.3' }), { code: 'too-many-attempts' }, 'the password step shares the count');
    assert.equal(await recoveryCodesLeft(deps, user.id), 9, 'a refused attempt uses no code');

    clock.advance(15 * 60_000);
    await assert.rejects(disableTotp(deps, user.id, 'niet-het-wachtwoord'), { code: 'wrong-password', field: 'password' });
    assert.equal((await disableTotp(deps, user.id, PW)).secondFactor, false);
    assert.equal(await recoveryCodesLeft(deps, user.id), 0);
    assert.equal((await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.1' })).session.state, 'active');

    const s2 = newTotpSecret(user.email);
    await enableTotp(deps, user.id, { secret: s2.secret, code: await codeAt(s2.secret, clock) });
    const live = await signIn(deps, { email: user.email, password: PW, ip: '10.0.0.1' });
    assert.equal((await resetTotp(deps, user.email)).secondFactor, false);
    assert.equal(await sessionFromToken(deps, live.token), null, 'a reset ends the sessions');
    assert.equal(await recoveryCodesLeft(deps, user.id), 0);
  });
}

/** Turns the second factor on for the signed-in client through the pages; returns the secret and codes. */
async function turnOn(h: AdminHarness, c: AdminClient): Promise<{ secret: string; codes: string[] }> {
  const page = await c.get('/admin/account/totp');
  assert.equal(page.statusCode, 200);
  const secret = /name="secret" value="([A-Z2-7]{32})"/.exec(page.body)![1]!;
  assert.match(page.body, new RegExp(`otpauth://totp/Consentry:[^"]*secret=${secret}`));
  const res = await c.post('/admin/account/totp', { _csrf: csrfIn(page.body), secret, code: await codeAt(secret, h.clock) });
  assert.equal(res.statusCode, 200);
  const codes = [...res.body.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  return { secret, codes };
}

test('pages: turning the second factor on and off, the second step of sign-in, an owner’s reset', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const viewer = await h.as('viewer');

  // Turning on: CSRF, a wrong first code shown next to the field with the same secret kept.
  const setup = await viewer.get('/admin/account/totp');
  const secret0 = /name="secret" value="([A-Z2-7]{32})"/.exec(setup.body)![1]!;
  assert.equal((await viewer.post('/admin/account/totp', { secret: secret0, code: '123456' }, { noCsrf: true })).statusCode, 403);
  const wrong = await viewer.post('/admin/account/totp', { secret: secret0, code: (await codeAt(secret0, h.clock)) === '123456' ? '654321' : '123456' }, { csrfFrom: '/admin/account' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /id="code-error">Deze code klopt niet/);
  assert.match(wrong.body, new RegExp(`value="${secret0}"`));
  const empty = await viewer.post('/admin/account/totp', { secret: secret0, code: '' }, { csrfFrom: '/admin/account' });
  assert.match(empty.body, /id="code-error">Vul dit veld in/);
  const { secret, codes } = await turnOn(h, viewer);
  assert.match((await viewer.get('/admin/account')).body, /nog 10 ongebruikte herstelcodes/);
  assert.equal((await viewer.get('/admin/account/totp')).statusCode, 303, 'on already: back to the account');

  // Sign in: the password step alone gives no session.
  h.clock.advance(30_000);
  const c = h.client();
  const step1 = await c.post('/admin/login', { email: 'viewer@deboon.example', password: GOOD_PASSWORD, next: '/admin/contacts' }, { csrfFrom: '/admin/login' });
  assert.equal(step1.statusCode, 303);
  assert.equal(step1.headers.location, '/admin/login/code?next=%2Fadmin%2Fcontacts');
  const blocked = await c.get('/admin/contacts');
  assert.equal(blocked.statusCode, 303);
  assert.match(blocked.headers.location as string, /^\/admin\/login/);
  const form = await c.get('/admin/login/code?next=%2Fadmin%2Fcontacts');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /autocomplete="one-time-code"/);
  assert.equal((await c.post('/admin/login/code', { code: '123456', next: '/admin/contacts' }, { noCsrf: true })).statusCode, 403, 'CSRF');
  const bad = await c.post('/admin/login/code', { code: 'nope-nope-nope', next: '/admin/contacts' }, { csrfFrom: '/admin/login/code' });
  assert.equal(bad.statusCode, 401);
  assert.match(bad.body, /id="code-error">Deze code klopt niet/);
  const ok = await c.post('/admin/login/code', { code: await codeAt(secret, h.clock), next: '/admin/contacts' }, { csrfFrom: '/admin/login/code' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin/contacts');
  assert.equal((await c.get('/admin/contacts')).statusCode, 200);

  // A recovery code, once.
  const r = h.client();
  await r.post('/admin/login', { email: 'viewer@deboon.example', password: GOOD_PASSWORD }, { csrfFrom: '/admin/login' });
  const viaCode = await r.post('/admin/login/code', { code: codes[3]!, next: '/admin' }, { csrfFrom: '/admin/login/code' });
  assert.equal(viaCode.headers.location, '/admin');
  assert.match((await r.get('/admin')).body, /aangemeld met een herstelcode/);

  // The code page without a waiting session goes to the sign-in; after five minutes the waiting step is gone.
  assert.equal((await h.client().get('/admin/login/code')).headers.location, '/admin/login?next=%2Fadmin');
  const late = h.client();
  await late.post('/admin/login', { email: 'viewer@deboon.example', password: GOOD_PASSWORD }, { csrfFrom: '/admin/login' });
  const lateCsrf = await late.csrf('/admin/login/code');
  h.clock.advance(5 * 60_000);
  const tooLate = await late.post('/admin/login/code', { _csrf: lateCsrf, code: codes[4]!, next: '/admin' });
  assert.equal(tooLate.statusCode, 403, 'the waiting session (and the CSRF token bound to it) is gone');
  assert.match((await late.get('/admin/login/code')).headers.location as string, /^\/admin\/login/);

  // Turning off needs the password.
  const v2 = await h.client();
  await v2.post('/admin/login', { email: 'viewer@deboon.example', password: GOOD_PASSWORD }, { csrfFrom: '/admin/login' });
  await v2.post('/admin/login/code', { code: codes[5]!, next: '/admin' }, { csrfFrom: '/admin/login/code' });
  const noPw = await v2.post('/admin/account/totp/off', { off_password: 'niet-goed-genoeg' }, { csrfFrom: '/admin/account' });
  assert.equal(noPw.statusCode, 400);
  assert.match(noPw.body, /id="off_password-error">/);
  assert.equal((noPw.body.match(/ id="password"/g) ?? []).length, 1, 'one field with each id on the page');
  const off = await v2.post('/admin/account/totp/off', { off_password: GOOD_PASSWORD }, { csrfFrom: '/admin/account' });
  assert.equal(off.headers.location, '/admin/account');
  assert.match((await v2.get('/admin/account')).body, /Tweede stap aanzetten/);

  // An owner resets someone's second factor; other roles may not; the action is logged.
  await h.addUser('kwijt@deboon.example', 'editor');
  const editorId = (await h.deps.db.selectFrom('admin_users').select('id').where('email', '=', 'kwijt@deboon.example').executeTakeFirstOrThrow()).id;
  const lost = newTotpSecret('kwijt@deboon.example');
  await enableTotp(h.deps, editorId, { secret: lost.secret, code: await codeAt(lost.secret, h.clock) });
  await h.assertRefused(['editor', 'viewer', 'privacy_officer'], `/admin/users/${editorId}/totp-reset`, { confirm: 'yes' });
  assert.notEqual((await h.deps.db.selectFrom('admin_users').select('totp_secret').where('id', '=', editorId).executeTakeFirstOrThrow()).totp_secret, null);
  const owner = await h.signIn(OWNER);
  const userPage = await owner.get(`/admin/users/${editorId}`);
  assert.match(userPage.body, /Tweede stap verwijderen/);
  assert.equal((await owner.post(`/admin/users/${editorId}/totp-reset`, { confirm: 'yes' }, { noCsrf: true })).statusCode, 403);
  const ask = await owner.get(`/admin/users/${editorId}/totp-reset`);
  assert.match(ask.body, /De tweede stap van kwijt@deboon.example verwijderen\?/);
  const reset = await owner.post(`/admin/users/${editorId}/totp-reset`, { confirm: 'yes' }, { csrfFrom: `/admin/users/${editorId}` });
  assert.equal(reset.headers.location, `/admin/users/${editorId}`);
  assert.equal((await h.deps.db.selectFrom('admin_users').select('totp_secret').where('id', '=', editorId).executeTakeFirstOrThrow()).totp_secret, null);
  const logged = await h.deps.db.selectFrom('admin_actions').selectAll().where('action', '=', 'POST /admin/users/:id/totp-reset').where('status', '=', 303).execute();
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.object_id, editorId);
});
