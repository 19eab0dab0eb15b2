/**
 * Transactional mail that use cases send directly (not through a campaign): the double opt-in mail (which also
 * verifies the address before a requested item goes out) and the delivery of a requested item (lead magnet).
 * Both are service messages (GDPR 6(1)(b)), not marketing.
 */
import type { Language } from '../../core/vocab.js';
import { composeConfirmationMessage, composeServiceMessage, messageIdFor, verpAddress } from '../../mail/compose.js';
import { purposeById } from '../../store/purposes.js';
import { getOrganisation } from '../../store/settings.js';
import type { Organisation } from '../../core/organisation.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { confirmUrl, privacyUrl } from './links.js';

async function organisation(deps: Deps): Promise<Organisation> {
  const org = await getOrganisation(deps.db);
  if (!org) throw new DomainError('unavailable', 'the organisation is not set up yet', undefined, 'no-identity');
  return org;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/**
 * Sends the double opt-in mail for the purposes just requested and, with `itemId`, the requested item that
 * confirming delivers (SCENARIOS A3, A4); its link is bound to that request (`requestId`) and names the item's
 * purpose too, so the confirmation delivers it (confirm.ts).
 * @param input.purposeIds consent purposes awaiting confirmation (may be empty with `itemId`)
 * @throws DomainError unavailable when the mail could not be handed to the transport
 */
export async function sendConfirmationMail(
  deps: Deps,
  input: { contactId: string; email: string; purposeIds: string[]; itemId?: string; requestId: string; language: Language },
): Promise<void> {
  const org = await organisation(deps);
  const nameOf = async (id: string) => {
    const p = await purposeById(deps.db, id);
    return p ? (input.language === 'nl' ? p.name_nl : p.name_en) : id;
  };
  const names: string[] = [];
  for (const id of input.purposeIds) names.push(await nameOf(id));
  const message = composeConfirmationMessage({
    org,
    language: input.language,
    email: input.email,
    purposeNames: names,
    ...(input.itemId && { itemName: await nameOf(input.itemId) }),
    confirmUrl: confirmUrl(deps, input.contactId, [...input.purposeIds, ...(input.itemId ? [input.itemId] : [])], input.requestId),
    privacyUrl: privacyUrl(deps),
    messageId: messageIdFor(domainOf(org.fromAddress)),
    envelopeFrom: verpAddress(org.fromAddress, 'confirm', deps.bounceDomain),
  });
  try {
    await deps.mailer.send(message);
  } catch (err) {
    throw new DomainError('unavailable', `the confirmation mail could not be sent: ${(err as Error).message}`, undefined, 'mail-failed');
  }
}

/**
 * Delivers a requested item (lead magnet) whatever the person chose about marketing (GDPR 7(4), SCENARIOS A3,
 * A4): the purpose's description and, when set (`setPurposeItem`), a download button to the item. A service
 * message at the person's own request (GDPR 6(1)(b)); callers send it only to a verified address (confirm.ts,
 * or subscribe.ts for an address confirmed before).
 * @throws the transport's error when the mail could not be handed over
 */
export async function sendLeadMagnetMail(deps: Deps, input: { email: string; purposeId: string; language: Language }): Promise<void> {
  const org = await organisation(deps);
  const purpose = await purposeById(deps.db, input.purposeId);
  if (!purpose) return;
  const nl = input.language === 'nl';
  const message = composeServiceMessage({
    org,
    language: input.language,
    email: input.email,
    subject: nl ? purpose.name_nl : purpose.name_en,
    paragraphs: [nl ? purpose.description_nl : purpose.description_en],
    ...(purpose.item_url && { action: { label: nl ? 'Downloaden' : 'Download', url: purpose.item_url } }),
    privacyUrl: privacyUrl(deps),
    messageId: messageIdFor(domainOf(org.fromAddress)),
    envelopeFrom: verpAddress(org.fromAddress, 'service', deps.bounceDomain),
  });
  await deps.mailer.send(message);
}
