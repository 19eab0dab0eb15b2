/**
 * Debian's Dovecot (dovecot-imapd 2.3) as a plain process for IMAP tests, with its own configuration in a
 * temporary folder (STACK.md's recipe): one user `bounces` with password `pw` and a Maildir. `.ci/run` installs
 * the package. Stopped by its own PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  /** Drops every IMAP connection of the user (doveadm kick). */
  kick(): void;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('data', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });

/** Starts Dovecot on a free loopback port and waits until it greets. @throws Error when it does not start */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  for (const d of ['run', 'state', 'mail/bounces']) mkdirSync(join(dir, d), { recursive: true });
  chownSync(join(dir, 'mail'), 65534, 65534);
  chownSync(join(dir, 'mail/bounces'), 65534, 65534);
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, [
    `instance_name = consentry-test-${port}`,
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'mail_location = maildir:~/Maildir',
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
    `userdb {\n  driver = passwd-file\n  args = username_format=%u ${dir}/users\n}`,
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
    '',
  ].join('\n'));
  const users = join(dir, 'users');
  writeFileSync(users, `bounces:{PLAIN}pw:65534:65534::${dir}/mail/bounces\n`);
  const dovecotGid = Number(spawnSync('getent', ['group', 'dovecot']).stdout.toString().split(':')[2]);
  chownSync(users, 0, dovecotGid);
  chmodSync(users, 0o640);
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answers(port))) {
    child.kill();
    throw new Error(`dovecot did not start on port ${port} (log: ${dir}/dovecot.log)`);
  }
  return {
    port,
    user: 'bounces',
    password: 'pw',
    kick: () => void spawnSync('doveadm', ['-c', conf, 'kick', 'bounces']),
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
