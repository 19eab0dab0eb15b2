/**
 * Campaigns: create, preview (who may be mailed and why not), and start (enqueue one delivery per contact,
 * each with the decision of that moment; the worker decides again at claim time before it sends).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decide, type Decision } from '../../core/policy/decide.js';
import type { SettingsFacts } from '../../core/policy/facts.js';
import { checkCampaign, hasErrors, type Problem } from '../../core/policy/guards.js';
import { MESSAGE_CATEGORIES, type MessageCategory } from '../../core/vocab.js';
import { messageIdFor } from '../../mail/compose.js';
import { audienceKeyMember, audienceKeyPages, type AudienceKeyOptions } from '../../store/audience.js';
import { campaignById, insertCampaign, updateCampaign } from '../../store/campaigns.js';
import { enqueueDeliveries, type NewDelivery } from '../../store/deliveries.js';
import { purposeById } from '../../store/purposes.js';
import type { CampaignRow } from '../../store/schema.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { memberFacts } from '../consent/facts.js';
import { finishCampaignIfDone } from './send.js';
import { fixCampaignLinks } from './click-links.js';
import { missingFor } from '../organisation/notice-admin.js';
import { currentNotice } from '../../store/notices.js';
import { checkContent, checkTranslation, contentInputSchema, maskAddress, missingVariables, prepareCampaign, type MissingVariable } from './content.js';

const oneLine = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(250, `${what} is longer than 250 characters`)
    .refine((s) => !/[\r\n]/.test(s), `${what} contains a line break`);

/** The code (and its values) of a schema refusal of a campaign's input, for pages; see `contentRefusal`. */
function schemaCode(field: string, issue: z.core.$ZodIssue, input: CampaignInput): [string?, Record<string, string | number>?] {
  const given = (input as Record<string, unknown>)[field];
  // The subject is checked trimmed, the body as it is.
  const length = typeof given !== 'string' ? 0 : field === 'body' ? given.length : given.trim().length;
  if (issue.code === 'too_small') return ['required'];
  if (issue.code === 'too_big' && field === 'body') return ['body-too-large', { length, max: Number(issue.maximum) }];
  if (issue.code === 'too_big' && field === 'subject') return ['subject-too-long', { length, max: Number(issue.maximum) }];
  if (issue.code === 'too_big') return ['too-long'];
  if (issue.code === 'custom' && field === 'subject') return ['subject-multiline'];
  return [];
}

export const campaignInputSchema = z.object({
  subject: oneLine('the subject'),
  name: oneLine('the name'),
  purposeId: z.string().min(1, 'the purpose is required'),
  category: z.enum(MESSAGE_CATEGORIES).default('purpose_marketing'),
  body: z.string().min(1, 'the body is required').max(200_000, 'the body is longer than 200,000 characters'),
  productCategory: z.string().trim().min(1).optional(),
  otherLegalEntity: z.boolean().default(false),
  thirdParty: z.boolean().default(false),
  repermissionDeadline: z.iso.datetime().optional(),
}).extend(contentInputSchema.shape);
export type CampaignInput = z.input<typeof campaignInputSchema>;

/**
 * A warning when the published privacy notice no longer covers what the product does (e.g. customers mailed on
 * legitimate interest while the notice names none, GDPR 13(1)(d)): the campaign may still go, but the notice
 * should be completed first.
 */
async function noticeWarnings(deps: Data): Promise<Problem[]> {
  const notice = await currentNotice(deps.db);
  const missing = notice ? await missingFor(deps, notice) : [];
  if (missing.length === 0) return [];
  const items = missing.map((m) => m.item).join(', ');
  return [
    {
      field: 'notice',
      code: 'NOTICE_INCOMPLETE',
      message_en: `the published privacy notice misses ${items}; see \`consentry notice missing\``,
      message_nl: `de gepubliceerde privacyverklaring mist ${items}; zie \`consentry notice missing\``,
      source: 'GDPR 13, 14',
      severity: 'warning',
    },
  ];
}

/** A created campaign with the guard's warnings (e.g. third-party content, which only consent covers). */
export type CreatedCampaign = CampaignRow & { warnings: Problem[] };

/** The columns a campaign's input decides: everything but id, status and the times. */
export type CampaignValues = Omit<
  CampaignRow,
  'id' | 'status' | 'created_at' | 'started_at' | 'finished_at' | 'scheduled_at' | 'paused_reason' | 'paused_at' | 'last_relay_error' | 'last_relay_error_at'
>;

/**
 * Checks a campaign's input as `createCampaign` and `editCampaign` (edit.ts) both need it, storing nothing: the
 * configuration guard (`checkCampaign`, SCENARIOS E1) has to pass: sender identity, postal address and a working
 * reply address set (ePrivacy 13(4); BW 3:15d), a purpose chosen, and an unsubscribe link (the composer adds one to
 * every commercial message). Category rules: customer marketing names the product category it promotes (Tw
 * 11.7(3): own similar products); a re-permission request has a deadline in the future (F1); one-to-one messages
 * are not campaigns (`sendPersonalMessage`, B4/D6). Third-party content passes with a warning (C4: only consent
 * for exactly that covers it). Content: the body is Markdown or text in `language` (nl | en), compiled once here so
 * a Liquid error, an unknown variable or an image that is not https is refused now; `translationOf` links the
 * other-language version of a campaign.
 * @param selfId the campaign being edited (a translation may not point to itself)
 * @returns the column values and the warnings
 * @throws DomainError invalid naming the field (e.g. `subject` with a line break, `purposeId` unknown,
 *   `replyTo` a no-reply address, `repermissionDeadline` missing, `language` not nl/en, `body` with a Liquid error
 *   or an http image, `translationOf` not a draft original of the same purpose)
 */
export async function validateCampaign(
  deps: Data & Pick<Deps, 'clock' | 'baseUrl'>,
  input: CampaignInput,
  selfId?: string,
): Promise<{ values: CampaignValues; warnings: Problem[] }> {
  const parsed = campaignInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'campaign';
    throw new DomainError('invalid', issue.message, field, ...schemaCode(field, issue, input));
  }
  const c = parsed.data;
  const purpose = await purposeById(deps.db, c.purposeId);
  if (!purpose) throw invalid('purposeId', `there is no purpose "${c.purposeId}"`, 'unknown-purpose');
  if (purpose.archived_at) throw invalid('purposeId', `purpose "${c.purposeId}" is archived; bring it back before mailing for it`, 'archived-purpose');
  const org = await getOrganisation(deps.db);
  const problems = checkCampaign({
    purposeId: c.purposeId,
    category: c.category,
    senderName: org?.name ?? null,
    postalAddress: org?.postalAddress ?? null,
    replyTo: org?.replyTo ?? null,
    hasUnsubscribe: true,
    thirdPartyContent: c.thirdParty || c.category === 'third_party_promotion',
  });
  if (hasErrors(problems)) {
    const p = problems.find((x) => x.severity === 'error')!;
    const hint = org ? '' : ' (run `consentry init` first)';
    throw invalid(p.field, `${p.field}: ${p.message_en}${hint} [${p.source}]`, p.code);
  }
  checkCategory(c, deps.clock.now());
  checkContent(deps, org!, { ...c, purposeName: c.language === 'nl' ? purpose.name_nl : purpose.name_en });
  if (c.translationOf) {
    if (c.translationOf === selfId) throw invalid('translationOf', 'translationOf: a campaign cannot be a translation of itself', 'bad-translation');
    await checkTranslation(deps, { ...c, translationOf: c.translationOf }, selfId);
  }
  const values: CampaignValues = {
    name: c.name,
    purpose_id: c.purposeId,
    category: c.category,
    subject: c.subject,
    body: c.body,
    third_party: c.thirdParty ? 1 : 0,
    product_category: c.productCategory ?? null,
    other_legal_entity: c.otherLegalEntity ? 1 : 0,
    repermission_deadline: c.repermissionDeadline ?? null,
    format: c.format,
    language: c.language,
    translation_of: c.translationOf ?? null,
  };
  return { values, warnings: [...problems.filter((p) => p.severity === 'warning'), ...(await noticeWarnings(deps))] };
}

/** The input that recreates a stored campaign's values (for edits, which change some fields of it). */
export function campaignInputOf(row: CampaignRow): CampaignInput {
  return {
    name: row.name,
    purposeId: row.purpose_id,
    category: row.category as MessageCategory,
    subject: row.subject,
    body: row.body,
    ...(row.product_category !== null && { productCategory: row.product_category }),
    otherLegalEntity: row.other_legal_entity === 1,
    thirdParty: row.third_party === 1,
    ...(row.repermission_deadline !== null && { repermissionDeadline: row.repermission_deadline }),
    format: row.format as CampaignInput['format'],
    language: row.language as CampaignInput['language'],
    ...(row.translation_of !== null && { translationOf: row.translation_of }),
  };
}

/**
 * Creates a draft campaign after `validateCampaign` has passed, fixing its link targets when its purpose counts
 * clicks (click-links.ts).
 * @returns the stored row plus `warnings`
 * @throws DomainError invalid naming the field (see `validateCampaign`); nothing is stored then
 */
export async function createCampaign(deps: Data & Pick<Deps, 'clock' | 'baseUrl'>, input: CampaignInput): Promise<CreatedCampaign> {
  const { values, warnings } = await validateCampaign(deps, input);
  const row: CampaignRow = {
    id: randomUUID(),
    ...values,
    status: 'draft',
    created_at: deps.clock.now().toISOString(),
    started_at: null,
    finished_at: null,
    scheduled_at: null,
    paused_reason: null,
    paused_at: null,
    last_relay_error: null,
    last_relay_error_at: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertCampaign(trx, row);
    await fixCampaignLinks(trx, row.id, row.purpose_id, row.body);
  });
  return { ...row, warnings };
}

/** The per-category requirements of `createCampaign`. */
function checkCategory(c: z.output<typeof campaignInputSchema>, now: Date): void {
  if (c.category === 'one_to_one') {
    throw invalid('category', 'category: a one-to-one message goes to one person, written by a person; send it with `sendPersonalMessage`, not as a campaign [Tw 11.7(1); GDPR 6(1)(f)]', 'one-to-one-not-campaign');
  }
  if (c.category === 'customer_marketing' && !c.productCategory) {
    throw invalid('productCategory', 'productCategory: customer marketing must name the product category it promotes; the customer exception covers only own similar products [Tw 11.7(3)]', 'no-product-category');
  }
  if (c.category === 'repermission') {
    if (!c.repermissionDeadline) {
      throw invalid('repermissionDeadline', 'repermissionDeadline: a re-permission request needs a deadline after which non-responders lose eligibility [GDPR 5(1)(e); EDPB 05/2020]', 'no-deadline');
    }
    if (Date.parse(c.repermissionDeadline) <= now.getTime()) {
      throw invalid('repermissionDeadline', 'repermissionDeadline: the deadline must be in the future', 'deadline-passed');
    }
  }
}

export async function loadCampaign(db: Data['db'], id: string): Promise<CampaignRow> {
  const c = await campaignById(db, id);
  if (!c) throw notFound(`there is no campaign "${id}"`, 'unknown-campaign');
  return c;
}

/**
 * The audience key options of a campaign: re-permission campaigns count the requests other campaigns already
 * sent (F1: one request only); customer marketing loads each contact's purchases (the customer exception reads
 * them); the rest need only whether a contact without permission has bought anything.
 */
export const keyOptions = (c: CampaignRow): AudienceKeyOptions => ({
  ...(c.category === 'repermission' && { repermissionCampaignId: c.id }),
  // A service message needs a relationship (core/policy decide.ts): purchases count, so they are loaded.
  ...((c.category === 'customer_marketing' || c.category === 'service') && { purchases: true }),
});

/**
 * Decides audience members by their gate key (store/audience.ts): once per distinct key, since `decide` is
 * pure and `now` is fixed; a contact whose purchases are loaded (customer marketing) is decided on its own.
 */
export function keyedDecider(campaign: CampaignRow, settings: SettingsFacts, now: Date) {
  const decisions = new Map<string, Decision>();
  return (key: string, purchases: string | null = null): Decision => {
    if (purchases !== null) return decide(memberFacts(audienceKeyMember(key, purchases), campaign, settings), now);
    let d = decisions.get(key);
    if (!d) {
      d = decide(memberFacts(audienceKeyMember(key), campaign, settings), now);
      decisions.set(key, d);
    }
    return d;
  };
}

export interface Preview {
  campaignId: string;
  total: number;
  allowed: number;
  blocked: number;
  /** Allowed contacts counted by the reason that allowed them. */
  allowedBy: Record<string, number>;
  /** Blocked contacts counted by their first (strongest) reason. */
  blockedBy: Record<string, number>;
  /** Allowed contacts lacking a variable the campaign uses without `default` (first_name, last_name). */
  missingVariables: MissingVariable[];
}

/**
 * Decides every contact for the campaign without sending, in bounded memory: the audience is read as one gate key
 * per contact (store/audience.ts) and decided once per distinct key.
 * @returns counts, grouped by reason code
 */
export async function previewCampaign(deps: Data & Pick<Deps, 'clock'> & { baseUrl?: string }, campaignId: string): Promise<Preview> {
  const campaign = await loadCampaign(deps.db, campaignId);
  const settings = await getDecisionSettings(deps.db);
  const now = deps.clock.now();
  const p: Preview = { campaignId, total: 0, allowed: 0, blocked: 0, allowedBy: {}, blockedBy: {}, missingVariables: [] };
  const tally = (d: Decision, n: number) => {
    const code = d.reasons[0]!.code;
    p.total += n;
    if (d.allowed) {
      p.allowed += n;
      p.allowedBy[code] = (p.allowedBy[code] ?? 0) + n;
    } else {
      p.blocked += n;
      p.blockedBy[code] = (p.blockedBy[code] ?? 0) + n;
    }
  };
  // Count contacts per gate key, then decide once per key.
  const decideKey = keyedDecider(campaign, settings, now);
  const perKey = new Map<string, { n: number }>();
  for await (const page of audienceKeyPages(deps.db, deps.dialect, campaign.purpose_id, keyOptions(campaign))) {
    const { keys, purchases } = page;
    for (let i = 0; i < keys.length; i++) {
      const bought = purchases?.[i] ?? null;
      if (bought !== null) {
        tally(decideKey(keys[i]!, bought), 1);
        continue;
      }
      const c = perKey.get(keys[i]!);
      if (c) c.n++;
      else perKey.set(keys[i]!, { n: 1 });
    }
  }
  for (const [key, c] of perKey) tally(decideKey(key), c.n);
  const org = await getOrganisation(deps.db);
  const purpose = await purposeById(deps.db, campaign.purpose_id);
  if (org && purpose && p.allowed > 0) {
    const prepared = await prepareCampaign({ ...deps, baseUrl: deps.baseUrl ?? 'http://localhost' }, campaign, purpose, org);
    p.missingVariables = await missingVariables(deps, prepared, allowedIds(deps, campaign, decideKey));
  }
  return p;
}

/** The allowed contacts' ids, a page at a time. */
async function* allowedIds(deps: Data, campaign: CampaignRow, decideKey: ReturnType<typeof keyedDecider>): AsyncGenerator<string[]> {
  for await (const page of audienceKeyPages(deps.db, deps.dialect, campaign.purpose_id, { ...keyOptions(campaign), ids: true, pageSize: 2000 })) {
    yield page.ids!.filter((_id, i) => decideKey(page.keys[i]!, page.purchases?.[i] ?? null).allowed);
  }
}

/** A contact the campaign may be sent to, for the editor's preview and a test send "as this person sees it". */
export interface SampleRecipient {
  id: string;
  /** Masked ("j***@voorbeeld.nl"): the chooser shows who, not the whole address. */
  email: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
}

/**
 * A few contacts the campaign may be sent to now (decided as in `previewCampaign`), in audience order.
 * @param limit at most this many (default 5)
 * @throws DomainError not_found for an unknown campaign
 */
export async function allowedSample(deps: Data & Pick<Deps, 'clock'>, campaignId: string, limit = 5): Promise<SampleRecipient[]> {
  const campaign = await loadCampaign(deps.db, campaignId);
  const decideKey = keyedDecider(campaign, await getDecisionSettings(deps.db), deps.clock.now());
  const out: SampleRecipient[] = [];
  for await (const ids of allowedIds(deps, campaign, decideKey)) {
    const wanted = ids.slice(0, limit - out.length);
    if (wanted.length === 0) continue;
    const rows = await deps.db.selectFrom('contacts').select(['id', 'email', 'first_name', 'last_name', 'locale']).where('id', 'in', wanted).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of wanted) {
      const r = byId.get(id);
      if (r) out.push({ id: r.id, email: maskAddress(r.email), firstName: r.first_name, lastName: r.last_name, locale: r.locale });
    }
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Starts sending: one delivery row per contact, queued when allowed now, blocked (with reasons) otherwise.
 * Starting twice adds only contacts that are new since. The worker (services/campaigns/send.ts) does the sending.
 * @throws DomainError conflict when the campaign was already sent to the end
 */
export async function startCampaign(deps: Deps, campaignId: string): Promise<{ queued: number; blocked: number }> {
  const campaign = await loadCampaign(deps.db, campaignId);
  if (campaign.status === 'sent') throw new DomainError('conflict', 'this campaign was sent already', undefined, 'already-sent');
  if (campaign.translation_of) {
    throw new DomainError('conflict', `this campaign is the ${campaign.language} version of "${campaign.translation_of}": send that one, and each contact gets the version in their language`, undefined, 'translation');
  }
  if (campaign.status === 'cancelled') throw new DomainError('conflict', 'this campaign was cancelled', 'status', 'cancelled');
  if (campaign.status === 'paused') throw new DomainError('conflict', 'this campaign is paused: resume it (`consentry campaign resume`)', 'status', 'paused');
  const org = await getOrganisation(deps.db);
  if (!org) throw invalid('organisation', 'the sender identity is not set up: run `consentry init` first', 'no-identity');
  const settings = await getDecisionSettings(deps.db);
  const domain = org.fromAddress.split('@')[1]!;
  let queued = 0;
  let blocked = 0;
  const now = deps.clock.now();
  const decideKey = keyedDecider(campaign, settings, now);
  // 2,000 contacts a page: one INSERT of 14 values per delivery stays within SQLite's 32,766 bound parameters.
  const options = { ...keyOptions(campaign), ids: true, pageSize: 2000 };
  for await (const page of audienceKeyPages(deps.db, deps.dialect, campaign.purpose_id, options)) {
    const ids = page.ids!;
    const rows: NewDelivery[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const d = decideKey(page.keys[i]!, page.purchases?.[i] ?? null);
      if (d.allowed) queued++;
      else blocked++;
      rows[i] = {
        id: randomUUID(),
        contactId: ids[i]!,
        messageId: messageIdFor(domain),
        state: d.allowed ? 'queued' : 'blocked',
        reasons: d.reasons.map((r) => r.code),
        basis: d.basis,
      };
    }
    await enqueueDeliveries(deps.db, campaign.id, rows, now);
  }
  await updateCampaign(deps.db, campaign.id, { status: 'sending', started_at: campaign.started_at ?? now.toISOString() });
  // Nobody to send to (now): the campaign is done, rather than waiting to mail whoever joins the list later.
  await finishCampaignIfDone(deps, campaign.id);
  return { queued, blocked };
}
