// The admin services on SQLite and PostgreSQL: users and their passwords, sessions and their expiry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/services/deps.js';
import { addUser, changeRole, hasOwner, listUsers, removeUser, setPassword } from '../../src/services/admin/users.js';
import { endAllSessions, sessionFromToken, signIn, SESSION_IDLE_MS } from '../../src/services/admin/sessions.js';
import { DIALECTS } from '../support/stores.js';

const PW = 'koffie-branden-sinds-1921';

for (const dialect of DIALECTS) {
  test(`admin users and sessions (${dialect.name})`, async (t) => {
    const store = await dialect.open();
    t.after(() => store.dispose());
    const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    const deps = { db: store.db, dialect: store.dialect, clock };

    assert.equal(await hasOwner(deps), false);
    const owner = await addUser(deps, { email: ' Baas@Example.NL ', role: 'owner', password: PW });
    assert.equal(owner.email, 'baas@example.nl');
    assert.equal(await hasOwner(deps), true);
    const stored = await store.db.selectFrom('admin_users').select('password_hash').where('id', '=', owner.id).executeTakeFirstOrThrow();
    assert.match(stored.password_hash!, /^\$argon2id\$/);
    await assert.rejects(addUser(deps, { email: 'baas@example.nl', role: 'viewer', password: PW }), { code: 'user-exists' });
    await assert.rejects(addUser(deps, { email: 'x@example.nl', role: 'viewer', password: 'welkom123456' }), { code: 'password-common', field: 'password' });

    const s = await signIn(deps, { email: 'baas@example.nl', password: PW, ip: '127.0.0.1' });
    assert.equal((await sessionFromToken(deps, s.token))?.role, 'owner');
    clock.advance(SESSION_IDLE_MS - 1000);
    assert.ok(await sessionFromToken(deps, s.token), 'still within the idle time');
    clock.advance(SESSION_IDLE_MS - 1000);
    assert.ok(await sessionFromToken(deps, s.token), 'each request extends the idle time');
    clock.advance(SESSION_IDLE_MS);
    assert.equal(await sessionFromToken(deps, s.token), null, 'idle too long');

    const editor = await addUser(deps, { email: 'redactie@example.nl', role: 'editor', password: PW });
    const e1 = await signIn(deps, { email: 'redactie@example.nl', password: PW, ip: '127.0.0.1' });
    const e2 = await signIn(deps, { email: 'redactie@example.nl', password: PW, ip: '127.0.0.2' });
    await endAllSessions(deps, editor.id);
    assert.equal(await sessionFromToken(deps, e1.token), null);
    assert.equal(await sessionFromToken(deps, e2.token), null);

    await changeRole(deps, editor.id, 'owner');
    await changeRole(deps, owner.id, 'viewer');
    await assert.rejects(changeRole(deps, editor.id, 'viewer'), { code: 'last-owner' });
    const e3 = await signIn(deps, { email: 'redactie@example.nl', password: PW, ip: '127.0.0.1' });
    await setPassword(deps, 'redactie@example.nl', 'een-nieuw-wachtwoord');
    assert.equal(await sessionFromToken(deps, e3.token), null, 'a new password ends the sessions');
    await assert.rejects(signIn(deps, { email: 'redactie@example.nl', password: PW, ip: '127.0.0.1' }), { code: 'sign-in-failed' });
    await removeUser(deps, owner.id);
    assert.deepEqual((await listUsers(deps)).map((u) => [u.email, u.role]), [['redactie@example.nl', 'owner']]);
  });
}
