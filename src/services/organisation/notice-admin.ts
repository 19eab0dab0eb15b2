/**
 * Privacy-notice administration (GDPR 12(1), 13, 14; SCENARIOS G1, G2): show the published version and the
 * newest draft, list the art. 13/14 items the draft still misses, save a new version from JSON, and publish a
 * version only when nothing is missing; the admin app's editor changes the parts no other page states (DPO "none",
 * legitimate interests, rights, withdrawal, complaint, provision, automated decisions, other sources) into a
 * new draft. Forms use the newest published version and every consent event records
 * it; with no published notice the sign-up use case refuses, so a form never collects against an incomplete one.
 */
import { z } from 'zod';
import { missingItems, noticeContentSchema, type MissingItem, type NoticeContent, type Text } from '../../core/notice.js';
import { addNotice, currentNotice, listNoticeVersions, markNoticePublished, noticeByVersion } from '../../store/notices.js';
import { listPurposes } from '../../store/purposes.js';
import { getSetting, putSetting } from '../../store/settings.js';
import type { PrivacyNoticeRow } from '../../store/schema.js';
import type { Data, Deps } from '../deps.js';
import { DomainError, invalid, notFound } from '../errors.js';

type NoticeDeps = Data & Pick<Deps, 'clock'>;

/** Sources whose data was not obtained from the person, so art. 14 items are required. */
const OTHER_SOURCES = ['third_party', 'public_profile'] as const;

/** Publishing refused because items are missing; `missing` lists exactly those items. */
export class NoticeIncompleteError extends DomainError {
  constructor(readonly version: number, readonly missing: MissingItem[]) {
    super('conflict', `notice version ${version} cannot be published; missing: ${missing.map((m) => `${m.item} ${m.field}`).join(', ')}`, 'missing', 'notice-incomplete');
  }
}

/** The setting that holds the SMTP relay (host:port) the installation last sent through, or null for the outbox. */
const MAIL_RELAY = 'mail_relay';

/**
 * Records whether mail goes out through an SMTP relay (a processor the notice must name, GDPR 13(1)(e), 28), as
 * the server or a command starts with it; written only when it changed. `noticeConditions` reads it.
 * @param relay the mailer's relay as host:port (no credentials), or null for the built-in outbox
 */
export async function rememberMailRelay(deps: Data, relay: string | null): Promise<void> {
  if (((await getSetting<string | null>(deps.db, MAIL_RELAY)) ?? null) !== relay) await putSetting(deps.db, MAIL_RELAY, relay);
}

/**
 * Which conditional items apply to this organisation: art. 14 when any contact came from a third party or a
 * public profile; 13(1)(d) when any purpose of the notice or any permission rests on 6(1)(f); a named mail
 * provider when mail goes out through an SMTP relay (`rememberMailRelay`).
 */
export async function noticeConditions(deps: Data, content: NoticeContent): Promise<{ usesOtherSources: boolean; usesLegitimateInterest: boolean; sendsThroughRelay: boolean }> {
  // The contacts are asked for the indexed column itself, so that SQLite answers from `contacts_source` alone:
  // asking for their id, it scanned a covering index of every contact instead (0.3 s at 1,000,000 when none match).
  const other = await deps.db.selectFrom('contacts').select('source_kind').where('source_kind', 'in', [...OTHER_SOURCES]).limit(1).executeTakeFirst();
  // Legitimate interest (6(1)(f)) is in use with a permission on it, with customers mailed under the customer
  // exception (purchases), and with business cards or personal contacts kept for a one-to-one follow-up.
  const li =
    (await deps.db.selectFrom('permissions').select('id').where('basis', '=', 'A6-1-f').limit(1).executeTakeFirst()) ??
    (await deps.db.selectFrom('purchases').select('id').limit(1).executeTakeFirst()) ??
    (await deps.db.selectFrom('contacts').select('source_kind').where('source_kind', 'in', ['trade_fair', 'personal_contact']).limit(1).executeTakeFirst());
  return {
    usesOtherSources: other !== undefined,
    usesLegitimateInterest: li !== undefined || content.purposes.some((p) => p.basis === 'A6-1-f'),
    sendsThroughRelay: ((await getSetting<string | null>(deps.db, MAIL_RELAY)) ?? null) !== null,
  };
}

/** The items a stored version misses (GDPR 13, 14), in article order; [] when complete. */
export async function missingFor(deps: Data, row: Pick<PrivacyNoticeRow, 'content'>): Promise<MissingItem[]> {
  const content = noticeContentSchema.parse(JSON.parse(row.content));
  const missing = missingItems(content, await noticeConditions(deps, content));
  // Every purpose the product mails for must be in the notice with its basis (13(1)(c)).
  const named = new Set(content.purposes.map((p) => p.id));
  for (const p of await listPurposes(deps.db)) {
    if (!named.has(p.id)) {
      missing.push({ item: '13(1)(c)', field: `purposes.${p.id}`, en: `Purpose "${p.name_en}" and its lawful basis`, nl: `Doel "${p.name_nl}" en de grondslag daarvan` });
    }
  }
  return missing.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

export interface NoticeStatus {
  /** The published version forms use, or null. */
  published: { version: number; publishedAt: string } | null;
  /** The newest unpublished version newer than the published one, or null. */
  draft: { version: number; createdAt: string; missing: MissingItem[] } | null;
  /** Missing items of the published version (normally []; conditions can change after publishing). */
  publishedMissing: MissingItem[];
}

/** The notice's state for `consentry notice show|missing`. */
export async function noticeStatus(deps: Data): Promise<NoticeStatus> {
  const pub = await currentNotice(deps.db);
  const newest = await deps.db.selectFrom('privacy_notices').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  const draft = newest && !newest.published_at && (!pub || newest.version > pub.version) ? newest : undefined;
  return {
    published: pub ? { version: pub.version, publishedAt: pub.published_at! } : null,
    draft: draft ? { version: draft.version, createdAt: draft.created_at, missing: await missingFor(deps, draft) } : null,
    publishedMissing: pub ? await missingFor(deps, pub) : [],
  };
}

/**
 * Validates notice JSON (noticeContentSchema) and stores it as a new, unpublished version.
 * @param json the file's text
 * @returns the new version and its missing items
 * @throws DomainError invalid naming the field, e.g. `purposes[0].basis: Invalid option …`, or 'file' for bad JSON
 * @example await saveNoticeJson(deps, readFileSync('notice.json', 'utf8'))
 */
export async function saveNoticeJson(deps: NoticeDeps, json: string): Promise<{ version: number; missing: MissingItem[] }> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw invalid('file', `the notice is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = noticeContentSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
    throw invalid(fieldPath(parsed.error.issues[0]!.path), `the notice is not valid:\n  ${lines.join('\n  ')}`);
  }
  return storeDraft(deps, parsed.data);
}

/** Stores content as a new, unpublished version (the draft that `publishNotice` publishes). */
async function storeDraft(deps: NoticeDeps, content: NoticeContent): Promise<{ version: number; missing: MissingItem[] }> {
  const text = JSON.stringify(content);
  const version = await addNotice(deps.db, text, null, deps.clock.now());
  return { version, missing: await missingFor(deps, { content: text }) };
}

const fieldPath = (path: ReadonlyArray<PropertyKey>) =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(root)';

/**
 * Publishes a stored version (GDPR 12(1), 13): refused while any art. 13/14 item is missing.
 * @throws NoticeIncompleteError (conflict) with exactly the missing items; DomainError not_found for an unknown
 *   version, conflict when it is published already or older than the published one
 */
export async function publishNotice(deps: NoticeDeps, version: number): Promise<{ version: number; publishedAt: string }> {
  const row = await noticeByVersion(deps.db, version);
  if (!row) throw notFound(`there is no notice version ${version}`, 'unknown-notice');
  if (row.published_at) throw new DomainError('conflict', `version ${version} was published on ${row.published_at}`, 'version', 'notice-published');
  const pub = await currentNotice(deps.db);
  if (pub && pub.version > version) throw new DomainError('conflict', `version ${pub.version} is newer and published already`, 'version', 'notice-outdated');
  const missing = await missingFor(deps, row);
  if (missing.length > 0) throw new NoticeIncompleteError(version, missing);
  const publishedAt = deps.clock.now().toISOString();
  await markNoticePublished(deps.db, version, publishedAt);
  return { version, publishedAt };
}

/** The content of a version (default: the published one), for `consentry notice show --json`. */
export async function noticeContent(deps: Data, version?: number): Promise<{ version: number; content: NoticeContent; publishedAt: string | null }> {
  const row = version === undefined ? await currentNotice(deps.db) : await noticeByVersion(deps.db, version);
  if (!row) throw notFound(version === undefined ? 'no privacy notice is published' : `there is no notice version ${version}`, 'unknown-notice');
  return { version: row.version, content: noticeContentSchema.parse(JSON.parse(row.content)), publishedAt: row.published_at };
}

/** What `reviseNotice` did. */
export interface NoticeRevision {
  /** The new version, or null when the change leaves the notice as it was. */
  version: number | null;
  /** Whether the new version was published (only when nothing is missing and a version was published before). */
  published: boolean;
  /** Items the new version still misses (GDPR 13, 14). */
  missing: MissingItem[];
}

/**
 * Applies a change of the organisation's facts (identity, purposes, recipients, transfers) to the privacy
 * notice: the newest version (draft or published) is changed by `change`; when the text differs, it is stored as
 * a new version, published at once when nothing is missing and a notice is in force already (GDPR 12(1): people
 * are told what is true now), else kept as a draft with its missing items (a draft it revises is taken along). With no
 * notice at all nothing is done (the set-up drafts the first one).
 * @example await reviseNotice(tx, (c) => ({ ...c, controller: { ...c.controller, postalAddress: 'Dam 1, Amsterdam' } }))
 */
export async function reviseNotice(deps: NoticeDeps, change: (content: NoticeContent) => NoticeContent): Promise<NoticeRevision> {
  const newest = await deps.db.selectFrom('privacy_notices').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!newest) return { version: null, published: false, missing: [] };
  const before = noticeContentSchema.parse(JSON.parse(newest.content));
  const after = noticeContentSchema.parse(change(structuredClone(before)));
  const text = JSON.stringify(after);
  if (text === JSON.stringify(before)) return { version: null, published: false, missing: [] };
  const missing = await missingFor(deps, { content: text });
  const publish = missing.length === 0 && (newest.published_at !== null || (await currentNotice(deps.db)) !== undefined);
  const now = deps.clock.now();
  const version = await addNotice(deps.db, text, publish ? now : null, now);
  return { version, published: publish, missing };
}

/** One stored version as the versions list shows it. */
export interface NoticeVersionInfo {
  version: number;
  createdAt: string;
  publishedAt: string | null;
  /** current: the published version forms use; superseded: published before it; draft: newer than it, not
   * published; unpublished: an older draft that was never published (it can no longer be). */
  state: 'current' | 'superseded' | 'draft' | 'unpublished';
}

/** Every version, newest first, with its state (GDPR 5(2): which text was in force when). */
export async function noticeVersions(deps: Data): Promise<NoticeVersionInfo[]> {
  const rows = await listNoticeVersions(deps.db);
  const current = rows.find((r) => r.published_at !== null)?.version ?? 0;
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    state: r.version === current ? 'current' : r.published_at ? 'superseded' : r.version > current ? 'draft' : 'unpublished',
  }));
}

const TEXT_MAX = 5000;
const text = z.string().trim().max(TEXT_MAX, 'too-long').optional();

/**
 * The parts of the notice that only the notice editor states, as flat fields (the admin form's names). Texts are
 * per language (`_nl`, `_en`); an empty text leaves its item missing; a field left out keeps its current value.
 * `interest_<purposeId>_nl|en` is the legitimate interest for that purpose (13(1)(d)).
 */
export const noticeTextsSchema = z
  .object({
    /** 13(1)(b): 'none' = no DPO appointed; '' = not answered. Ignored while the organisation names a DPO. */
    dpo: z.enum(['', 'none']).optional(),
    rights_nl: text,
    rights_en: text,
    withdrawal_nl: text,
    withdrawal_en: text,
    complaint_nl: text,
    complaint_en: text,
    provision_nl: text,
    provision_en: text,
    /** 13(2)(f): 'none' (no automated decisions) or 'described' with the texts. */
    automated: z.enum(['none', 'described']).optional(),
    automated_nl: text,
    automated_en: text,
    categories_nl: text,
    categories_en: text,
    sources_nl: text,
    sources_en: text,
  })
  .catchall(z.string().trim().max(TEXT_MAX, 'too-long'));
export type NoticeTextsInput = z.input<typeof noticeTextsSchema>;

const pair = (v: Record<string, string | undefined>, name: string): Text => ({ nl: v[`${name}_nl`] ?? '', en: v[`${name}_en`] ?? '' });
const filled = (t: Text) => t.nl !== '' || t.en !== '';

/** The editor's fields of a notice's content (the inverse of what `draftNoticeTexts` applies). */
export function noticeTexts(content: NoticeContent): Record<string, string> {
  const out: Record<string, string> = {
    dpo: content.dpo && !content.dpo.appointed ? 'none' : '',
    automated: content.automatedDecisions === null || content.automatedDecisions === 'none' ? 'none' : 'described',
  };
  const put = (name: string, t: Text | null | undefined) => {
    out[`${name}_nl`] = t?.nl ?? '';
    out[`${name}_en`] = t?.en ?? '';
  };
  put('rights', content.rights);
  put('withdrawal', content.withdrawal);
  put('complaint', content.complaint.text);
  put('provision', content.provisionRequirement);
  put('automated', content.automatedDecisions === 'none' ? null : content.automatedDecisions);
  put('categories', content.otherSources?.dataCategories);
  put('sources', content.otherSources?.sources);
  for (const l of content.legitimateInterests) put(`interest_${l.purposeId}`, l.interest);
  return out;
}

/** What the notice editor shows: the newest version's fields and what decides which fields apply. */
export interface NoticeEditor {
  /** The version the editor starts from (the newest, draft or published), or null before set-up. */
  basedOn: { version: number; published: boolean } | null;
  values: Record<string, string>;
  /** The DPO the organisation names (13(1)(b)); while set, the editor does not change the DPO item. */
  dpoContact: string | null;
  /** Purposes that need a legitimate interest (13(1)(d)): those on 6(1)(f), or every purpose when 6(1)(f) is
   * used through customers or business contacts and no purpose names it. */
  interestPurposes: Array<{ id: string; name: Text }>;
  /** Whether art. 14 applies (contacts from a third party or a public profile). */
  usesOtherSources: boolean;
}

/** The notice editor's data (GDPR 13, 14). */
export async function noticeEditor(deps: Data): Promise<NoticeEditor> {
  const newest = await deps.db.selectFrom('privacy_notices').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!newest) return { basedOn: null, values: {}, dpoContact: null, interestPurposes: [], usesOtherSources: false };
  const content = noticeContentSchema.parse(JSON.parse(newest.content));
  const cond = await noticeConditions(deps, content);
  const li = content.purposes.filter((p) => p.basis === 'A6-1-f');
  const interestPurposes = (li.length > 0 ? li : cond.usesLegitimateInterest ? content.purposes : []).map((p) => ({ id: p.id, name: p.name }));
  return {
    basedOn: { version: newest.version, published: newest.published_at !== null },
    values: noticeTexts(content),
    dpoContact: content.dpo?.appointed ? content.dpo.contact : null,
    interestPurposes,
    usesOtherSources: cond.usesOtherSources,
  };
}

/**
 * Applies the editor's fields to the newest version and stores the result as a new draft, not published: the
 * privacy officer reads it and publishes it with `publishNotice` (GDPR 12(1), 13, 14). Everything else in the
 * notice (controller, purposes, recipients, transfers) is taken over unchanged.
 * @returns the new version (null when nothing changed) and the items it still misses
 * @throws DomainError invalid naming the field (e.g. `automated_en` when 'described' has no text, `rights_nl`
 *   over 5000 characters); conflict before set-up (no notice at all)
 * @example await draftNoticeTexts(deps, { dpo: 'none', provision_nl: 'U bent niet verplicht…', provision_en: 'You need not…' })
 */
export async function draftNoticeTexts(deps: NoticeDeps, input: NoticeTextsInput): Promise<{ version: number | null; missing: MissingItem[] }> {
  const parsed = noticeTextsSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const f = String(i.path[0] ?? 'dpo');
    throw invalid(f, `${f}: ${i.message}`, i.message === 'too-long' ? 'too-long' : 'invalid');
  }
  const newest = await deps.db.selectFrom('privacy_notices').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!newest) throw new DomainError('conflict', 'there is no privacy notice yet: set up the organisation first (consentry init)', undefined, 'not-set-up');
  const before = noticeContentSchema.parse(JSON.parse(newest.content));
  const given = Object.fromEntries(Object.entries(parsed.data).filter(([, x]) => x !== undefined)) as Record<string, string>;
  const v: Record<string, string> = { ...noticeTexts(before), ...given };
  const automated = pair(v, 'automated');
  if (v.automated === 'described') {
    for (const lang of ['nl', 'en'] as const)
      if (!automated[lang]) throw invalid(`automated_${lang}`, `automated_${lang}: describe the automated decisions, or choose "none"`, 'required');
  }
  const otherSources = { dataCategories: pair(v, 'categories'), sources: pair(v, 'sources') };
  const interests = before.purposes
    .map((p) => ({ purposeId: p.id, interest: pair(v, `interest_${p.id}`) }))
    .filter((l) => filled(l.interest));
  const after: NoticeContent = {
    ...before,
    dpo: before.dpo?.appointed ? before.dpo : v.dpo === 'none' ? { appointed: false } : null,
    legitimateInterests: interests,
    rights: pair(v, 'rights'),
    withdrawal: pair(v, 'withdrawal'),
    complaint: { ...before.complaint, text: pair(v, 'complaint') },
    provisionRequirement: pair(v, 'provision'),
    automatedDecisions: v.automated === 'described' ? automated : 'none',
    otherSources: filled(otherSources.dataCategories) || filled(otherSources.sources) ? otherSources : null,
  };
  if (JSON.stringify(after) === JSON.stringify(before)) return { version: null, missing: await missingFor(deps, newest) };
  return storeDraft(deps, noticeContentSchema.parse(after));
}
