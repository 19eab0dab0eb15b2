/**
 * `consentry proof <email>` as text shows what `--html` shows: the contact's suppression and the events about no
 * single purpose (an objection to all direct marketing, GDPR 21(3)); an address known only as a suppression
 * (erased) says so, as `contacts show` does.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { signToken } from '../../src/core/tokens.js';
import { objectToMarketing } from '../../src/services/rights/manage.js';
import { contactByEmail, updateContact } from '../../src/store/contacts.js';
import { initialisedCli } from '../support/cli.js';

it('proof in text: the suppression and the objection to all purposes; an erased address says it is only a suppression', async () => {
  const { dir, data, cli } = initialisedCli();
  const csv = join(dir, 'lijst.csv');
  writeFileSync(csv, 'E-mail;Status\nweg@example.com;afgemeld\nbezwaar@example.com;actief\n');
  cli('import', 'csv', csv, '--purpose', 'newsletter', '--source', 'own_form_export', '--evidence', 'form', '--date', '2024-01-01');
  // The person objects on the manage page, and a later complaint suppresses the address.
  const ctx = await createContext({ ...loadConfig({ CONSENTRY_DATA_DIR: data, LOG_LEVEL: 'silent' }), secret: null });
  try {
    const contact = (await contactByEmail(ctx.deps.db, 'bezwaar@example.com'))!;
    const token = signToken(ctx.deps.secret, { action: 'manage', subjectId: contact.id, purposeId: null, campaignId: null, expiresAt: Date.now() + 3_600_000 });
    assert.deepEqual(await objectToMarketing(ctx.deps, token), ['newsletter']);
    await updateContact(ctx.deps.db, contact.id, { suppression: 'complaint' });
  } finally {
    await ctx.close();
  }
  const proof = cli('proof', 'bezwaar@example.com');
  assert.match(proof, /^ +SUPPRESSED: complaint \(not mailed for any purpose\)$/m);
  assert.match(proof, /newsletter +A6-1-a +objected/);
  assert.match(proof, /\nevents about no single purpose \(hash-chained\):\n +#3 \S+ objected \(all purposes\) \{"channel":"manage-page","objection":"direct marketing \(GDPR 21\(3\)\)"\}/);
  assert.equal(
    cli('proof', 'WEG@example.com').trim(),
    'no contact for WEG@example.com; the address is on the suppression list (imported_unsubscribed): it is not mailed unless the person subscribes again themselves',
  );
  assert.deepEqual(JSON.parse(cli('proof', 'weg@example.com', '--json')), { contact: null, suppression: 'imported_unsubscribed' });
});
