/**
 * A rich state for audit and evidence tests: the Mailchimp fixture imported (with an evidence reference), and
 * through the product's own use cases: a confirmed sign-up, a pending one, an unsubscribe from the purpose, an
 * unsubscribe from everything (suppressed), an erased contact (its chain stays), and a purchase.
 */
import { join } from 'node:path';
import { confirm } from '../../src/services/consent/confirm.js';
import { eraseContact } from '../../src/services/rights/erase.js';
import { importMailchimp } from '../../src/services/lists/import/mailchimp.js';
import { unsubscribeUrl } from '../../src/services/consent/links.js';
import { subscribe } from '../../src/services/consent/subscribe.js';
import { unsubscribe } from '../../src/services/consent/unsubscribe.js';
import { insertPurchase } from '../../src/store/relationships.js';
import { FIXTURES } from '../import/helpers.js';
import { linkIn, world, type TestWorld } from '../support/setup.js';
import type { TestStore } from '../support/stores.js';

const DIR = join(FIXTURES, 'mailchimp');
export const MAILCHIMP = {
  subscribed: join(DIR, 'subscribed_members_export.csv'),
  unsubscribed: join(DIR, 'unsubscribed_members_export.csv'),
  cleaned: join(DIR, 'cleaned_members_export.csv'),
};

/** Signs up `email` for tips; confirms unless `confirmIt` is false. Returns the contact id. */
async function signUp(w: TestWorld, email: string, confirmIt = true): Promise<string> {
  const before = (await w.mails()).length;
  const sub = await subscribe(w.deps, { formId: 'tips', email, firstName: 'Test', purposes: ['tips'], language: 'nl', ip: '192.0.2.7', userAgent: 'test' });
  if (confirmIt) {
    const mail = (await w.mails())[before]!;
    const token = linkIn(mail.text!, 'http://localhost:3000/confirm/').split('/confirm/')[1]!;
    await confirm(w.deps, { token, ip: '192.0.2.8', userAgent: 'test' });
  }
  return sub.contactId;
}

/** Builds the state on a fresh store; returns the world and the ids of the people signed up through the form. */
export async function richState(store: TestStore) {
  const w = await world(store);
  await importMailchimp(w.deps, { files: MAILCHIMP, purposeId: 'tips', evidenceRef: 'MC-AUDIENCE-1' });
  const anna = await signUp(w, 'anna@example.nl');
  const carol = await signUp(w, 'carol@example.nl', false);
  const bob = await signUp(w, 'bob@example.nl');
  const dave = await signUp(w, 'dave@example.nl');
  const erin = await signUp(w, 'erin@example.nl');
  w.clock.advance(60_000);
  const token = (id: string) => unsubscribeUrl(w.deps, id, 'tips', null).split('/u/')[1]!;
  await unsubscribe(w.deps, { token: token(bob), scope: 'purpose', channel: 'page' });
  await unsubscribe(w.deps, { token: token(dave), scope: 'all', channel: 'one-click' });
  await eraseContact(w.deps, erin, 'request:art17');
  await insertPurchase(store.db, { contactId: anna, productCategory: 'coffee', purchasedAt: '2026-10-01T12:00:00.000Z', optOutOffered: 'clear' }, w.clock.now());
  return { w, anna, carol, bob, dave, erin };
}
