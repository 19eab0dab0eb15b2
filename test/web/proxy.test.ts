// Behind a reverse proxy (issue 13 item 1): with TRUST_PROXY the client address comes from X-Forwarded-For,
// through trusted hops only, for the rate limit and for the IP recorded as consent evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { form, FORM_HEADERS, harness, lastConfirmPath, type Harness } from './support.js';

const signUp = (h: Harness, email: string, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  h.app.inject({ method: 'POST', url: '/f/koffie', remoteAddress, headers: { ...FORM_HEADERS, ...headers }, payload: form({ email, purposes: 'tips' }) });

/** The IP each address's latest ledger event recorded. */
async function recordedIps(h: Harness): Promise<Map<string, string | undefined>> {
  const rows = await h.deps.db.selectFrom('consent_events').select(['personal']).orderBy('position').execute();
  const out = new Map<string, string | undefined>();
  for (const r of rows) {
    const p = JSON.parse(r.personal ?? '{}') as { email?: string; ip?: string };
    if (p.email) out.set(p.email, p.ip);
  }
  return out;
}

test('35 sign-ups from different clients through a trusted proxy are all accepted, each recording its own IP', async (t) => {
  const h = await harness({ signupsPerMinute: 30, trustProxy: ['127.0.0.1', '10.0.0.0/8'] });
  t.after(() => h.close());
  for (let i = 1; i <= 35; i++) {
    // The proxy (127.0.0.1) appends the address it saw; an inner proxy in 10/8 forwarded first.
    const res = await signUp(h, `p${i}@voorbeeld.nl`, { 'x-forwarded-for': `203.0.113.${i}, 10.1.2.3`, 'x-forwarded-proto': 'https' });
    assert.equal(res.statusCode, 200, `sign-up ${i}`);
  }
  const ips = await recordedIps(h);
  for (let i = 1; i <= 35; i++) assert.equal(ips.get(`p${i}@voorbeeld.nl`), `203.0.113.${i}`);

  // The confirmation records the real client too.
  const link = await lastConfirmPath(h.outbox);
  await h.app.inject({ method: 'POST', url: link, headers: { 'x-forwarded-for': '198.51.100.77' } });
  const confirmed = await h.deps.db.selectFrom('consent_events').select('personal').where('type', '=', 'confirmed').executeTakeFirstOrThrow();
  assert.equal(JSON.parse(confirmed.personal!).ip, '198.51.100.77');
});

test('the client is the right-most untrusted hop: an address a client put in the header is not believed', async (t) => {
  const h = await harness({ trustProxy: ['127.0.0.1'] });
  t.after(() => h.close());
  await signUp(h, 'a@voorbeeld.nl', { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
  // A client that talks to the server directly (not through the proxy) cannot pick its address.
  await signUp(h, 'b@voorbeeld.nl', { 'x-forwarded-for': '6.6.6.6' }, '198.51.100.20');
  const ips = await recordedIps(h);
  assert.equal(ips.get('a@voorbeeld.nl'), '203.0.113.9');
  assert.equal(ips.get('b@voorbeeld.nl'), '198.51.100.20');
});

test('without TRUST_PROXY X-Forwarded-For is ignored: the socket address is recorded and rate limited', async (t) => {
  const h = await harness({ signupsPerMinute: 3 });
  t.after(() => h.close());
  for (let i = 1; i <= 3; i++) assert.equal((await signUp(h, `q${i}@voorbeeld.nl`, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode, 200);
  const ips = await recordedIps(h);
  assert.equal(ips.get('q1@voorbeeld.nl'), '127.0.0.1');
  assert.equal((await signUp(h, 'q4@voorbeeld.nl', { 'x-forwarded-for': '203.0.113.4' })).statusCode, 429, 'one client, whatever the header says');
});

test('TRUST_PROXY takes addresses and CIDR ranges; anything else is refused naming the variable', async () => {
  const { loadConfig } = await import('../../src/config.js');
  assert.deepEqual(loadConfig({}).trustProxy, [], 'off by default');
  assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8 ,loopback' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback']);
  for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example.nl', '1.2.3.4/8/1', '::1/129']) {
    assert.throws(() => loadConfig({ TRUST_PROXY: bad }), new RegExp(`TRUST_PROXY: "${bad.replace(/[*./]/g, '\\$&')}" is not an IP address`), bad);
  }
});
