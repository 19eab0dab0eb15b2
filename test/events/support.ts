/**
 * Sent campaigns for the mail-event tests: confirmed subscribers of the "tips" newsletter, a campaign sent to
 * them through the outbox, and the delivery rows by address.
 */
import { subscribe } from '../../src/services/consent/subscribe.js';
import { confirm } from '../../src/services/consent/confirm.js';
import { createCampaign, startCampaign } from '../../src/services/campaigns/campaigns.js';
import { drainQueue } from '../../src/services/campaigns/send.js';
import { signToken } from '../../src/core/tokens.js';
import type { DeliveryRow } from '../../src/store/schema.js';
import type { EventLog } from '../../src/services/events/mail-reports.js';
import { linkIn, type TestWorld } from '../support/setup.js';

/** Subscribes and confirms `email`; @returns the contact id */
export async function confirmed(w: TestWorld, email: string): Promise<string> {
  const r = await subscribe(w.deps, { formId: 'tips', email, purposes: ['tips'], language: 'nl', ip: null, userAgent: null });
  const mails = await w.mails();
  await confirm(w.deps, { token: linkIn(mails[mails.length - 1]!.text!, '/confirm/').split('/confirm/')[1]!, ip: null, userAgent: null });
  return r.contactId;
}

/** Sends one campaign to everyone allowed. @returns its deliveries keyed by address */
export async function sendCampaign(w: TestWorld, name = 'Nieuwsbrief'): Promise<Map<string, DeliveryRow>> {
  const c = await createCampaign(w.deps, { name, purposeId: 'tips', subject: 'Koffietips', body: 'Tekst' });
  await startCampaign(w.deps, c.id);
  await drainQueue(w.deps);
  const rows = await w.deps.db
    .selectFrom('deliveries')
    .innerJoin('contacts', 'contacts.id', 'deliveries.contact_id')
    .selectAll('deliveries')
    .select('contacts.email')
    .where('campaign_id', '=', c.id)
    .execute();
  return new Map(rows.map(({ email, ...d }) => [email, d]));
}

/** A manage-page token for a contact (to read the art. 15 export). */
export const manageToken = (w: TestWorld, contactId: string) =>
  signToken(w.deps.secret, { action: 'manage', subjectId: contactId, purposeId: null, campaignId: null, expiresAt: w.clock.now().getTime() + 3600_000 });

/** The suppression reasons of the contacts, by address. */
export async function suppressions(w: TestWorld): Promise<Record<string, string | null>> {
  const rows = await w.deps.db.selectFrom('contacts').select(['email', 'suppression']).orderBy('email').execute();
  return Object.fromEntries(rows.map((r) => [r.email, r.suppression]));
}

/** A log that keeps its lines, to assert the logged reasons. */
export function memoryLog(): EventLog & { lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  return { lines, info: (fields, msg) => lines.push({ level: 'info', msg, fields }), warn: (fields, msg) => lines.push({ level: 'warn', msg, fields }) };
}

