/**
 * The welcome mail of a purpose (SCENARIOS H2): sent once when a person's own sign-up for the purpose becomes
 * consent (double opt-in confirmed, or a single opt-in form), in the campaign layout with the opt-out, within the
 * purpose they consented to. Never to imported contacts (their permission did not come from a form) and never
 * twice: `welcome_mails` records it before it goes, so no second confirmation path can send it again. Also the
 * requested item of a download/service purpose (lead magnet, A3/A4), delivered by notify.ts.
 */
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../core/vocab.js';
import { compileCampaign, composeCompiled } from '../../mail/compile.js';
import { messageIdFor, verpAddress } from '../../mail/compose.js';
import { normaliseAddress } from '../../core/address.js';
import { contactById } from '../../store/contacts.js';
import { permissionFor } from '../../store/permissions.js';
import { purposeById } from '../../store/purposes.js';
import type { PurposeRow } from '../../store/schema.js';
import { getOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { invalid, issueCode, notFound } from '../errors.js';
import { checkContent, mediaBase } from '../campaigns/content.js';
import { TEST_UNSUBSCRIBE_PATH } from '../campaigns/test-send.js';
import type { OutgoingMessage } from '../../mail/message.js';
import { manageRequestUrl, privacyUrl, unsubscribeUrl } from './links.js';

/** A welcome mail per language: subject and body are Liquid templates, the body Markdown. */
export type WelcomeMail = Partial<Record<Language, { subject: string; body: string }>>;

/** The stored welcome mail of a purpose ({} when none). */
export const welcomeOf = (p: Pick<PurposeRow, 'welcome'>): WelcomeMail => (p.welcome ? (JSON.parse(p.welcome) as WelcomeMail) : {});

const welcomeInputSchema = z.object({
  language: z.enum(LANGUAGES, { error: 'the language must be nl or en' }).default('nl'),
  subject: z.string().trim().min(1, 'the subject is required').max(250, 'the subject is longer than 250 characters'),
  body: z.string().min(1, 'the body is required').max(200_000, 'the body is longer than 200,000 characters'),
});

async function loadPurpose(deps: Data, purposeId: string): Promise<PurposeRow> {
  const p = await purposeById(deps.db, purposeId);
  if (!p) throw notFound(`there is no purpose "${purposeId}"`, 'unknown-purpose');
  return p;
}

/** A welcome mail's input checked: the fields, and the templates compiled once (an error names its field). */
async function checkedWelcome(deps: Data & Pick<Deps, 'baseUrl'>, purpose: PurposeRow, input: { language?: string; subject: string; body: string }) {
  const parsed = welcomeInputSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const code = i.code === 'too_small' && Number(i.minimum) <= 1 ? 'required' : issueCode(i);
    throw invalid(i.path.join('.') || 'welcome', `${i.path.join('.')}: ${i.message}`, code);
  }
  const w = parsed.data;
  const org = await getOrganisation(deps.db);
  if (!org) throw invalid('organisation', 'the sender identity is not set up: run `consentry init` first', 'no-identity');
  checkContent(deps, org, { subject: w.subject, body: w.body, format: 'markdown', language: w.language, purposeName: w.language === 'nl' ? purpose.name_nl : purpose.name_en });
  return { ...w, org };
}

/**
 * Sets (or with `off`, removes) the welcome mail of a purpose in one language; `off` without a language removes
 * both. The templates are compiled once here, so an error is refused now, naming the field.
 * @returns the purpose's welcome mail as stored
 * @throws DomainError not_found for an unknown purpose; invalid on `language`, `subject` or `body`
 */
export async function setWelcomeMail(
  deps: Data & Pick<Deps, 'baseUrl'>,
  purposeId: string,
  input: { off: true; language?: Language } | { off?: false; language?: string; subject: string; body: string },
): Promise<WelcomeMail> {
  const purpose = await loadPurpose(deps, purposeId);
  const current = welcomeOf(purpose);
  let next: WelcomeMail;
  if (input.off) {
    next = input.language ? { ...current, [input.language]: undefined } : {};
  } else {
    const w = await checkedWelcome(deps, purpose, input);
    next = { ...current, [w.language]: { subject: w.subject, body: w.body } };
  }
  const clean = JSON.parse(JSON.stringify(next)) as WelcomeMail;
  await deps.db.updateTable('purposes').set({ welcome: Object.keys(clean).length ? JSON.stringify(clean) : null }).where('id', '=', purposeId).execute();
  return clean;
}

/**
 * Sets (or with null removes) the item a download/service purpose delivers once the address is confirmed
 * (confirm.ts; docs/decisions.md "Requested items"): an https URL, or a file served by this server
 * (`consentry media add`).
 * @throws DomainError not_found for an unknown purpose; invalid on `url`
 */
export async function setPurposeItem(deps: Data & Pick<Deps, 'baseUrl'>, purposeId: string, url: string | null): Promise<void> {
  await loadPurpose(deps, purposeId);
  if (url !== null && !url.startsWith('https://') && !url.startsWith(mediaBase(deps))) {
    throw invalid('url', 'url: the item must be an https:// URL or a file added with `consentry media add`', 'item-not-https');
  }
  if (url !== null && /[\s<>"']/.test(url)) throw invalid('url', 'url: contains spaces, quotes or angle brackets', 'invalid-url');
  await deps.db.updateTable('purposes').set({ item_url: url }).where('id', '=', purposeId).execute();
}

/**
 * Sends each purpose's welcome mail to a person whose own sign-up just became consent, at most once per person
 * and purpose. Skipped for a purpose without a welcome mail, and when the person's permission is not active
 * consent given on a form (an imported contact). A mail that cannot be sent is forgotten again, so it does not
 * count as sent; the confirmation itself stands.
 * @returns the purposes whose welcome mail was sent now
 */
export async function sendWelcomeMails(deps: Deps, input: { contactId: string; purposeIds: string[] }): Promise<string[]> {
  const sent: string[] = [];
  const org = await getOrganisation(deps.db);
  const contact = await contactById(deps.db, input.contactId);
  if (!org || !contact) return sent;
  for (const purposeId of input.purposeIds) {
    const purpose = await purposeById(deps.db, purposeId);
    const welcome = purpose ? welcomeOf(purpose) : {};
    const lang: Language | undefined = welcome[contact.locale as Language] ? (contact.locale as Language) : welcome.nl ? 'nl' : welcome.en ? 'en' : undefined;
    if (!purpose || !lang) continue;
    const permission = await permissionFor(deps.db, contact.id, purposeId);
    if (!permission || permission.status !== 'active' || permission.basis !== 'A6-1-a' || permission.source_kind !== 'form') continue;
    const now = deps.clock.now().toISOString();
    const claimed = await deps.db
      .insertInto('welcome_mails')
      .values({ contact_id: contact.id, purpose_id: purposeId, sent_at: now })
      .onConflict((oc) => oc.columns(['contact_id', 'purpose_id']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    try {
      const compiled = compileCampaign({
        org,
        language: lang,
        format: 'markdown',
        subject: welcome[lang]!.subject,
        body: welcome[lang]!.body,
        purposeName: lang === 'nl' ? purpose.name_nl : purpose.name_en,
        links: { privacy: privacyUrl(deps), manage: manageRequestUrl(deps) },
        httpImagesFrom: mediaBase(deps),
      });
      const address = normaliseAddress(contact.email);
      const domain = org.fromAddress.split('@')[1]!;
      await deps.mailer.send(
        composeCompiled(compiled, {
          contact: { email: address.ok ? address.value.display : contact.email, firstName: contact.first_name, lastName: contact.last_name },
          reason: 'consent',
          unsubscribe: unsubscribeUrl(deps, contact.id, purposeId, null),
          messageId: messageIdFor(domain),
          envelopeFrom: verpAddress(org.fromAddress, 'welcome', deps.bounceDomain),
          listId: `${purposeId}.${domain}`,
        }),
      );
      sent.push(purposeId);
    } catch {
      await deps.db.deleteFrom('welcome_mails').where('contact_id', '=', contact.id).where('purpose_id', '=', purposeId).execute();
    }
  }
  return sent;
}

/** What a purpose sends besides campaigns: its welcome mail per language and the item it delivers (or null). */
export async function purposeMail(deps: Data, purposeId: string): Promise<{ welcome: WelcomeMail; itemUrl: string | null }> {
  const p = await loadPurpose(deps, purposeId);
  return { welcome: welcomeOf(p), itemUrl: p.item_url };
}

/**
 * The welcome mail of a purpose as a person would get it, for the admin's preview: the stored version in a
 * language, or a draft (subject and body as typed, not stored), composed for a sample recipient without a name,
 * with the real privacy and manage links and a placeholder unsubscribe link (no token). Changes nothing.
 * @returns the message, or null when no draft is given and none is stored in that language
 * @throws DomainError not_found for an unknown purpose; invalid on `language`, `subject` or `body` (a draft that
 *   does not compile) or on `organisation` before set-up
 */
export async function previewWelcomeMail(
  deps: Data & Pick<Deps, 'baseUrl'>,
  purposeId: string,
  input: { language: string; draft?: { subject: string; body: string } },
): Promise<OutgoingMessage | null> {
  const purpose = await loadPurpose(deps, purposeId);
  const stored = welcomeOf(purpose)[input.language as Language];
  const content = input.draft ?? stored;
  if (!content) return null;
  const w = await checkedWelcome(deps, purpose, { language: input.language, ...content });
  const domain = w.org.fromAddress.split('@')[1]!;
  const compiled = compileCampaign({
    org: w.org,
    language: w.language,
    format: 'markdown',
    subject: w.subject,
    body: w.body,
    purposeName: w.language === 'nl' ? purpose.name_nl : purpose.name_en,
    links: { privacy: privacyUrl(deps), manage: manageRequestUrl(deps) },
    httpImagesFrom: mediaBase(deps),
  });
  return composeCompiled(compiled, {
    contact: { email: 'voorbeeld@example.com', firstName: null, lastName: null },
    reason: 'consent',
    unsubscribe: `${deps.baseUrl}${TEST_UNSUBSCRIBE_PATH}`,
    messageId: messageIdFor(domain),
    envelopeFrom: w.org.fromAddress,
    listId: `${purposeId}.${domain}`,
  });
}
