/**
 * A campaign as one contact would see it, without anything real in it (issue 10 "Pages"): the editor's preview and
 * the test send to an admin's own address. Both compose the campaign's own version with the same layout as a send,
 * but with a placeholder unsubscribe link (no signed token exists for it) and the links as written (never a
 * counted `/r/…` redirect). A test send writes no delivery row, counts in no figure and goes only to the address
 * of an admin user, with "[TEST] " before its subject, through the configured transport (outbox or SMTP).
 */
import { normaliseAddress } from '../../core/address.js';
import { isLanguage } from '../../core/vocab.js';
import { BODY_FORMATS } from '../../mail/markdown.js';
import type { FooterReason } from '../../mail/compile.js';
import { composeCompiled } from '../../mail/compile.js';
import { messageIdFor } from '../../mail/compose.js';
import { TransportError, type OutgoingMessage } from '../../mail/message.js';
import { adminUserByEmail } from '../../store/admin-users.js';
import { purposeById } from '../../store/purposes.js';
import type { CampaignRow } from '../../store/schema.js';
import { getOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { findContact } from '../consent/relationships.js';
import { loadCampaign } from './campaigns.js';
import { compileVersion, contentRefusal } from './content.js';

/** Marks a test send's subject. */
export const TEST_SUBJECT_PREFIX = '[TEST] ';

/** The path of the placeholder unsubscribe link of previews and test sends (no token: it unsubscribes nobody). */
export const TEST_UNSUBSCRIBE_PATH = '/u/test-message-no-real-link';

/** The recipient of a preview without a chosen contact. */
const SAMPLE_RECIPIENT = { email: 'voorbeeld@example.com', firstName: null, lastName: null };

/** The footer's "why you receive this" that a category's messages mostly carry (a send decides it per contact). */
const footerFor = (c: CampaignRow): FooterReason =>
  c.category === 'customer_marketing' ? 'customer' : c.category === 'repermission' ? 'repermission' : 'consent';

/**
 * The campaign's own version (not a translation) composed for one contact, or for a sample recipient without a
 * name: placeholder unsubscribe link, links as written. Changes nothing and creates no token.
 * @param opts.contact id or address of a contact whose name and address fill the variables (any contact; the editor
 *   offers allowed ones)
 * @param opts.draft content as typed in the editor, previewed instead of the stored version and never stored:
 *   subject, body, format (markdown|text), language (nl|en) and the purpose whose name the footer gives
 * @returns the message as the transport would get it (To is the contact's address)
 * @throws DomainError not_found for an unknown campaign, purpose or contact; unavailable without the organisation
 *   set up; invalid on `body` or `subject` when the content does not compile, on `format` or `language` when a
 *   draft's is unknown
 * @example const m = await sampleMessage(deps, campaignId, { contact: contactId }); // m.html is the preview
 */
export async function sampleMessage(
  deps: Data & Pick<Deps, 'baseUrl'>,
  campaignId: string,
  opts: { contact?: string; draft?: { subject: string; body: string; format: string; language: string; purposeId: string } } = {},
): Promise<OutgoingMessage> {
  const stored = await loadCampaign(deps.db, campaignId);
  const campaign = opts.draft ? { ...stored, ...draftContent(opts.draft) } : stored;
  const org = await getOrganisation(deps.db);
  if (!org) throw new DomainError('unavailable', 'the organisation is not set up: run `consentry init` first', undefined, 'no-identity');
  const purpose = await purposeById(deps.db, campaign.purpose_id);
  if (!purpose) throw notFound(`there is no purpose "${campaign.purpose_id}"`, 'unknown-purpose');
  let recipient: { email: string; firstName: string | null; lastName: string | null } = SAMPLE_RECIPIENT;
  if (opts.contact) {
    const contact = await findContact(deps, opts.contact);
    const address = normaliseAddress(contact.email);
    recipient = { email: address.ok ? address.value.display : contact.email, firstName: contact.first_name, lastName: contact.last_name };
  }
  try {
    const compiled = compileVersion(deps, campaign, purpose, org);
    const domain = org.fromAddress.split('@')[1]!;
    return composeCompiled(compiled, {
      contact: recipient,
      reason: footerFor(campaign),
      unsubscribe: `${deps.baseUrl}${TEST_UNSUBSCRIBE_PATH}`,
      messageId: messageIdFor(domain),
      envelopeFrom: org.fromAddress,
      listId: `${campaign.purpose_id}.${domain}`,
    });
  } catch (err) {
    throw contentRefusal(err);
  }
}

/** A draft's content fields as a campaign row's; an unknown format or language is refused on its field. */
function draftContent(d: { subject: string; body: string; format: string; language: string; purposeId: string }): Pick<CampaignRow, 'subject' | 'body' | 'format' | 'language' | 'purpose_id'> {
  if (!(BODY_FORMATS as readonly string[]).includes(d.format)) throw invalid('format', 'format: the format must be markdown or text');
  if (!isLanguage(d.language)) throw invalid('language', 'language: the language must be nl or en');
  return { subject: d.subject, body: d.body, format: d.format, language: d.language, purpose_id: d.purposeId };
}

/**
 * Sends a campaign as one contact would get it to an admin user's own address: subject "[TEST] …", the
 * placeholder unsubscribe link, uncounted links, header `X-Consentry-Test: yes`. No delivery row, no figure, no
 * ledger event; the campaign's status does not matter (a sent campaign can be tried again too).
 * @param input.to the address of an admin user (the admin app passes the signed-in person's own)
 * @param input.contact id or address of the contact whose name and address fill the variables (default: a sample
 *   without a name)
 * @returns the address it went to and the transport's answer
 * @throws DomainError invalid on `to` when it is not an admin user's address; not_found for an unknown campaign or
 *   contact; unavailable (field `to`, code `test-send-failed`) when the transport refused it
 * @example await sendTestMessage(deps, { campaignId, to: 'eigenaar@deboon.example' })
 */
export async function sendTestMessage(
  deps: Deps,
  input: { campaignId: string; to: string; contact?: string },
): Promise<{ to: string; subject: string; response: string }> {
  const address = normaliseAddress(input.to ?? '');
  const user = address.ok ? await adminUserByEmail(deps.db, address.value.address) : undefined;
  if (!user) throw invalid('to', `to: a test goes only to the address of an admin user ("${input.to}" is not one)`, 'not-admin-address');
  const sample = await sampleMessage(deps, input.campaignId, input.contact ? { contact: input.contact } : {});
  const message: OutgoingMessage = {
    ...sample,
    to: user.email,
    subject: `${TEST_SUBJECT_PREFIX}${sample.subject}`,
    headers: { ...sample.headers, 'X-Consentry-Test': 'yes' },
  };
  try {
    const sent = await deps.mailer.send(message);
    return { to: user.email, subject: message.subject, response: sent.response };
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    throw new DomainError('unavailable', `the mail server did not take the test: ${err.message}`, 'to', 'test-send-failed');
  }
}
