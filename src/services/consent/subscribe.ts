/**
 * Sign-up through a form (SCENARIOS A1, A3, A4, A6, G1): one unticked box per purpose; each ticked box becomes a
 * pending permission (double opt-in) or an active one (single opt-in deliberately chosen for the form), proven
 * by a ledger event that records the exact text shown, the privacy-notice version, the language, and the IP
 * and user agent (IP only when the setting allows).
 *
 * A form's requested item (lead magnet, a service purpose) is delivered whatever the person chose about
 * marketing (GDPR 7(4)), but only to a verified address (docs/decisions.md "Requested items"): the request is
 * recorded now (`requested`, basis A6-1-b, permission pending) and the confirmation mail says that confirming
 * delivers it; confirm.ts delivers it. An address this organisation verified before (an active permission
 * confirmed through its own link) gets the item at once (`given`), unless something else awaits confirmation,
 * when the one confirmation mail covers both.
 */
import { randomUUID } from 'node:crypto';
import { normaliseAddress, notForMailings } from '../../core/address.js';
import { checkName } from '../../core/names.js';
import { sha256 } from '../../core/ledger-chain.js';
import type { Language } from '../../core/vocab.js';
import { contactByEmail, insertContact } from '../../store/contacts.js';
import { formById } from '../../store/forms.js';
import { currentNotice } from '../../store/notices.js';
import { permissionFor } from '../../store/permissions.js';
import { purposeById } from '../../store/purposes.js';
import type { Kysely } from 'kysely';
import type { DB, FormRow, PermissionRow } from '../../store/schema.js';
import { appendEvent } from '../../store/ledger.js';
import type { Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { sendConfirmationMail, sendLeadMagnetMail } from './notify.js';
import { changePermission } from './permission-change.js';
import { claimSignupMail } from './signup-limits.js';
import { listedSuppression } from './suppression.js';
import { sendWelcomeMails } from './welcome.js';

/** Per-language texts of a form, as stored in forms.texts. */
export interface FormTexts {
  title: string;
  intro: string;
  /** The label of each purpose's box, exactly as shown. */
  labels: Record<string, string>;
}

export interface SubscribeInput {
  formId: string;
  email: string;
  firstName?: string;
  /** Purpose ids whose boxes were ticked. */
  purposes: string[];
  language: Language;
  ip: string | null;
  userAgent: string | null;
}

export interface SubscribeResult {
  contactId: string;
  /** Purposes now awaiting confirmation. */
  pending: string[];
  /** Purposes active at once (single opt-in). */
  active: string[];
  /** Purposes the person already had, left as they were. */
  unchanged: string[];
  /**
   * The requested item (the form's lead-magnet purpose id) and when it goes: `on-confirmation` (in the
   * confirmation mail's link, confirm.ts) or `now` (a verified address: mailed now when `mailed`); null when the
   * form offers none.
   */
  item: { purposeId: string; delivery: 'on-confirmation' | 'now' } | null;
  /** Whether mail went out now (false: the address had its mail from a sign-up in the last 24 hours). */
  mailed: boolean;
}

/** Reads a form's texts for one language, falling back to the other. */
export function formTexts(form: FormRow, lang: Language): FormTexts {
  const all = JSON.parse(form.texts) as Partial<Record<Language, FormTexts>>;
  return (all[lang] ?? all.nl ?? all.en)!;
}

export const formPurposes = (form: FormRow): string[] => JSON.parse(form.purposes) as string[];

/** The type of the subject's latest ledger event about a purpose. */
async function latestEventType(db: Kysely<DB>, subjectId: string, purposeId: string): Promise<string | undefined> {
  const e = await db.selectFrom('consent_events').select('type').where('subject_id', '=', subjectId).where('purpose_id', '=', purposeId)
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return e?.type;
}

/** Whether a permission already holds consent given on a form (confirmed, or single opt-in by design). */
const hasFormConsent = (p: PermissionRow): boolean =>
  p.status === 'active' &&
  p.basis === 'A6-1-a' &&
  (p.method === 'single_opt_in' || (p.method === 'double_opt_in' && p.confirmed_at !== null));

/**
 * Whether this organisation verified the address before: an active permission from a form, confirmed through
 * its own link (a double opt-in, or an earlier requested item), and no suppression on the address.
 */
async function verifiedAddress(db: Kysely<DB>, contact: { id: string; suppression: string | null }): Promise<boolean> {
  if (contact.suppression) return false;
  const row = await db.selectFrom('permissions').select('id').where('contact_id', '=', contact.id).where('status', '=', 'active')
    .where('source_kind', '=', 'form').where('confirmed_at', 'is not', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** A submission that passed `checkSubscription`: the form, the address and name as stored, the boxes ticked. */
export interface CheckedSubscription {
  form: FormRow;
  address: Extract<ReturnType<typeof normaliseAddress>, { ok: true }>['value'];
  firstName: string;
  ticked: string[];
}

/**
 * Checks a form submission without storing anything.
 * @throws DomainError not_found for an unknown form; invalid (with field) for a bad address, a name with a line
 *   break, an unknown purpose or no box ticked on a form without lead magnet
 */
export async function checkSubscription(deps: Pick<Deps, 'db'>, input: SubscribeInput): Promise<CheckedSubscription> {
  const form = await formById(deps.db, input.formId);
  if (!form) throw notFound(`there is no form "${input.formId}"`, 'unknown-form');
  const address = normaliseAddress(input.email);
  if (!address.ok) throw invalid('email', address.error, 'invalid-email');
  const unfit = notForMailings(address.value);
  if (unfit) throw invalid('email', unfit, 'invalid-email');
  const name = checkName(input.firstName ?? '');
  if (!name.ok) throw invalid('firstName', name.error, 'invalid-name');
  const offered = formPurposes(form);
  const unknown = input.purposes.filter((p) => !offered.includes(p));
  if (unknown.length > 0) throw invalid('purposes', `this form does not offer "${unknown.join('", "')}"`, 'unknown-purpose');
  const ticked = [...new Set(input.purposes)];
  if (ticked.length === 0 && !form.lead_magnet_purpose_id) {
    throw invalid('purposes', 'tick at least one box', 'nothing-chosen');
  }
  return { form, address: address.value, firstName: name.value, ticked };
}

/**
 * Handles a form submission. Mail goes out at most once per address per 24 hours (MAIL_INTERVAL_MS): a repeated
 * sign-up while the first is still awaiting confirmation is recorded but mails nothing, and the caller's page says
 * the same either way. A first request (new address, or after a withdrawal or erasure) is always mailed. A
 * requested item is never mailed to an unverified address here: see the module comment.
 * @throws DomainError as `checkSubscription`; unavailable when no privacy notice is published or the mail could
 *   not be handed over. Nothing is stored when it throws before the mail.
 */
export async function subscribe(deps: Deps, input: SubscribeInput): Promise<SubscribeResult> {
  const { form, address, firstName, ticked } = await checkSubscription(deps, input);
  const notice = await currentNotice(deps.db);
  if (!notice) throw new DomainError('unavailable', 'no privacy notice is published, so this form is closed', undefined, 'no-notice');

  const now = deps.clock.now();
  const texts = formTexts(form, input.language);
  const single = form.double_opt_in === 0;
  const personal = {
    email: address.address,
    ...(deps.recordIp && input.ip ? { ip: input.ip } : {}),
    ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 300) } : {}),
  };
  const result: SubscribeResult = { contactId: '', pending: [], active: [], unchanged: [], item: null, mailed: false };
  // Names this sign-up's `requested` events; the confirmation link confirms this request only (confirm.ts).
  const requestId = randomUUID();
  let newContact = false;
  // Whether the person already had a sign-up awaiting confirmation (a pending permission, or a request after a
  // withdrawal): then its mail went out already and the 24-hour limit applies.
  let hadOpenRequest = false;

  await deps.db.transaction().execute(async (trx) => {
    let contact = await contactByEmail(trx, address.address);
    if (!contact) {
      newContact = true;
      await insertContact(trx, {
        id: randomUUID(),
        email: address.address,
        first_name: firstName || null,
        last_name: null,
        kind: 'person',
        role_address: address.role ? 1 : 0,
        source_kind: 'form',
        source_ref: `form:${form.id}`,
        suppression: await listedSuppression(trx, deps.secret, address.address),
        locale: input.language,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      contact = (await contactByEmail(trx, address.address))!;
    }
    result.contactId = contact.id;
    for (const purposeId of ticked) {
      const existing = await permissionFor(trx, contact.id, purposeId);
      if (existing && !hadOpenRequest) hadOpenRequest = existing.status === 'pending' || (await latestEventType(trx, contact.id, purposeId)) === 'requested';
      if (existing && hasFormConsent(existing)) {
        result.unchanged.push(purposeId);
        continue;
      }
      const label = texts.labels[purposeId] ?? purposeId;
      // Someone who opted out (or was suppressed) is subscribed again only by confirming, even on a single
      // opt-in form: "unsubscribed = unsubscribed" until their own confirmed opt-in (E5).
      const confirmFirst = !single || !!contact.suppression || (existing !== undefined && existing.status !== 'pending');
      const details = {
        formId: form.id,
        language: input.language,
        textShown: label,
        textHash: sha256(label),
        noticeVersion: notice.version,
        ...(confirmFirst ? { request: requestId } : { verified: false, note: 'single opt-in, unverified' }),
      };
      if (existing && existing.status !== 'pending' && existing.status !== 'expired') {
        // The standing permission (withdrawn, objected, or resting on imported evidence) stays as it is until the
        // person confirms; the request itself is recorded as evidence.
        await appendEvent(
          trx,
          { subjectId: contact.id, type: 'requested', purposeId, basis: 'A6-1-a', occurredAt: now, details: { method: 'double_opt_in', source: 'form', ...details }, personal },
          now,
        );
      } else {
        await changePermission(
          trx,
          {
            contactId: contact.id,
            purposeId,
            event: confirmFirst ? 'requested' : 'given',
            basis: 'A6-1-a',
            status: confirmFirst ? 'pending' : 'active',
            method: confirmFirst ? 'double_opt_in' : 'single_opt_in',
            sourceKind: 'form',
            occurredAt: now,
            givenAt: now,
            confirmedAt: null,
            withdrawnAt: null,
            noticeVersion: notice.version,
            details,
            personal,
          },
          now,
        );
      }
      (confirmFirst ? result.pending : result.active).push(purposeId);
    }
    const item = form.lead_magnet_purpose_id ? await purposeById(trx, form.lead_magnet_purpose_id) : undefined;
    if (item) {
      const existing = await permissionFor(trx, contact.id, item.id);
      if (existing && !hadOpenRequest) hadOpenRequest = existing.status === 'pending' || (await latestEventType(trx, contact.id, item.id)) === 'requested';
      // At once only when nothing else needs the confirmation mail: a request mails one message either way.
      const atOnce = result.pending.length === 0 && (await verifiedAddress(trx, contact));
      const details = {
        formId: form.id,
        language: input.language,
        requested: 'lead magnet',
        noticeVersion: notice.version,
        request: requestId,
        ...(atOnce && { verifiedBefore: true }),
      };
      const change = { contactId: contact.id, purposeId: item.id, basis: 'A6-1-b', method: 'contract', sourceKind: 'form', occurredAt: now, noticeVersion: notice.version, details, personal } as const;
      if (atOnce) {
        await changePermission(trx, { ...change, event: 'given', status: 'active', givenAt: now, withdrawnAt: null }, now);
      } else if (existing && existing.status !== 'pending' && existing.status !== 'expired') {
        // A standing permission (e.g. an item delivered before on an unverified request) stays as it is until
        // the confirmation; the request itself is recorded as evidence.
        await appendEvent(trx, { subjectId: contact.id, type: 'requested', purposeId: item.id, basis: 'A6-1-b', occurredAt: now, details: { method: 'contract', source: 'form', ...details }, personal }, now);
      } else {
        await changePermission(trx, { ...change, event: 'requested', status: 'pending', givenAt: now, confirmedAt: null, withdrawnAt: null }, now);
      }
      result.item = { purposeId: item.id, delivery: atOnce ? 'now' : 'on-confirmation' };
    }
  });

  // At most one mail per 24 h to an address whose sign-up is pending (or that asked for an item before), so a
  // form cannot be used to flood a mailbox. Every mail counts; a first request (a new address, or after a
  // withdrawal, confirmation or erasure) is always mailed. A request mails one message: the confirmation mail
  // (newsletters and/or the item), or for a verified address asking only for the item, the item itself.
  const itemOnConfirm = result.item?.delivery === 'on-confirmation' ? result.item.purposeId : undefined;
  const mails = result.pending.length > 0 || result.item !== null;
  const claim = mails ? await claimSignupMail(deps, address.address) : null;
  const limited = hadOpenRequest || (!newContact && result.item !== null);
  const allowance = claim && { granted: claim.granted || !limited, release: claim.release };
  if (allowance?.granted) {
    try {
      if (result.pending.length > 0 || itemOnConfirm) {
        await sendConfirmationMail(deps, {
          contactId: result.contactId,
          email: address.display,
          purposeIds: result.pending,
          ...(itemOnConfirm && { itemId: itemOnConfirm }),
          requestId,
          language: input.language,
        });
      } else if (result.item) {
        await sendLeadMagnetMail(deps, { email: address.display, purposeId: result.item.purposeId, language: input.language }).catch((err: Error) => {
          throw new DomainError('unavailable', `the requested item could not be sent: ${err.message}`, undefined, 'mail-failed');
        });
      }
    } catch (err) {
      await allowance.release();
      throw err;
    }
  }
  if (result.active.length > 0) await sendWelcomeMails(deps, { contactId: result.contactId, purposeIds: result.active });
  result.mailed = allowance?.granted ?? false;
  return result;
}
