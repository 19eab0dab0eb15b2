import { it } from 'node:test';
import assert from 'node:assert/strict';
import { initialisedCli } from '../support/cli.js';

it('webhook add|list|deliveries|remove: the secret is printed once; private targets are refused by default', () => {
  const { cli } = initialisedCli();
  assert.throws(() => cli('webhook', 'add', 'http://127.0.0.1:9/hook', '--events', 'contact.confirmed'), /local or private address; set CONSENTRY_WEBHOOKS_ALLOW_PRIVATE=true/);
  assert.throws(() => cli('webhook', 'add', 'https://93.184.216.34/hook', '--events', 'contact.opened'), /events\[0\]/);
  const added = cli('webhook', 'add', 'https://93.184.216.34/hook', '--events', 'contact.unsubscribed,contact.erased', '--description', 'CRM');
  const id = /^webhook (\S+) → https:\/\/93\.184\.216\.34\/hook$/m.exec(added)![1]!;
  const secret = /(whsec_\S+)/.exec(added)![1]!;
  const list = cli('webhook', 'list');
  assert.match(list, new RegExp(`${id}\\s+https://93\\.184\\.216\\.34/hook\\s+contact\\.unsubscribed,contact\\.erased\\s+CRM`));
  assert.ok(!list.includes(secret), 'list never shows the secret');
  assert.equal(cli('webhook', 'deliveries', id), '(none)\n');
  assert.equal(cli('webhook', 'remove', id), `webhook ${id} removed\n`);
  assert.equal(cli('webhook', 'list'), '(none)\n');
  assert.throws(() => cli('webhook', 'remove', id), /there is no webhook/);
});
