import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkWebhookUrl, isPrivateAddress, nextAttemptAt, RETRY_DELAYS_MS, signWebhook, verifyWebhook } from './webhooks.js';

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const body = '{"test": 2432232314}';

  it("matches the specification's example", () => {
    assert.equal(signWebhook(secret, id, 1614265330, body), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies only the exact id, timestamp and body, among several signatures', () => {
    const sig = signWebhook(secret, id, 1614265330, body);
    assert.equal(verifyWebhook(secret, id, 1614265330, body, `v1,b2xk ${sig}`), true);
    assert.equal(verifyWebhook(secret, id, 1614265331, body, sig), false);
    assert.equal(verifyWebhook(secret, 'msg_other', 1614265330, body, sig), false);
    assert.equal(verifyWebhook(secret, id, 1614265330, `${body} `, sig), false);
    assert.equal(verifyWebhook('whsec_b3RoZXI=', id, 1614265330, body, sig), false);
    assert.throws(() => signWebhook('not-a-secret', id, 1, body), /whsec_/);
  });
});

describe('webhook retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after the 8th attempt', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptAt(n, t0)!.getTime() - t0.getTime());
    assert.deepEqual(waits, [...RETRY_DELAYS_MS]);
    assert.equal(nextAttemptAt(8, t0), null);
  });
});

describe('webhook targets', () => {
  it('knows private, loopback, link-local and reserved addresses', () => {
    const table: Array<[string, boolean]> = [
      ['10.0.0.1', true], ['172.16.5.4', true], ['172.32.0.1', false], ['192.168.1.1', true], ['127.0.0.1', true], ['169.254.169.254', true],
      ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['93.184.216.34', false], ['::1', true], ['::', true], ['fd12::1', true],
      ['fe80::1', true], ['2a00:1450::1', false], ['::ffff:10.0.0.1', true], ['::ffff:93.184.216.34', false], ['not-an-ip', true],
    ];
    for (const [ip, priv] of table) assert.equal(isPrivateAddress(ip), priv, ip);
  });

  it('takes https anywhere public, http only for localhost, private only when allowed', () => {
    const table: Array<[string, boolean, boolean]> = [
      ['https://crm.example.nl/hook', false, true],
      ['http://crm.example.nl/hook', true, false],
      ['http://localhost:8080/hook', true, true],
      ['http://localhost:8080/hook', false, false],
      ['http://[::1]:8080/hook', true, true],
      ['https://192.168.1.10/hook', false, false],
      ['https://192.168.1.10/hook', true, true],
      ['https://u:p@crm.example.nl/', true, false],
      ['mailto:x@example.nl', true, false],
      ['not a url', true, false],
    ];
    for (const [url, allow, ok] of table) assert.equal(checkWebhookUrl(url, allow).ok, ok, `${url} allowPrivate=${allow}`);
  });
});
