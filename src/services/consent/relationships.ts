/**
 * Facts about contacts that open bases other than consent, or close them (DESIGN.md "Relationship"), stored and
 * edited through one set of use cases for the CLI and the API: adding a contact with its kind, source and lead
 * flag (B1–B6, D3–D5), purchases with how an opt-out was offered (C2–C7), employees and their work address
 * (D1, D2), an organisation's address designated for offers (D4), and the customer-exception period (C7).
 * None of these gives a permission: only `grantPermission` (services/consent/grant.ts) and the person's own opt-in do.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { normaliseAddress } from '../../core/address.js';
import { checkName } from '../../core/names.js';
import { listedSuppression } from './suppression.js';
import { CONTACT_KINDS, SOURCE_KINDS } from '../../core/vocab.js';
import { contactByEmail, contactById, insertContact, updateContact } from '../../store/contacts.js';
import { insertPurchase, OPT_OUT_OFFERED } from '../../store/relationships.js';
import type { ContactRow, ContactUpdate } from '../../store/schema.js';
import { getDecisionSettings, putSetting } from '../../store/settings.js';
import type { SettingsFacts } from '../../core/policy/facts.js';
import type { Data, Deps } from '../deps.js';
import { invalid, issueCode, notFound } from '../errors.js';

type FactDeps = Data & Pick<Deps, 'clock'>;

/** Throws the first zod issue as a DomainError naming the field. */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const field = i.path.join('.') || 'input';
  throw invalid(field, `${field}: ${i.message}`, issueCode(i));
}

/**
 * Finds a contact by id or e-mail address.
 * @throws DomainError not_found naming what was looked for
 */
export async function findContact(deps: Data, who: string): Promise<ContactRow> {
  const byId = await contactById(deps.db, who);
  if (byId) return byId;
  const a = normaliseAddress(who);
  const c = a.ok ? await contactByEmail(deps.db, a.value.address) : undefined;
  if (!c) throw notFound(`there is no contact "${who}"`, 'unknown-contact');
  return c;
}

const personName = z.string().transform((v, ctx) => {
  const r = checkName(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
  return r.ok ? r.value : v;
});

export const contactInputSchema = z.strictObject({
  email: z.string().min(1, 'the address is required'),
  firstName: personName.optional(),
  lastName: personName.optional(),
  kind: z.enum(CONTACT_KINDS).default('unknown'),
  /** Where the address came from (B1–B6). */
  source: z.enum(SOURCE_KINDS),
  /** Where and when: a fair's name and date, a file name, a URL, the third party's name. */
  sourceRef: z.string().trim().min(1).max(500).optional(),
  lead: z.boolean().default(false),
});
export type ContactInput = z.input<typeof contactInputSchema>;

/**
 * Adds a contact with its kind, source and lead flag, without any permission: such a contact is mailed only on
 * a basis that its facts open (customer, staff, designated address) or after its own opt-in (Tw 11.7(1)).
 * Adding an address that exists changes only the kind and lead flag given; the first source is kept, and an
 * unsubscribed contact stays unsubscribed (E5).
 * @returns the contact and whether it was created
 * @throws DomainError invalid naming the field (`email`, `kind`, `source` …); nothing is stored then
 * @example addContact(deps, { email: 'jan@beurs.example', source: 'trade_fair', sourceRef: 'Horecava 2026-01-12' })
 */
export async function addContact(deps: FactDeps & Pick<Deps, 'secret'>, input: ContactInput): Promise<{ contact: ContactRow; created: boolean }> {
  const c = parse(contactInputSchema, input);
  const address = normaliseAddress(c.email);
  if (!address.ok) throw invalid('email', `email: ${address.error}`, 'invalid-email');
  const now = deps.clock.now().toISOString();
  const existing = await contactByEmail(deps.db, address.value.address);
  if (existing) {
    const patch: ContactUpdate = { updated_at: now };
    if (input.kind !== undefined) patch.kind = c.kind;
    if (input.lead !== undefined) patch.lead = c.lead ? 1 : 0;
    await updateContact(deps.db, existing.id, patch);
    return { contact: (await contactById(deps.db, existing.id))!, created: false };
  }
  const id = randomUUID();
  await insertContact(deps.db, {
    id,
    email: address.value.address,
    first_name: c.firstName || null,
    last_name: c.lastName || null,
    kind: c.kind,
    role_address: address.value.role ? 1 : 0,
    lead: c.lead ? 1 : 0,
    source_kind: c.source,
    source_ref: c.sourceRef ?? null,
    suppression: await listedSuppression(deps.db, deps.secret, address.value.address),
    locale: null,
    created_at: now,
    updated_at: now,
  });
  return { contact: (await contactById(deps.db, id))!, created: true };
}

export const contactFactsInputSchema = z.strictObject({
  kind: z.enum(CONTACT_KINDS).optional(),
  /** Required to turn a person or sole trader into an organisation: where that shows (e.g. the KvK register). */
  kindEvidence: z.string().trim().min(3).max(500).optional(),
  lead: z.boolean().optional(),
});

/**
 * Changes a contact's kind or lead flag (a prospect who never opted in, B5). Turning a natural person or sole
 * trader into an organisation takes away the protection of personal data (GDPR 4(1); D5), so it needs evidence,
 * kept in the contact's attributes as `kindEvidence`.
 * @throws DomainError not_found / invalid naming the field (`kindEvidence` when that evidence is missing)
 */
export async function updateContactFacts(deps: FactDeps, who: string, input: z.input<typeof contactFactsInputSchema>): Promise<ContactRow> {
  const f = parse(contactFactsInputSchema, input);
  const c = await findContact(deps, who);
  const becomesOrganisation = f.kind === 'organisation' && (c.kind === 'person' || c.kind === 'sole_trader');
  if (becomesOrganisation && !f.kindEvidence) {
    throw invalid('kindEvidence', `kindEvidence: a ${c.kind === 'sole_trader' ? 'sole trader' : 'natural person'} becomes an organisation only with evidence, such as the KvK register entry of a B.V. [GDPR 4(1); Tw 11.7(1)]`, 'kind-needs-evidence');
  }
  const attributes = f.kindEvidence ? { ...(JSON.parse(c.attributes) as Record<string, unknown>), kindEvidence: f.kindEvidence } : null;
  await updateContact(deps.db, c.id, {
    ...(f.kind !== undefined && { kind: f.kind }),
    ...(attributes && { attributes: JSON.stringify(attributes) }),
    ...(f.lead !== undefined && { lead: f.lead ? 1 : 0 }),
    updated_at: deps.clock.now().toISOString(),
  });
  return (await contactById(deps.db, c.id))!;
}

export const purchaseInputSchema = z.strictObject({
  productCategory: z.string().trim().min(1, 'the product category is required').max(100),
  /** When the sale happened: ISO date or time. */
  date: z.union([z.iso.date(), z.iso.datetime({ offset: true })], 'use a date like 2026-03-31 or an ISO time'),
  /** How an opt-out was offered when the address was collected at this sale: `clear`, `terms_only` or `none`. */
  optOut: z.enum(OPT_OUT_OFFERED),
});

/**
 * Records a purchase: the customer exception (Tw 11.7(3); ePrivacy 13(2)) needs the product category, the date
 * (it lapses after the configured period, C7) and whether a clear opt-out was offered at the sale (ACM: a mention
 * in the terms is not enough, C5).
 * @returns the purchase id
 * @throws DomainError invalid naming `productCategory`, `date` or `optOut`; not_found for an unknown contact
 * @example addPurchase(deps, 'klant@example.nl', { productCategory: 'koffiebonen', date: '2026-05-01', optOut: 'clear' })
 */
export async function addPurchase(deps: FactDeps, who: string, input: z.input<typeof purchaseInputSchema>): Promise<string> {
  const p = parse(purchaseInputSchema, input);
  const c = await findContact(deps, who);
  const purchasedAt = new Date(p.date.length === 10 ? `${p.date}T00:00:00Z` : p.date);
  if (purchasedAt.getTime() > deps.clock.now().getTime()) throw invalid('date', 'date: the purchase date is in the future');
  return insertPurchase(deps.db, { contactId: c.id, productCategory: p.productCategory, purchasedAt: purchasedAt.toISOString(), optOutOffered: p.optOut }, deps.clock.now());
}

/**
 * Marks a contact as an employee; `workAddress` says whether this address is their work address (D1) or a
 * private one (D2: staff mail to it needs consent, Tw 11.7(1)). Left out, it follows the domain: an address at a
 * free-mail provider (gmail.com, ziggo.nl …, core/address.ts) is taken as private, any other as the work
 * address; the operator says otherwise with `workAddress: true` (an organisation that really uses free mail).
 * @returns the contact as stored, and whether the address was taken as private because of its domain
 * @throws DomainError not_found for an unknown contact
 * @example setEmployee(deps, 'eva@gmail.com', {}) // → { contact: { employee: 1, employee_work_address: 0, … }, byDomain: true }
 */
export async function setEmployee(deps: FactDeps, who: string, input: { employee?: boolean; workAddress?: boolean }): Promise<{ contact: ContactRow; byDomain: boolean }> {
  const c = await findContact(deps, who);
  const employee = input.employee ?? true;
  const address = normaliseAddress(c.email);
  const byDomain = employee && input.workAddress === undefined && address.ok && address.value.freeMail;
  const workAddress = input.workAddress ?? !byDomain;
  await updateContact(deps.db, c.id, {
    employee: employee ? 1 : 0,
    employee_work_address: employee && workAddress ? 1 : 0,
    updated_at: deps.clock.now().toISOString(),
  });
  return { contact: (await contactById(deps.db, c.id))!, byDomain };
}

export const designationSchema = z.strictObject({
  /** Where the organisation published the address as one for offers (a URL, a directory entry). */
  evidence: z.string().trim().min(3, 'say where the address was published for offers (a URL)').max(500),
});

/**
 * Records that an organisation designated and published this address for receiving offers (Tw 11.7(1)(b); D4).
 * A contact of unknown kind becomes an organisation. A sole trader's or a person's address is personal data and
 * cannot be designated (D5).
 * @throws DomainError invalid on `evidence` (missing) or `kind` (a person or sole trader)
 */
export async function designateForOffers(deps: FactDeps, who: string, input: z.input<typeof designationSchema>): Promise<ContactRow> {
  const d = parse(designationSchema, input);
  const c = await findContact(deps, who);
  if (c.kind === 'person' || c.kind === 'sole_trader') {
    throw invalid('kind', `kind: ${c.kind === 'sole_trader' ? 'a sole trader (ZZP)' : 'a natural person'}'s address is personal data; the business-address exception does not apply [Tw 11.7(1); GDPR 4(1)]`, 'not-an-organisation');
  }
  await updateContact(deps.db, c.id, {
    kind: 'organisation',
    designated_for_offers: 1,
    designation_evidence: d.evidence,
    updated_at: deps.clock.now().toISOString(),
  });
  return (await contactById(deps.db, c.id))!;
}

export const decisionSettingsSchema = z.strictObject({
  customerExceptionMonths: z.int('a whole number of months').min(1).max(120).optional(),
});

/**
 * Changes the settings that change decisions (docs/compliance.md), e.g. how many months after the last
 * purchase the customer exception lasts (C7; default 24). Every decision shows the period it used.
 * @returns the settings now in force
 */
export async function setDecisionSettings(deps: Data, input: z.input<typeof decisionSettingsSchema>): Promise<SettingsFacts> {
  const s = parse(decisionSettingsSchema, input);
  const merged = { ...(await getDecisionSettings(deps.db)), ...s };
  await putSetting(deps.db, 'decision_settings', merged);
  return merged;
}
