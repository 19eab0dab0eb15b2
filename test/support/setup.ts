/**
 * A ready organisation for service and web tests: identity, a "tips" newsletter purpose, its form and a
 * published privacy notice, on a given store, with an outbox mailer in a temporary folder and a fixed clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { FixedClock, type Deps } from '../../src/services/deps.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { OutboxMailer, listOutbox, readOutboxMessage } from '../../src/mail/outbox.js';
import type { TestStore } from './stores.js';
import type { Organisation } from '../../src/core/organisation.js';

/** The operator's statements `init` needs for a publishable notice: no one else receives the data, none leaves the EEA. */
export const STATED = { recipients: 'none', transfers: 'none' } as const;

export const ORG: Organisation = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Kerkstraat 1, 1234 AB Utrecht',
  replyTo: 'info@deboon.example',
  fromAddress: 'nieuws@deboon.example',
  chamberOfCommerce: '12345678',
};

export const TIPS = {
  id: 'tips',
  name_nl: 'Koffietips',
  name_en: 'Coffee tips',
  description_nl: 'Elke maand tips over koffie zetten.',
  description_en: 'Monthly tips on making coffee.',
  frequency_nl: 'maandelijks',
  frequency_en: 'monthly',
};

export interface TestWorld {
  deps: Deps;
  clock: FixedClock;
  outbox: string;
  /** Messages in the outbox, oldest first, parsed. */
  mails(): Promise<ParsedMail[]>;
}

/** Sets up the organisation on `store` and returns deps that write mail to a temporary outbox. */
export async function world(store: TestStore, opts: { baseUrl?: string } = {}): Promise<TestWorld> {
  const clock = new FixedClock(new Date('2026-11-30T10:00:00Z'));
  const outbox = mkdtempSync(join(tmpdir(), 'consentry-outbox-'));
  const deps: Deps = {
    db: store.db,
    dialect: store.dialect,
    clock,
    secret: 'test-secret-test-secret-test-secret-123',
    mailer: new OutboxMailer(outbox),
    baseUrl: opts.baseUrl ?? 'http://localhost:3000',
    recordIp: true,
  };
  await initialise(deps, { organisation: ORG, purpose: TIPS, notice: STATED });
  return {
    deps,
    clock,
    outbox,
    mails: async () => {
      const entries = await listOutbox(outbox);
      return Promise.all(entries.map(async (e) => simpleParser(await readOutboxMessage(outbox, e.file))));
    },
  };
}

/** The first link in a text that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string {
  const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s>)"]+`).exec(text);
  if (!m) throw new Error(`no link starting with ${prefix} in:\n${text}`);
  return m[0];
}
