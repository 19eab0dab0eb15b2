/**
 * Privacy-notice administration (GDPR 12(1), 13, 14; SCENARIOS G1, G2): show the published version and the
 * newest draft, list the art. 13/14 items the draft still misses, save a new version from JSON, and publish a
 * version only when nothing is missing. Forms use the newest published version and every consent event records
 * it; with no published notice the sign-up use case refuses, so a form never collects against an incomplete one.
 */
import { missingItems, noticeContentSchema, type MissingItem, type NoticeContent } from '../../core/notice.js';
import { addNotice, currentNotice, markNoticePublished, noticeByVersion } from '../../store/notices.js';
import { listPurposes } from '../../store/purposes.js';
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

/**
 * Which conditional items apply to this organisation: art. 14 when any contact came from a third party or a
 * public profile; 13(1)(d) when any purpose of the notice or any permission rests on 6(1)(f).
 */
export async function noticeConditions(deps: Data, content: NoticeContent): Promise<{ usesOtherSources: boolean; usesLegitimateInterest: boolean }> {
  const other = await deps.db.selectFrom('contacts').select('id').where('source_kind', 'in', [...OTHER_SOURCES]).limit(1).executeTakeFirst();
  // Legitimate interest (6(1)(f)) is in use with a permission on it, with customers mailed under the customer
  // exception (purchases), and with business cards or personal contacts kept for a one-to-one follow-up.
  const li =
    (await deps.db.selectFrom('permissions').select('id').where('basis', '=', 'A6-1-f').limit(1).executeTakeFirst()) ??
    (await deps.db.selectFrom('purchases').select('id').limit(1).executeTakeFirst()) ??
    (await deps.db.selectFrom('contacts').select('id').where('source_kind', 'in', ['trade_fair', 'personal_contact']).limit(1).executeTakeFirst());
  return { usesOtherSources: other !== undefined, usesLegitimateInterest: li !== undefined || content.purposes.some((p) => p.basis === 'A6-1-f') };
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
  const now = deps.clock.now();
  const content = JSON.stringify(parsed.data);
  const version = await addNotice(deps.db, content, null, now);
  return { version, missing: await missingFor(deps, { content }) };
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
