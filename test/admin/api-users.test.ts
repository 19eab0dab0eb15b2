// Admin users and API keys over the JSON API: owners only (every other role 403, nothing changed), the same rules
// as the users page and the CLI (password policy, last owner, a key shown once, revocation at once), the action
// log, and the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { ROLES } from '../../src/core/admin/roles.js';
import { addUser } from '../../src/services/admin/users.js';
import { enableTotp, newTotpSecret } from '../../src/services/admin/totp.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { buildApp } from '../../src/web/app.js';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';

const PW = 'koffie-branden-sinds-1921';

for (const dialect of DIALECTS) {
  test(`API users and API keys: owners only, same rules as the pages, logged (${dialect.name})`, async (t) => {
    const store = await dialect.open();
    t.after(() => store.dispose());
    const w = await world(store);
    const app = await buildApp(w.deps);
    t.after(() => app.close());
    const keys = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await createApiKey(w.deps, `key ${r}`, r)] as const)));
    const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${keys[who] ?? who}` }, ...(payload ? { payload } : {}) });
    const owner = await addUser(w.deps, { email: 'baas@deboon.example', role: 'owner', password: PW });
    const viewer = await addUser(w.deps, { email: 'kijker@deboon.example', role: 'viewer', password: PW });
    const keyId = (await call('owner', 'GET', '/api-keys')).json().find((k: { name: string }) => k.name === 'key viewer').id as string;
    const snapshot = async () => JSON.stringify([await store.db.selectFrom('admin_users').selectAll().orderBy('id').execute(), await store.db.selectFrom('api_keys').selectAll().orderBy('id').execute()]);

    const before = await snapshot();
    const routes: Array<['GET' | 'POST' | 'PUT' | 'DELETE', string, object?]> = [
      ['GET', '/users'],
      ['POST', '/users', { email: 'nieuw@deboon.example', role: 'owner', password: PW }],
      ['PUT', `/users/${viewer.id}/role`, { role: 'owner' }],
      ['PUT', `/users/${viewer.id}/password`, { password: 'een-ander-wachtwoord' }],
      ['DELETE', `/users/${viewer.id}/second-factor`],
      ['DELETE', `/users/${viewer.id}`],
      ['GET', '/api-keys'],
      ['POST', '/api-keys', { name: 'stiekem', role: 'owner' }],
      ['POST', `/api-keys/${keyId}/revoke`],
    ];
    for (const role of ['editor', 'privacy_officer', 'viewer']) {
      for (const [method, url, body] of routes) {
        const res = await call(role, method, url, body);
        assert.equal(res.statusCode, 403, `${role} ${method} ${url}`);
        assert.equal(res.json().error.code, 'forbidden-role');
      }
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode, 401);
    assert.equal(await snapshot(), before, 'nothing changed');

    // Users.
    const list = (await call('owner', 'GET', '/users')).json() as Array<{ email: string; secondFactor: boolean }>;
    assert.deepEqual(list.map((u) => u.email), ['baas@deboon.example', 'kijker@deboon.example']);
    assert.ok(!JSON.stringify(list).includes('argon2'), 'no hashes');
    const weak = await call('owner', 'POST', '/users', { email: 'nieuw@deboon.example', role: 'editor', password: 'kort' });
    assert.equal(weak.statusCode, 400);
    assert.deepEqual([weak.json().error.code, weak.json().error.field], ['password-too-short', 'password']);
    assert.equal((await call('owner', 'POST', '/users', { email: 'nieuw@deboon.example', role: 'boss', password: PW })).json().error.field, 'role');
    assert.equal((await call('owner', 'POST', '/users', { email: 'kijker@deboon.example', role: 'editor', password: PW })).statusCode, 409);
    const added = await call('owner', 'POST', '/users', { email: 'Nieuw@DeBoon.example', role: 'editor', password: PW });
    assert.equal(added.statusCode, 201);
    const newId = added.json().id as string;
    assert.deepEqual([added.json().email, added.json().role, added.json().secondFactor], ['nieuw@deboon.example', 'editor', false]);
    assert.equal((await call('owner', 'PUT', `/users/${newId}/role`, { role: 'privacy_officer' })).json().role, 'privacy_officer');
    assert.equal((await call('owner', 'PUT', `/users/${owner.id}/role`, { role: 'viewer' })).json().error.code, 'last-owner');
    assert.equal((await call('owner', 'PUT', '/users/nieuw@deboon.example/role', { role: 'viewer' })).statusCode, 400, 'ids in paths, not addresses');
    assert.equal((await call('owner', 'PUT', '/users/nobody/role', { role: 'viewer' })).statusCode, 404);
    assert.equal((await call('owner', 'PUT', `/users/${newId}/password`, { password: 'welkom123456' })).json().error.code, 'password-common');
    assert.equal((await call('owner', 'PUT', `/users/${newId}/password`, { password: 'een-ander-wachtwoord' })).statusCode, 200);
    const s = newTotpSecret('nieuw@deboon.example');
    await enableTotp(w.deps, newId, { secret: s.secret, code: await generate({ secret: s.secret, epoch: Math.floor(w.clock.now().getTime() / 1000) }) });
    assert.equal((await call('owner', 'GET', '/users')).json().find((u: { id: string }) => u.id === newId).secondFactor, true);
    const reset = await call('owner', 'DELETE', `/users/${newId}/second-factor`);
    assert.equal(reset.statusCode, 200);
    assert.equal(reset.json().secondFactor, false);
    assert.equal((await call('owner', 'DELETE', `/users/${owner.id}`)).statusCode, 409, 'the last owner stays');
    assert.equal((await call('owner', 'DELETE', `/users/${newId}`)).statusCode, 204);
    assert.equal((await call('owner', 'DELETE', `/users/${newId}`)).statusCode, 404);

    // API keys: the key is in the creation answer only; it works at once and stops at once when revoked.
    assert.equal((await call('owner', 'POST', '/api-keys', { name: ' ', role: 'viewer' })).json().error.field, 'name');
    const created = await call('owner', 'POST', '/api-keys', { name: 'webshop', role: 'editor' });
    assert.equal(created.statusCode, 201);
    const { id, key, role } = created.json() as { id: string; key: string; role: string };
    assert.match(key, /^csk_[A-Za-z0-9_-]{43}$/);
    assert.equal(role, 'editor');
    assert.equal((await call(key, 'GET', '/campaigns')).statusCode, 200);
    const keyList = await call('owner', 'GET', '/api-keys');
    assert.ok(!keyList.body.includes(key) && !keyList.body.includes('key_hash'), 'never shown again');
    assert.equal(keyList.json().find((k: { id: string }) => k.id === id).revokedAt, null);
    const revoked = await call('owner', 'POST', `/api-keys/${id}/revoke`);
    assert.equal(revoked.statusCode, 200);
    assert.ok(revoked.json().revokedAt);
    assert.equal((await call(key, 'GET', '/campaigns')).statusCode, 401);
    assert.equal((await call('owner', 'POST', `/api-keys/${id}/revoke`)).statusCode, 409);
    assert.equal((await call('owner', 'POST', '/api-keys/nope/revoke')).statusCode, 404);

    // The action log: who (the key), what (the route), which object.
    const log = await store.db.selectFrom('admin_actions').selectAll().where('actor_kind', '=', 'api_key').orderBy('position').execute();
    const lines = log.map((e) => `${e.actor_name} ${e.action} ${e.object_kind}:${e.object_id ?? ''} ${e.status}`);
    assert.ok(lines.includes('key owner POST /api/v1/users users: 201'), lines.join('\n'));
    assert.ok(lines.includes(`key owner DELETE /api/v1/users/:id users:${newId} 204`));
    assert.ok(lines.includes(`key owner POST /api/v1/api-keys/:id/revoke api-keys:${id} 200`));
    assert.ok(!lines.some((l) => l.includes('GET ')), 'reads are not logged');
    assert.ok(!JSON.stringify(log).includes('nieuw@deboon.example'), 'no address in the log');

    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const p of ['/api/v1/users', '/api/v1/users/{id}', '/api/v1/users/{id}/role', '/api/v1/api-keys', '/api/v1/api-keys/{id}/revoke']) assert.ok(doc.paths[p], p);
  });
}
