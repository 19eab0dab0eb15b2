// `consentry serve` on a fresh install prints the one-time set-up link (the README's quick start), and the link
// opens the set-up page on the running server; without the token the page is 404. `init --owner` keeps working; `user totp-reset`.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'consentry.js');

it('serve on a fresh install prints a set-up link that opens the set-up page', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-serve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.CONSENTRY_SECRET;
  delete env.DATABASE_URL;
  delete env.CONSENTRY_BASE_URL;
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGTERM'));
  let out = '';
  const link = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+\/admin\/setup\?token=[A-Za-z0-9_-]{43})\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve ended (${code}) before printing the link:\n${out}`)));
  });
  assert.match(out, /Set up Consentry in your browser/, 'printed also with LOG_LEVEL=warn');
  assert.equal(new URL(link).origin, `http://localhost:${port}`);
  const base = `http://127.0.0.1:${port}`;
  const path = link.slice(new URL(link).origin.length);
  assert.equal((await fetch(`${base}${path}`)).status, 200);
  assert.equal((await fetch(`${base}/admin/setup`)).status, 404);
});

it('init --owner still sets up and creates the owner (the password from standard input)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-init-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: join(dir, 'data') };
    delete env.CONSENTRY_SECRET;
    delete env.DATABASE_URL;
    const run = (args: string[], input = '') => execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', input });
    const out = run(['init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example', '--owner', 'baas@test.example'], 'koffie-branden-sinds-1921\n');
    assert.match(out, /admin: +http:\/\/localhost:3000\/admin\/login \(owner baas@test\.example\)/);
    const users = JSON.parse(run(['user', 'list', '--json'])) as Array<{ email: string; role: string }>;
    assert.deepEqual(users.map((u) => [u.email, u.role]), [['baas@test.example', 'owner']]);
    assert.match(run(['user', 'totp-reset', 'baas@test.example']), /second factor removed for baas@test\.example/);
    assert.throws(() => run(['user', 'totp-reset', 'niemand@test.example']), /there is no user/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
