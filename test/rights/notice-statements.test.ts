/**
 * Issue 13 item 7: the notice says only what the operator stated. Recipients (13(1)(e)) and transfers outside the
 * EEA (13(1)(f)) that were never stated stay missing instead of "none", and "none" recipients cannot stand while
 * mail goes out through an SMTP provider.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FixedClock, type Deps } from '../../src/services/deps.js';
import { OutboxMailer } from '../../src/mail/outbox.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { noticeStatus, publishNotice, rememberMailRelay } from '../../src/services/organisation/notice-admin.js';
import { setRecipients, setTransfers } from '../../src/services/organisation/organisation.js';
import { DIALECTS } from '../support/stores.js';
import { ORG, TIPS } from '../support/setup.js';

const fields = (m: Array<{ item: string; field: string }>) => m.map((x) => `${x.item} ${x.field}`);

for (const dialect of DIALECTS) {
  describe(`privacy notice: only what was stated (${dialect.name})`, () => {
    it('init without statements publishes nothing claiming "no one else" or "stays in the EEA"; stating them publishes', async () => {
      const store = await dialect.open();
      try {
        const deps: Deps = {
          db: store.db, dialect: store.dialect, clock: new FixedClock(new Date('2026-11-30T10:00:00Z')), secret: 'notice-test-secret-0123456789abcdef',
          mailer: new OutboxMailer(mkdtempSync(join(tmpdir(), 'consentry-outbox-'))), baseUrl: 'http://localhost:3000', recordIp: true,
        };
        const r = await initialise(deps, { organisation: ORG, purpose: TIPS });
        assert.equal(r.noticePublished, false);
        assert.deepEqual(fields(r.missing), ['13(1)(e) recipients', '13(1)(f) transfers']);
        const draft = JSON.parse((await store.db.selectFrom('privacy_notices').select('content').executeTakeFirstOrThrow()).content);
        assert.deepEqual([draft.recipients, draft.transfers], [null, null]);

        // Stated: nobody else and nothing outside the EEA. Then mail starts going out through an SMTP provider:
        // "none" is no longer true, and `notice missing` says so.
        await setRecipients(deps, 'none');
        const stated = await setTransfers(deps, 'none');
        assert.deepEqual(stated.missing, []);
        await publishNotice(deps, stated.version!);
        assert.deepEqual(fields((await noticeStatus(deps)).publishedMissing), []);
        await rememberMailRelay(deps, 'smtp.mailprovider.example:587');
        assert.deepEqual(fields((await noticeStatus(deps)).publishedMissing), ['13(1)(e) recipients.mailProvider']);
        const named = await setRecipients(deps, [{ name: 'Mailprovider BV', role: 'processor', task_nl: 'verzenden van e-mail', task_en: 'sending e-mail', country: 'NL' }]);
        assert.deepEqual([named.published, named.missing], [true, []]);
        await rememberMailRelay(deps, null);
      } finally {
        await store.dispose();
      }
    });
  });
}

describe('privacy notice from the command line', () => {
  it('`init` without --recipients/--transfers leaves the notice unpublished and says how to state them; `notice missing` lists the mail provider when SMTP is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-cli-'));
    const env: NodeJS.ProcessEnv = { ...process.env, CONSENTRY_DATA_DIR: join(dir, 'data') };
    delete env.CONSENTRY_SECRET;
    delete env.DATABASE_URL;
    delete env.SMTP_URL;
    const cli = (e: NodeJS.ProcessEnv, ...args: string[]) =>
      execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'consentry.js'), ...args], { env: e, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const out = cli(env, 'init', '--org', 'Test BV', '--address', 'Straat 1, 1234 AB Utrecht', '--reply-to', 'info@test.example', '--from', 'nieuws@test.example');
    assert.match(out, /privacy notice: .*NOT published/);
    assert.match(out, /missing in notice: 13\(1\)\(e\) Recipients and processors/);
    assert.match(out, /missing in notice: 13\(1\)\(f\) Transfers outside the EEA/);
    assert.match(out, /consentry org recipients <file\|none>/);
    cli(env, 'org', 'recipients', 'none');
    const stated = cli(env, 'org', 'transfers', 'none');
    const version = /complete: publish it with `consentry notice publish (\d+)`/.exec(stated)![1]!;
    cli(env, 'notice', 'publish', version);
    assert.match(cli(env, 'notice', 'show'), /^published: version \d+/);
    assert.doesNotMatch(cli(env, 'notice', 'missing'), /recipients/);
    // The same installation sending through an SMTP provider: "none" is no longer true.
    const smtp = { ...env, SMTP_URL: 'smtp://smtp.mailprovider.example:587' };
    assert.match(cli(smtp, 'notice', 'missing'), /13\(1\)\(e\) +recipients\.mailProvider +The e-mail provider that sends the mail/);
  });
});
