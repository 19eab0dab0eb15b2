/**
 * Why an erased address could stay in the SQLite file (issue 13 item 10) and that erasure removes it.
 *
 * Appending 500 addresses in order to a unique index leaves, deterministically, an old copy of
 * person0497@example.nl in the unallocated area of a leaf page of that index: SQLite rebuilt the page when it
 * rebalanced the index, and rebuilding writes the cells from the end of the page without clearing what lies below
 * them. `secure_delete` zeroes the live entry when the row is deleted, not this copy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteStore } from '../support/stores.js';
import { world } from '../support/setup.js';
import { compactAfterErasure, eraseContact, eraseInTransaction } from '../../src/services/rights/erase.js';
import { contactByEmail } from '../../src/store/contacts.js';
import { findInFiles } from './helpers.js';

const address = (i: number) => `person${String(i).padStart(4, '0')}@example.nl`;
const MOVED = address(497);

/** Where `needle` lies in the file: page number, b-tree page type, offset in the page and the page's unused area. */
function copiesIn(path: string, needle: string, pageSize: number) {
  const file = readFileSync(path);
  const found: Array<{ page: number; type: number; offset: number; unallocated: [number, number] }> = [];
  for (let at = file.indexOf(needle); at >= 0; at = file.indexOf(needle, at + 1)) {
    const page = Math.floor(at / pageSize) + 1;
    const base = (page - 1) * pageSize;
    const header = base + (page === 1 ? 100 : 0);
    const type = file[header]!;
    const cells = file.readUInt16BE(header + 3);
    const pointersEnd = header - base + (type === 2 || type === 5 ? 12 : 8) + 2 * cells;
    found.push({ page, type, offset: at - base, unallocated: [pointersEnd, file.readUInt16BE(header + 5)] });
  }
  return found;
}

describe('erased addresses and SQLite page rebuilds', () => {
  it('SQLite keeps an old copy of an index entry below the cells of a rebuilt page, after secure_delete removed the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-pages-'));
    const db = new Database(join(dir, 'x.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('secure_delete = ON');
      db.exec('create table contacts (id integer primary key, email text not null unique)');
      const insert = db.prepare('insert into contacts (email) values (?)');
      for (let i = 0; i < 500; i++) insert.run(address(i));
      // An entry that sits in an interior page is an entry of its own: deleting it zeroes it, no divider stays.
      const interior = db.prepare("select pageno from dbstat where name = 'sqlite_autoindex_contacts_1' and pagetype = 'internal'").pluck().all() as number[];
      assert.ok(interior.length > 0);
      db.prepare('delete from contacts where email = ?').run(MOVED);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const copies = copiesIn(join(dir, 'x.sqlite'), MOVED, 4096);
      assert.equal(copies.length, 1, JSON.stringify(copies));
      const [copy] = copies;
      assert.equal(copy!.type, 0x0a, 'a leaf page of an index');
      assert.equal(db.prepare('select name from dbstat where pageno = ?').pluck().get(copy!.page), 'sqlite_autoindex_contacts_1');
      assert.ok(copy!.offset >= copy!.unallocated[0] && copy!.offset < copy!.unallocated[1], `offset ${copy!.offset} lies in the unallocated area ${copy!.unallocated.join('..')}`);
      db.exec('reindex sqlite_autoindex_contacts_1');
      db.pragma('wal_checkpoint(TRUNCATE)');
      assert.deepEqual(copiesIn(join(dir, 'x.sqlite'), MOVED, 4096), [], 'rebuilding the index frees and zeroes its old pages');
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('erasing the address whose old copy a rebuilt index page kept leaves no bytes', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const at = '2026-01-01T00:00:00.000Z';
      for (let i = 0; i < 500; i++) {
        await store.db.insertInto('contacts').values({ id: `c${String(i).padStart(5, '0')}`, email: address(i), source_kind: 'customer_records', created_at: at, updated_at: at }).execute();
      }
      store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const stale = copiesIn(store.target, MOVED, 4096).filter((c) => c.offset >= c.unallocated[0] && c.offset < c.unallocated[1]);
      assert.deepEqual(stale.map((c) => c.type), [0x0a], 'an old copy below the cells of an index leaf page');
      const id = (await contactByEmail(store.db, MOVED))!.id;
      const r = await eraseContact(w.deps, id, 'request:art17');
      assert.equal(r.walTruncated, true);
      assert.deepEqual(findInFiles(dirname(store.target), MOVED), []);
      assert.ok(await contactByEmail(store.db, address(496)), 'the others stay');
    } finally {
      await store.dispose();
    }
  });

  it('one search finds any of hundreds of erased addresses (a retention run)', async () => {
    const store = await sqliteStore();
    try {
      const w = await world(store);
      const at = '2026-01-01T00:00:00.000Z';
      for (let i = 0; i < 500; i++) {
        await store.db.insertInto('contacts').values({ id: `c${String(i).padStart(5, '0')}`, email: address(i), source_kind: 'customer_records', created_at: at, updated_at: at }).execute();
      }
      const erased = [address(10), MOVED, 'zoë.ünicode@bücher.example'];
      await store.db.transaction().execute(async (trx) => {
        for (const a of erased.slice(0, 2)) await eraseInTransaction(trx, w.deps.secret, (await contactByEmail(trx, a))!, 'retention:no_basis', w.clock.now());
      });
      const decoys = Array.from({ length: 300 }, (_, i) => `nobody${i}@elsewhere.example`);
      assert.equal(await compactAfterErasure(w.deps, [...decoys, ...erased]), true);
      for (const a of erased.slice(0, 2)) assert.deepEqual(findInFiles(dirname(store.target), a), [], a);
      assert.ok(await contactByEmail(store.db, address(11)));
    } finally {
      await store.dispose();
    }
  });
});
