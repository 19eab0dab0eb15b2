// Shared set-up for the web tests: a real SQLite store, an outbox mailer in a temporary folder, a fixed clock,
// the organisation/purpose/form from `initialise`, and the app from `buildApp`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { FastifyInstance } from 'fastify';
import { listOutbox, OutboxMailer, readOutboxMessage } from '../../src/mail/outbox.js';
import type { SignupLimits } from '../../src/services/consent/signup-limits.js';
import { FixedClock, type Deps } from '../../src/services/deps.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { buildApp } from '../../src/web/app.js';
import { STATED } from '../support/setup.js';
import { sqliteStore, type TestStore } from '../support/stores.js';

export const ORG = {
  name: 'Koffiebranderij De Boon B.V.',
  postalAddress: 'Hoofdstraat 1\n3511 AB Utrecht',
  replyTo: 'info@deboon.example',
  fromAddress: 'nieuws@deboon.example',
  chamberOfCommerce: '12345678',
};

export const PURPOSE = {
  id: 'tips',
  name_nl: 'Koffietips',
  name_en: 'Coffee tips',
  description_nl: 'Elke maand tips over bonen, branden en zetten.',
  description_en: 'Monthly tips on beans, roasting and brewing.',
  frequency_nl: 'één keer per maand',
  frequency_en: 'once a month',
};

export interface Harness {
  app: FastifyInstance;
  deps: Deps;
  store: TestStore;
  clock: FixedClock;
  outbox: string;
  formId: string;
  close(): Promise<void>;
}

/** A fresh app; `init: false` leaves the database empty (before `consentry init`). */
export async function harness(
  opts: { init?: boolean; signupsPerMinute?: number; trustProxy?: string[]; signupLimits?: Partial<SignupLimits> } = {},
): Promise<Harness> {
  const store = await sqliteStore();
  const outbox = mkdtempSync(join(tmpdir(), 'consentry-web-outbox-'));
  const clock = new FixedClock(new Date('2025-03-01T10:00:00Z'));
  const deps: Deps = {
    db: store.db,
    dialect: store.dialect,
    clock,
    secret: 'web-test-secret-0123456789abcdef0123456789',
    mailer: new OutboxMailer(outbox),
    baseUrl: 'http://localhost:3000',
    recordIp: true,
  };
  let formId = '';
  if (opts.init !== false) formId = (await initialise(deps, { organisation: ORG, purpose: PURPOSE, formId: 'koffie', notice: STATED })).formId;
  const app = await buildApp(deps, { signupsPerMinute: opts.signupsPerMinute ?? 1000, ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.signupLimits ? { signupLimits: opts.signupLimits } : {}),
  });
  return {
    app,
    deps,
    store,
    clock,
    outbox,
    formId,
    close: async () => {
      await app.close();
      await store.dispose();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
}

/** Row counts of the tables a sign-up writes. */
export async function counts(deps: Deps): Promise<{ contacts: number; events: number; permissions: number }> {
  const n = async (table: 'contacts' | 'consent_events' | 'permissions') =>
    Number((await deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { contacts: await n('contacts'), events: await n('consent_events'), permissions: await n('permissions') };
}

/** The status of a contact's permission for a purpose. */
export async function permissionStatus(deps: Deps, email: string, purposeId = PURPOSE.id): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('permissions')
    .innerJoin('contacts', 'contacts.id', 'permissions.contact_id')
    .select('permissions.status')
    .where('contacts.email', '=', email)
    .where('permissions.purpose_id', '=', purposeId)
    .executeTakeFirst();
  return row?.status;
}

/** The path (/confirm/<token>) of the newest confirmation link in the outbox. */
export async function lastConfirmPath(outbox: string): Promise<string> {
  const entries = await listOutbox(outbox);
  const last = entries.at(-1);
  if (!last) throw new Error('the outbox is empty');
  const mail = await simpleParser(await readOutboxMessage(outbox, last.file));
  const m = /https?:\/\/[^/\s]+(\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.text ?? '');
  if (!m) throw new Error(`no confirm link in: ${mail.text}`);
  return m[1]!;
}

/** A urlencoded body; arrays repeat the key. */
export function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };
