// API keys carry a role, and the JSON API checks it against its route table (src/web/api/access.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES } from '../../src/core/admin/roles.js';
import { createApiKey, listKeys, revokeKey } from '../../src/services/organisation/api-keys.js';
import { DIALECTS } from '../support/stores.js';
import { world } from '../support/setup.js';
import { buildApp } from '../../src/web/app.js';

for (const dialect of DIALECTS) {
  test(`API keys: roles enforced per route, revocation at once, old keys are owners (${dialect.name})`, async (t) => {
    const store = await dialect.open();
    t.after(() => store.dispose());
    const w = await world(store);
    const app = await buildApp(w.deps);
    t.after(() => app.close());
    const keys = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await createApiKey(w.deps, `key ${r}`, r)] as const)));
    const call = (role: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${keys[role]}` }, ...(payload ? { payload } : {}) });
    const campaign = { name: 'Dec', purposeId: 'tips', subject: 'Hallo', body: 'Tekst' };
    const count = async () => Number((await store.db.selectFrom('campaigns').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    for (const role of ROLES) assert.equal((await call(role, 'GET', '/api/v1/campaigns')).statusCode, 200, `${role} reads`);
    for (const role of ['viewer', 'privacy_officer']) {
      const res = await call(role, 'POST', '/api/v1/campaigns', campaign);
      assert.equal(res.statusCode, 403, `${role} may not create`);
      assert.equal(res.json().error.code, 'forbidden-role');
    }
    assert.equal(await count(), 0, 'nothing was created');
    assert.equal((await call('editor', 'POST', '/api/v1/campaigns', campaign)).statusCode, 201);
    assert.equal((await call('editor', 'PATCH', '/api/v1/settings/decisions', { customerExceptionMonths: 12 })).statusCode, 403, 'settings are for owners');

    // A key from before migration 004 (no role given) is an owner.
    const old = await createApiKey(w.deps, 'init');
    assert.equal((await listKeys(w.deps)).find((k) => k.name === 'init')?.role, 'owner');
    const keyId = (await listKeys(w.deps)).find((k) => k.name === 'key editor')!.id;
    await revokeKey(w.deps, keyId);
    assert.equal((await call('editor', 'GET', '/api/v1/campaigns')).statusCode, 401, 'a revoked key stops working at once');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: { authorization: `Bearer ${old}` } })).statusCode, 200);
    await assert.rejects(revokeKey(w.deps, keyId), /revoked already/);
    await assert.rejects(createApiKey(w.deps, 'x', 'boss'), /role/);
  });
}
