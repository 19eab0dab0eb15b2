/**
 * A campaign's content as mail (issue 10): the checks at create (format, language, templates, images, a
 * translation's link), the version each contact gets (the campaign, or its translation in the contact's language),
 * and the prepared, compiled campaign per language that the sending worker composes each message from.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../core/vocab.js';
import type { Organisation } from '../../core/organisation.js';
import { compileCampaign, composeCompiled, type CompiledCampaign, type FooterReason, type Recipient } from '../../mail/compile.js';
import { BODY_FORMATS, type BodyFormat } from '../../mail/markdown.js';
import type { OutgoingMessage } from '../../mail/message.js';
import { campaignById } from '../../store/campaigns.js';
import type { CampaignRow, PurposeRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { manageRequestUrl, privacyUrl, unsubscribeUrl } from '../consent/links.js';
import { clickRewriter } from './click-links.js';

/** The content fields of a campaign's input, shared by create and (later) edit. */
export const contentInputSchema = z.object({
  format: z.enum(BODY_FORMATS, { error: 'the format must be markdown or text' }).default('text'),
  language: z.enum(LANGUAGES, { error: 'the language must be nl or en' }).default('nl'),
  /** The id of the campaign this one translates (same purpose, other language). */
  translationOf: z.string().min(1).optional(),
});

/** The public folder of uploaded media below the base URL (see services/organisation/media.ts). */
export const mediaBase = (deps: Pick<Deps, 'baseUrl'>) => `${deps.baseUrl}/media/`;

/** Links the same for every recipient, as the composer checks them; example ones for a check at create. */
const exampleLinks = { privacy: 'https://example.com/privacy', manage: 'https://example.com/manage' };

/**
 * The composer's refusal of a content (its English message, which names "subject" or "body" first) as a
 * DomainError with a code per kind, so that pages explain each in their own words:
 * `image-not-https` {url}, `body-too-large` {length, max}, `subject-empty`, `subject-too-long` {length, max},
 * `subject-multiline`, `unknown-variable` {name}, `unknown-filter` {name}, else `invalid-template` (a Liquid
 * syntax or render error). The message stays the composer's (what the CLI prints and the API answers).
 */
export function contentRefusal(err: unknown): DomainError {
  const message = (err as Error).message;
  const field = message.startsWith('subject') ? 'subject' : 'body';
  const refuse = (code: string, params?: Record<string, string | number>) => new DomainError('invalid', message, field, code, params);
  const number = (s: string) => Number(s.replace(/,/g, ''));
  let m: RegExpExecArray | null;
  if ((m = /^body: the image "([^"]*)" must be an https:\/\/ URL/.exec(message))) return refuse('image-not-https', { url: m[1]! });
  if ((m = /^body: is ([\d,]+) characters; at most ([\d,]+)/.exec(message))) return refuse('body-too-large', { length: number(m[1]!), max: number(m[2]!) });
  if ((m = /^subject: is (\d+) characters; at most (\d+)/.exec(message))) return refuse('subject-too-long', { length: number(m[1]!), max: number(m[2]!) });
  if (/^subject: is empty/.test(message)) return refuse('subject-empty');
  if (/^subject: (must be one line|contains a control character)/.test(message)) return refuse('subject-multiline');
  if ((m = /template error[^:]*: undefined variable: (\S+)/.exec(message))) return refuse('unknown-variable', { name: m[1]! });
  if ((m = /template error[^:]*: undefined filter: (\S+)/.exec(message))) return refuse('unknown-filter', { name: m[1]! });
  return refuse('invalid-template');
}

/**
 * Compiles a campaign's content once to refuse what could not be sent: a Liquid error or unknown variable, a
 * subject that renders empty or on two lines, an image that is not https, a body that is too large.
 * @throws DomainError invalid on field `subject` or `body` with the composer's message (it names line and column)
 *   and a code per kind (see `contentRefusal`)
 */
export function checkContent(
  deps: Pick<Deps, 'baseUrl'>,
  org: Organisation,
  c: { subject: string; body: string; format: BodyFormat; language: Language; purposeName: string },
): CompiledCampaign {
  try {
    return compileCampaign({ org, ...c, links: exampleLinks, httpImagesFrom: mediaBase(deps) });
  } catch (err) {
    throw contentRefusal(err);
  }
}

/**
 * Checks the link of a translation: the original exists, serves the same purpose and category, is not itself a
 * translation, has another language, and has no other translation in this language yet (`selfId`: the campaign
 * being edited).
 * @throws DomainError invalid on field `translationOf`
 */
export async function checkTranslation(
  deps: Data,
  c: { translationOf: string; purposeId: string; category: string; language: Language },
  selfId?: string,
): Promise<void> {
  const original = await campaignById(deps.db, c.translationOf);
  const refuse = (why: string) => invalid('translationOf', `translationOf: ${why}`, 'invalid-translation');
  if (!original) throw refuse(`there is no campaign "${c.translationOf}"`);
  if (original.translation_of) throw refuse('that campaign is itself a translation; link to the original');
  if (original.purpose_id !== c.purposeId || original.category !== c.category) throw refuse('a translation serves the same purpose and category as its original');
  if (original.language === c.language) throw refuse(`the original is in ${c.language} too; a translation is in the other language`);
  if (original.status !== 'draft') throw refuse('the original is already being sent');
  const existing = await deps.db
    .selectFrom('campaigns')
    .select('id')
    .where('translation_of', '=', original.id)
    .where('language', '=', c.language)
    .where('id', '!=', selfId ?? '')
    .executeTakeFirst();
  if (existing) throw refuse(`campaign "${existing.id}" is already its ${c.language} version`);
}

/** A campaign ready to send: one compiled version per language, composed per contact. */
export interface PreparedCampaign {
  /** The version (the campaign or its translation) for a contact's language, compiled on first use. */
  forLocale(locale: string | null): CompiledCampaign;
  /** Every version's compiled content. */
  versions(): CompiledCampaign[];
}

type Version = Pick<CampaignRow, 'id' | 'subject' | 'body' | 'format' | 'language'>;

/**
 * Compiles one stored version of a campaign (the campaign or a translation) as it is sent: its own language's
 * footer and purpose name, the real privacy and manage links, our media allowed over http.
 * @param rewriteLinks counted links' rewriter (click-links.ts); absent for uncounted links (and for test sends)
 * @throws Error from the composer when the version does not compile
 */
export function compileVersion(
  deps: Pick<Deps, 'baseUrl'>,
  v: Version,
  purpose: Pick<PurposeRow, 'name_nl' | 'name_en'>,
  org: Organisation,
  rewriteLinks?: (body: string) => string,
): CompiledCampaign {
  const lang = v.language === 'en' ? 'en' : 'nl';
  return compileCampaign({
    org,
    language: lang,
    format: v.format === 'markdown' ? 'markdown' : 'text',
    subject: v.subject,
    body: v.body,
    purposeName: lang === 'nl' ? purpose.name_nl : purpose.name_en,
    links: { privacy: privacyUrl(deps), manage: manageRequestUrl(deps) },
    httpImagesFrom: mediaBase(deps),
    ...(rewriteLinks ? { rewriteLinks } : {}),
  });
}

const cache = new Map<string, { stamp: string; prepared: PreparedCampaign }>();
const CACHE_SIZE = 32;

/**
 * Prepares a campaign for sending, with its translations; kept between worker rounds while nothing it depends on
 * changed (content, translations, organisation, purpose names, base URL).
 * @throws Error from the composer when a version no longer compiles (the worker fails that delivery)
 */
export async function prepareCampaign(deps: Data & Pick<Deps, 'baseUrl'> & Partial<Pick<Deps, 'secret'>>, campaign: CampaignRow, purpose: PurposeRow, org: Organisation): Promise<PreparedCampaign> {
  const translations: Version[] = await deps.db
    .selectFrom('campaigns')
    .select(['id', 'subject', 'body', 'format', 'language'])
    .where('translation_of', '=', campaign.id)
    .execute();
  const all: Version[] = [campaign, ...translations];
  // Counted links (off unless the purpose counts clicks): each version's fixed targets become redirects.
  const { secret } = deps;
  const rewriters = new Map(await Promise.all(all.map(async (v) => [v.id, secret ? await clickRewriter({ ...deps, secret }, v.id) : null] as const)));
  const stamp = createHash('sha256')
    .update(JSON.stringify([all, org, purpose.name_nl, purpose.name_en, deps.baseUrl, [...rewriters.values()].map((r) => r?.key ?? null)]))
    .digest('base64');
  const hit = cache.get(campaign.id);
  if (hit && hit.stamp === stamp) return hit.prepared;
  const compiled = new Map<string, CompiledCampaign>();
  const compile = (v: Version): CompiledCampaign => {
    let c = compiled.get(v.id);
    if (!c) {
      c = compileVersion(deps, v, purpose, org, rewriters.get(v.id)?.rewrite);
      compiled.set(v.id, c);
    }
    return c;
  };
  const prepared: PreparedCampaign = {
    forLocale: (locale) => compile(all.find((v) => v.language === locale) ?? campaign),
    versions: () => all.map(compile),
  };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(campaign.id, { stamp, prepared });
  return prepared;
}

/**
 * Composes the message of a prepared campaign for one contact, in the version of the contact's language.
 * @throws Error from the composer (a render error, an unusable address)
 */
export function composeFor(
  deps: Deps,
  prepared: PreparedCampaign,
  m: { campaignId: string; purposeId: string; contactId: string; locale: string | null; recipient: Recipient; reason: FooterReason; messageId: string; envelopeFrom: string; listId: string },
): OutgoingMessage {
  return composeCompiled(prepared.forLocale(m.locale), {
    contact: m.recipient,
    reason: m.reason,
    unsubscribe: unsubscribeUrl(deps, m.contactId, m.purposeId, m.campaignId),
    messageId: m.messageId,
    envelopeFrom: m.envelopeFrom,
    listId: m.listId,
  });
}

/** How many allowed recipients lack a variable used without `default`, with a few of them (masked). */
export interface MissingVariable {
  variable: string;
  count: number;
  /** Up to five: contact id and masked address ("j***@voorbeeld.nl"). */
  examples: Array<{ contactId: string; email: string }>;
}

/** "jan@voorbeeld.nl" → "j***@voorbeeld.nl". */
export const maskAddress = (email: string) => email.replace(/^(.)[^@]*@/, '$1***@');

/**
 * Counts, over pages of allowed contact ids, those whose name variables are empty while the version they get (by
 * their language) uses them without a `default` filter.
 * @param allowedIdPages the allowed contacts' ids, page by page (bounded memory)
 */
export async function missingVariables(deps: Data, prepared: PreparedCampaign, allowedIdPages: AsyncIterable<string[]>): Promise<MissingVariable[]> {
  const needs = [...new Set(prepared.versions().flatMap((v) => v.needs))] as Array<'first_name' | 'last_name'>;
  if (needs.length === 0) return [];
  const out = new Map(needs.map((v) => [v, { variable: v, count: 0, examples: [] } as MissingVariable]));
  for await (const ids of allowedIdPages) {
    if (ids.length === 0) continue;
    const rows = await deps.db
      .selectFrom('contacts')
      .select(['id', 'email', 'first_name', 'last_name', 'locale'])
      .where('id', 'in', ids)
      .where((eb) => eb.or(needs.flatMap((v) => [eb(v, 'is', null), eb(v, '=', '')])))
      .execute();
    for (const r of rows) {
      for (const v of prepared.forLocale(r.locale).needs as Array<'first_name' | 'last_name'>) {
        if (r[v] !== null && r[v]!.trim() !== '') continue;
        const m = out.get(v)!;
        m.count++;
        if (m.examples.length < 5) m.examples.push({ contactId: r.id, email: maskAddress(r.email) });
      }
    }
  }
  return [...out.values()];
}
