import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../src/store/db.js';
import { OutboxMailer } from '../../src/mail/outbox.js';
import { privateDatabaseFile } from '../../src/store/private-files.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const octal = (m: number) => m.toString(8);

/** A fresh temporary folder, removed after `fn`. */
async function inTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-modes-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('files holding personal data are private', { skip: process.platform === 'win32' && 'no POSIX modes' }, () => {
  it('the data folder Consentry creates is 0700; the database and its -wal and -shm files are 0600', () =>
    inTmp(async (tmp) => {
      const data = join(tmp, 'var', 'data');
      const file = join(data, 'consentry.sqlite');
      const store = await openStore(file);
      try {
        await sql`create table t (x text)`.execute(store.db);
        await sql`insert into t values ('jan@example.nl')`.execute(store.db);
        assert.equal(octal(mode(join(tmp, 'var'))), '700');
        assert.equal(octal(mode(data)), '700');
        for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(octal(mode(f)), '600', f);
      } finally {
        await store.close();
      }
    }));

  it('a folder the user made keeps its mode; an existing database (and a left -wal) loses access for others only', () =>
    inTmp(async (tmp) => {
      const data = join(tmp, 'mine');
      mkdirSync(data);
      chmodSync(data, 0o750);
      const file = join(data, 'consentry.sqlite');
      const first = await openStore(file);
      await first.close();
      chmodSync(file, 0o644);
      writeFileSync(`${file}-wal`, '');
      chmodSync(`${file}-wal`, 0o666);
      const store = await openStore(file);
      try {
        assert.equal(octal(mode(data)), '750');
        assert.equal(octal(mode(file)), '640');
        // SQLite may recreate an empty log with the database file's mode; either way others lose access.
        assert.equal(mode(`${file}-wal`) & 0o007, 0, octal(mode(`${file}-wal`)));
      } finally {
        await store.close();
      }
    }));

  it('privateDatabaseFile takes others’ access from -wal and -shm files left next to the database', () =>
    inTmp(async (tmp) => {
      const file = join(tmp, 'consentry.sqlite');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        writeFileSync(f, '');
        chmodSync(f, 0o666);
      }
      privateDatabaseFile(file);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(octal(mode(f)), '660', f);
    }));

  it('the outbox folder is 0700 also when it is the first to create the data folder (PostgreSQL set-ups)', () =>
    inTmp(async (tmp) => {
      const outbox = join(tmp, 'data', 'outbox');
      await new OutboxMailer(outbox).send({
        from: 'nieuws@example.nl', to: 'jan@example.nl', replyTo: 'info@example.nl', subject: 'Test', text: 'Hallo', html: '<p>Hallo</p>',
        messageId: 't@example.nl', envelopeFrom: 'bounce@example.nl', headers: {},
      });
      assert.deepEqual([octal(mode(join(tmp, 'data'))), octal(mode(outbox))], ['700', '700']);
    }));
});
