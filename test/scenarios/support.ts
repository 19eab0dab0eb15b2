/**
 * Scenario set-up through the product's own interfaces (use cases and the JSON API via `app.inject()`): the test
 * world of test/support/setup.ts plus the app and an API key, helpers to opt in through the form and to read the
 * decision the gate makes for a campaign and a contact (the claim-time facts, exactly as the worker builds them).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { decide, type Decision } from '../../src/core/policy/decide.js';
import type { ReasonCode } from '../../src/core/policy/reasons.js';
import { createApiKey } from '../../src/services/organisation/api-keys.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { freshFacts } from '../../src/services/consent/facts.js';
import { findContact } from '../../src/services/consent/relationships.js';
import { createPurpose } from '../../src/services/organisation/purposes.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { campaignById } from '../../src/store/campaigns.js';
import { getDecisionSettings } from '../../src/store/settings.js';
import { buildApp } from '../../src/web/app.js';
import { linkIn, world, type TestWorld } from '../support/setup.js';
import type { TestStore } from '../support/stores.js';

export interface Scene extends TestWorld {
  app: FastifyInstance;
  /** Calls the JSON API with the scene's key. */
  api(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A ready organisation ("tips" purpose, form, published notice) with the app and an API key. */
export async function scene(store: TestStore): Promise<Scene> {
  const w = await world(store);
  const app = await buildApp(w.deps);
  const key = await createApiKey(w.deps, 'scenarios');
  return {
    ...w,
    app,
    api: (method, url, payload) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${key}` }, ...(payload !== undefined && { payload: payload as object }) }),
    close: async () => {
      await app.close();
      await store.dispose();
    },
  };
}

/** Adds a purpose-marketing purpose (a newsletter) with plain names. */
export async function purpose(s: Scene, id: string): Promise<void> {
  await createPurpose(s.deps, { id, name_nl: `Doel ${id}`, name_en: `Purpose ${id}`, description_nl: `Mail over ${id}.`, description_en: `Mail about ${id}.` });
}

/** Signs up on a form and, unless told not to, presses the confirmation link from the mail (double opt-in). */
export async function optIn(s: Scene, email: string, opts: { formId?: string; purposes?: string[]; confirm?: boolean } = {}): Promise<string> {
  const before = (await s.mails()).length;
  const r = await subscribe(s.deps, { formId: opts.formId ?? 'tips', email, purposes: opts.purposes ?? ['tips'], language: 'nl', ip: '192.0.2.1', userAgent: 'scenario' });
  if (opts.confirm !== false && r.pending.length > 0) {
    const mails = await s.mails();
    const mail = mails.slice(before).find((m) => m.text?.includes('/confirm/'))!;
    const token = linkIn(mail.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!;
    await confirm(s.deps, { token, ip: null, userAgent: null });
  }
  return r.contactId;
}

/** The decision the worker would make now for this campaign and contact (id or address). */
export async function decisionFor(s: Scene, campaignId: string, who: string): Promise<Decision> {
  const campaign = (await campaignById(s.deps.db, campaignId))!;
  const contact = await findContact(s.deps, who);
  const loaded = await freshFacts(s.deps.db, s.deps.secret, campaign, contact.id, await getDecisionSettings(s.deps.db));
  return decide(loaded!.facts, s.clock.now());
}

/** Asserts an allowed decision with the given basis, first reason and (part of) a source. */
export function assertAllowed(d: Decision, code: ReasonCode, basis: string, source: string): void {
  assert.equal(d.allowed, true, `expected allowed, got ${JSON.stringify(d.reasons.map((r) => r.code))}`);
  assert.equal(d.basis, basis);
  assert.equal(d.reasons[0]!.code, code);
  assert.ok(d.reasons[0]!.sources.some((x) => x.includes(source)), `source ${source} not in ${d.reasons[0]!.sources.join(', ')}`);
}

/** Asserts a blocked decision whose reasons include `code`, with `source` among that reason's sources. */
export function assertBlocked(d: Decision, code: ReasonCode, source: string, opts: { first?: boolean } = {}): void {
  const codes = d.reasons.map((r) => r.code);
  assert.equal(d.allowed, false, `expected blocked, got allowed by ${codes.join(', ')}`);
  const r = d.reasons.find((x) => x.code === code);
  assert.ok(r, `expected ${code} among ${codes.join(', ')}`);
  if (opts.first) assert.equal(codes[0], code);
  assert.ok(r.sources.some((x) => x.includes(source)), `source ${source} not in ${r.sources.join(', ')}`);
}

/** Writes a temporary file and returns its path. */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-scenario-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A Mailchimp "subscribed" export with the given rows (address, OPTIN_TIME, CONFIRM_TIME). */
export function mailchimpSubscribed(rows: Array<[string, string, string]>): string {
  const header = 'Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LEID,EUID';
  return tempFile('subscribed_members_export.csv', [header, ...rows.map(([e, o, c]) => `${e},,,${o},,${c},,1,abc`)].join('\n') + '\n');
}
