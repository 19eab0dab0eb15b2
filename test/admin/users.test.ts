// The users and API keys pages: every POST per role, CSRF, validation errors shown on the form, the last owner,
// a key shown once, the two-step removal and revocation, and names shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminHarness, GOOD_PASSWORD, OWNER } from '../support/admin.js';
import { listUsers } from '../../src/services/admin/users.js';
import { createApiKey, listKeys } from '../../src/services/organisation/api-keys.js';

const NOT_OWNERS = ['editor', 'privacy_officer', 'viewer'] as const;

test('users: add (validation on the form, roles, CSRF), change role, reset password, remove twice', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const fields = { email: 'nieuw@deboon.example', role: 'editor', password: GOOD_PASSWORD };

  await h.assertRefused(NOT_OWNERS, '/admin/users', fields);
  assert.equal((await owner.post('/admin/users', fields, { noCsrf: true })).statusCode, 403);
  assert.equal((await listUsers(h.deps)).some((u) => u.email === fields.email), false, 'nothing added');

  const short = await owner.post('/admin/users', { ...fields, password: 'kort' });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /id="password-error">Het wachtwoord moet minstens 12 tekens hebben/);
  assert.match(short.body, /value="nieuw@deboon.example"/, 'the address is kept');
  const common = await owner.post('/admin/users?lang=en', { ...fields, password: 'password1234' });
  assert.match(common.body, /id="password-error">This password is too common/);
  const badEmail = await owner.post('/admin/users', { ...fields, email: 'geen-adres' });
  assert.match(badEmail.body, /id="email-error">Vul een geldig e-mailadres in/);
  const badRole = await owner.post('/admin/users', { ...fields, role: 'baas' });
  assert.match(badRole.body, /id="role-error">/);

  const added = await owner.post('/admin/users', fields);
  assert.equal(added.statusCode, 303);
  const list = await owner.get(added.headers.location as string);
  assert.match(list.body, /De gebruiker is toegevoegd/);
  assert.match(list.body, /nieuw@deboon.example/);
  const dup = await owner.post('/admin/users', fields);
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /id="email-error">Er is al een gebruiker/);

  const user = (await listUsers(h.deps)).find((u) => u.email === fields.email)!;
  const editor = await h.signIn({ email: fields.email, password: GOOD_PASSWORD });
  await h.assertRefused(NOT_OWNERS, `/admin/users/${user.id}/role`, { role: 'owner' });
  assert.equal((await owner.post(`/admin/users/${user.id}/role`, { role: 'viewer' })).statusCode, 303);
  assert.equal((await listUsers(h.deps)).find((u) => u.id === user.id)?.role, 'viewer');

  await h.assertRefused(NOT_OWNERS, `/admin/users/${user.id}/password`, { password: 'een-ander-wachtwoord' });
  assert.equal((await owner.post(`/admin/users/${user.id}/password`, { password: 'een-ander-wachtwoord' })).statusCode, 303);
  assert.equal((await editor.get('/admin')).statusCode, 303, 'the user was signed out everywhere');
  await h.signIn({ email: fields.email, password: 'een-ander-wachtwoord' });

  await h.assertRefused(NOT_OWNERS, `/admin/users/${user.id}/remove`, { confirm: 'yes' });
  const ask = await owner.get(`/admin/users/${user.id}/remove`);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Gebruiker nieuw@deboon.example verwijderen\?/);
  assert.match(ask.body, /name="confirm" value="yes"/);
  assert.equal((await listUsers(h.deps)).length, 2 + 3, 'asking removes nothing');
  assert.equal((await owner.post(`/admin/users/${user.id}/remove`, { confirm: 'yes' })).statusCode, 303);
  assert.equal((await listUsers(h.deps)).some((u) => u.id === user.id), false);
});

test('users: the last owner can be neither demoted nor removed', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  const me = (await listUsers(h.deps)).find((u) => u.email === OWNER.email)!;
  const demote = await owner.post(`/admin/users/${me.id}/role`, { role: 'editor' });
  assert.equal(demote.statusCode, 409);
  assert.match(demote.body, /laatste eigenaar/);
  const remove = await owner.post(`/admin/users/${me.id}/remove`, { confirm: 'yes' });
  assert.equal(remove.statusCode, 409);
  assert.equal((await listUsers(h.deps)).find((u) => u.id === me.id)?.role, 'owner');
});

test('API keys: created with a role and shown once, revoked in two steps; owners only', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  const owner = await h.signIn();
  await h.assertRefused(NOT_OWNERS, '/admin/api-keys', { name: 'webshop', role: 'editor' });
  assert.equal((await listKeys(h.deps)).length, 0);
  const empty = await owner.post('/admin/api-keys', { name: '  ', role: 'editor' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="name-error">Vul dit veld in/);

  const created = await owner.post('/admin/api-keys', { name: 'webshop', role: 'editor' });
  assert.equal(created.statusCode, 201);
  const key = /<code id="new-key">(csk_[A-Za-z0-9_-]{43})<\/code>/.exec(created.body)?.[1];
  assert.ok(key, 'the key is on the page');
  const [info] = await listKeys(h.deps);
  assert.deepEqual([info?.name, info?.role], ['webshop', 'editor']);
  const list = await owner.get('/admin/users');
  assert.doesNotMatch(list.body, new RegExp(key!), 'never shown again');
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: { authorization: `Bearer ${key}` } })).statusCode, 200);

  await h.assertRefused(NOT_OWNERS, `/admin/api-keys/${info!.id}/revoke`, { confirm: 'yes' });
  assert.match((await owner.post(`/admin/api-keys/${info!.id}/revoke`)).body, /webshop/);
  assert.equal((await listKeys(h.deps))[0]?.revokedAt, null, 'asking revokes nothing');
  assert.equal((await owner.post(`/admin/api-keys/${info!.id}/revoke`, { confirm: 'yes' })).statusCode, 303);
  assert.equal((await h.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: { authorization: `Bearer ${key}` } })).statusCode, 401);
  assert.equal((await owner.post('/admin/api-keys/no-such-key/revoke', { confirm: 'yes' })).statusCode, 404);
});

test('names with markup are shown as text on the users page', async (t) => {
  const h = await adminHarness();
  t.after(() => h.close());
  await createApiKey(h.deps, '<script>alert(1)</script>"onmouseover="x', 'viewer');
  const page = (await (await h.signIn()).get('/admin/users')).body;
  assert.doesNotMatch(page, /<script>alert/);
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;onmouseover=&quot;x/);
});
