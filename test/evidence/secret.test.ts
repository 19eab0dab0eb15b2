/**
 * Moving to a new server keeps every suppression working (Tw 11.7(3), GDPR 21(3)): a data folder is bound to the
 * secret its suppression hashes and links are keyed with. The user who sets CONSENTRY_SECRET for `import evidence`
 * only gets a folder that keeps that secret for every later command and the server — also when the import is the
 * folder's very first start; a different secret is refused once the folder holds keyed data.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { suppressionHash } from '../../src/core/suppression.js';
import { exportEvidence } from '../../src/services/lists/evidence-export.js';
import { importEvidence } from '../../src/services/lists/evidence-import.js';
import { DIALECTS, type TestStore } from '../support/stores.js';
import { richState } from './rich-state.js';

const OTHER = 'another-secret-another-secret-another-secret';

/** Runs one "command" on the store as the CLI does (createContext from the configuration), then closes. */
async function command<T>(config: Config, fn: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>): Promise<T> {
  const ctx = await createContext(config);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const configFor = (store: TestStore, dir: string, secret: string | null): Config =>
  ({ ...loadConfig({ CONSENTRY_DATA_DIR: dir, LOG_LEVEL: 'silent' }), database: store.target, secret });

async function exportFile(store: TestStore, dir: string): Promise<{ file: string; secret: string; daveHash: string }> {
  const { w } = await richState(store);
  const lines: string[] = [];
  await exportEvidence(w.deps, (l) => lines.push(l));
  const file = join(dir, 'evidence.jsonl');
  writeFileSync(file, lines.join(''));
  return { file, secret: w.deps.secret, daveHash: suppressionHash(w.deps.secret, 'dave@example.nl') };
}

for (const dialect of DIALECTS) {
  describe(`the data folder's secret (${dialect.name})`, () => {
    it('a folder that imports evidence with CONSENTRY_SECRET keeps that secret for every later command; another is refused', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-secret-'));
      try {
        const { file, secret, daveHash } = await exportFile(a, dir);
        // `consentry init` on the new server: the folder generates a secret of its own.
        const own = await command(configFor(b, dir, null), async (ctx) => ctx.deps.secret);
        assert.notEqual(own, secret);
        // The user sets CONSENTRY_SECRET for the import only.
        await command(configFor(b, dir, secret), (ctx) => importEvidence(ctx.deps, file));
        // Every later command and the server run without it, and still use the key the suppressions are made with.
        const later = await command(configFor(b, dir, null), async (ctx) => {
          const listed = await ctx.store.db.selectFrom('suppressions').select('hash').where('hash', '=', daveHash).executeTakeFirst();
          return { secret: ctx.deps.secret, daveSuppressed: !!listed };
        });
        assert.deepEqual(later, { secret, daveSuppressed: true });
        await assert.rejects(command(configFor(b, dir, OTHER), async () => null), /CONSENTRY_SECRET: this data folder is keyed with another secret .*Unset CONSENTRY_SECRET/s);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it('a never-used folder that first starts with CONSENTRY_SECRET for the import keeps that secret; later commands need no variable', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-secret-'));
      try {
        const { file, secret, daveHash } = await exportFile(a, dir);
        // The very first start of the folder is the import itself, with the variable set.
        await command(configFor(b, dir, secret), (ctx) => importEvidence(ctx.deps, file));
        const kept = await b.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['secret', 'secret_key_id']).execute();
        assert.deepEqual(kept, [{ key: 'secret', value: JSON.stringify(secret) }]);
        const later = await command(configFor(b, dir, null), async (ctx) => {
          const listed = await ctx.store.db.selectFrom('suppressions').select('hash').where('hash', '=', daveHash).executeTakeFirst();
          return { secret: ctx.deps.secret, daveSuppressed: !!listed };
        });
        assert.deepEqual(later, { secret, daveSuppressed: true });
        assert.equal(await command(configFor(b, dir, secret), async (ctx) => ctx.deps.secret), secret);
        await assert.rejects(command(configFor(b, dir, OTHER), async () => null), /keyed with another secret .*Unset CONSENTRY_SECRET/s);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it('a secret kept outside the database stays outside when the folder already held keyed data before the import', async () => {
      const a = await dialect.open();
      const b = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-secret-'));
      try {
        const { file, secret } = await exportFile(a, dir);
        // The folder has run with CONSENTRY_SECRET and holds a suppression keyed with it.
        await command(configFor(b, dir, secret), (ctx) => ctx.store.db.insertInto('suppressions')
          .values({ hash: suppressionHash(secret, 'own@example.nl'), reason: 'unsubscribed', source: null, created_at: '2024-01-01T00:00:00.000Z' }).execute());
        await command(configFor(b, dir, secret), (ctx) => importEvidence(ctx.deps, file));
        const kept = await b.db.selectFrom('settings').select('key').where('key', 'in', ['secret', 'secret_key_id']).execute();
        assert.deepEqual(kept.map((r) => r.key), ['secret_key_id']);
        await assert.rejects(command(configFor(b, dir, null), async () => null), /CONSENTRY_SECRET: not set, but this data folder is keyed with a secret given through CONSENTRY_SECRET/);
        await assert.rejects(command(configFor(b, dir, OTHER), async () => null), /keyed with another secret .*Set the one this folder was set up with/s);
        assert.equal(await command(configFor(b, dir, secret), async (ctx) => ctx.deps.secret), secret);
      } finally {
        await a.dispose();
        await b.dispose();
      }
    });

    it('a folder with keyed data but no record of its secret (it ran with CONSENTRY_SECRET before) does not start without one', async () => {
      const a = await dialect.open();
      const dir = mkdtempSync(join(tmpdir(), 'consentry-secret-'));
      try {
        await richState(a); // the test world's secret is never recorded in the database
        await assert.rejects(command(configFor(a, dir, null), async () => null), /CONSENTRY_SECRET: not set, but this data folder holds data keyed with a secret/);
      } finally {
        await a.dispose();
      }
    });
  });
}
