/**
 * Portable consent evidence, the writing side (issue 4 point 7; SCENARIOS F4, A9; GDPR 5(2), 7(1), 20): every
 * data subject's profile, permissions, purchases and full hash-chained ledger history, the purposes, privacy
 * notices and import batches they point to, the suppression list and the settings that change decisions, as JSON
 * Lines in the format of docs/evidence-format.md (field names aligned with ISO/IEC TS 27560 and W3C DPV). Read a
 * page of subjects at a time (bounded memory) inside one read transaction, so the header's counts match the lines.
 * services/lists/evidence-import.ts reads the same format back.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { suppressionKeyId } from '../../core/suppression.js';
import type { PermissionStatus } from '../../core/vocab.js';
import type { ConsentEventRow, ContactRow, DB, PermissionRow } from '../../store/schema.js';
import type { RetentionRules } from '../../core/retention.js';
import type { SettingsFacts } from '../../core/policy/facts.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import type { Clock, Data } from '../deps.js';
import { retentionRules } from '../rights/retention.js';

export { suppressionKeyId };

export const EVIDENCE_FORMAT = 'consentry-evidence';
/** Version 2 added the header's `settings`; version 1 files (without them) are still read. */
export const EVIDENCE_FORMAT_VERSION = 2;

/** Permission status ↔ TS 27560 / DPV consent status (a bijection, so the round trip is exact). */
export const CONSENT_STATUS: Readonly<Record<PermissionStatus, string>> = {
  pending: 'requested',
  active: 'given',
  withdrawn: 'withdrawn',
  expired: 'expired',
  objected: 'objected',
};

/** JSON-LD context of the header: which DPV / TS 27560 term each field stands for. */
export const EVIDENCE_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  hasDataSubject: 'dpv:hasDataSubject',
  hasPurpose: 'dpv:hasPurpose',
  hasLawfulBasis: 'dpv:hasLegalBasis',
  hasConsentStatus: 'dpv:hasConsentStatus',
  hasProvisionTime: 'dpv:hasProvisionTime',
  hasWithdrawalTime: 'dpv:hasWithdrawalTime',
  hasNotice: 'dpv:hasNotice',
  hasProvisionMethod: 'dpv:hasProvisionMethod',
  controller: 'dpv:hasDataController',
} as const;

const CONTACT_KNOWN = ['id', 'email', 'first_name', 'last_name', 'kind', 'role_address', 'designated_for_offers', 'designation_evidence',
  'employee', 'employee_work_address', 'customer_opted_out', 'lead', 'suppression', 'locale', 'attributes', 'source_kind', 'source_ref',
  'created_at', 'updated_at'] as const;
const PERMISSION_KNOWN = ['id', 'contact_id', 'purpose_id', 'basis', 'status', 'method', 'source_kind', 'given_at', 'confirmed_at',
  'withdrawn_at', 'third_party_evidence', 'evidence_event_id', 'import_id', 'notice_version', 'created_at', 'updated_at'] as const;

/** Columns this version does not name (added by later migrations), carried as they are. */
function extra(row: object, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !known.includes(k)));
}

/** The profile object of a contact line. */
export function profileOf(c: ContactRow): Record<string, unknown> {
  return {
    email: c.email, firstName: c.first_name, lastName: c.last_name, kind: c.kind,
    source: { kind: c.source_kind, ref: c.source_ref },
    roleAddress: c.role_address === 1, designatedForOffers: c.designated_for_offers === 1, designationEvidence: c.designation_evidence,
    employee: c.employee === 1, employeeWorkAddress: c.employee_work_address === 1, customerOptedOut: c.customer_opted_out === 1,
    lead: c.lead === 1, suppression: c.suppression, locale: c.locale, attributes: JSON.parse(c.attributes) as unknown,
    createdAt: c.created_at, updatedAt: c.updated_at, extra: extra(c, CONTACT_KNOWN),
  };
}

/** One permission as a TS 27560-style consent record. */
export function permissionRecord(p: PermissionRow): Record<string, unknown> {
  return {
    id: p.id, hasPurpose: p.purpose_id, hasLawfulBasis: p.basis, hasConsentStatus: CONSENT_STATUS[p.status as PermissionStatus] ?? p.status,
    hasProvisionMethod: p.method, sourceKind: p.source_kind, hasProvisionTime: p.given_at, confirmationTime: p.confirmed_at,
    hasWithdrawalTime: p.withdrawn_at, hasNotice: p.notice_version, thirdPartyEvidence: p.third_party_evidence === 1,
    evidenceEventId: p.evidence_event_id, importId: p.import_id, createdAt: p.created_at, updatedAt: p.updated_at,
    extra: extra(p, PERMISSION_KNOWN),
  };
}

/** One ledger event with everything needed to verify its chain after import (the salt included). */
export function eventRecord(e: ConsentEventRow): Record<string, unknown> {
  return {
    id: e.id, seq: e.seq, prevHash: e.prev_hash, hash: e.hash, type: e.type, hasPurpose: e.purpose_id, hasLawfulBasis: e.basis,
    occurredAt: e.occurred_at, recordedAt: e.recorded_at, details: JSON.parse(e.details) as unknown, personalDigest: e.personal_digest,
    personal: e.personal ? (JSON.parse(e.personal) as unknown) : null,
  };
}

/** The settings that change what happens to people: the send gate's (`consentry settings`) and the retention rules. */
export interface EvidenceSettings {
  /** Settings that change decisions, e.g. `{ customerExceptionMonths: 24 }` (Tw 11.7(3), C7). */
  decisions: SettingsFacts;
  /** The retention rules in force, e.g. `{ unconfirmed_after_days: 30, … }` (GDPR 5(1)(e)). */
  retention: RetentionRules;
}

/** The settings in force (defaults included), as the header carries them. */
export async function evidenceSettings(deps: Data): Promise<EvidenceSettings> {
  return { decisions: await getDecisionSettings(deps.db), retention: await retentionRules(deps) };
}

function exporterVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const count = async (db: Kysely<DB>, t: 'purposes' | 'privacy_notices' | 'imports' | 'contacts' | 'permissions' | 'purchases' | 'consent_events' | 'suppressions') =>
  Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** The subject lines of one page of subject ids (contacts, or erased subjects with `erased` true). */
async function* subjectLines(db: Kysely<DB>, ids: string[], contacts: Map<string, ContactRow>): AsyncGenerator<string> {
  const [perms, bought, events] = await Promise.all([
    db.selectFrom('permissions').selectAll().where('contact_id', 'in', ids).orderBy('contact_id').orderBy('purpose_id').execute(),
    db.selectFrom('purchases').selectAll().where('contact_id', 'in', ids).orderBy('contact_id').orderBy('purchased_at').orderBy('id').execute(),
    db.selectFrom('consent_events').selectAll().where('subject_id', 'in', ids).orderBy('subject_id').orderBy('seq').execute(),
  ]);
  const group = <T>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const p = group(perms, (r) => r.contact_id);
  const b = group(bought, (r) => r.contact_id);
  const e = group(events, (r) => r.subject_id);
  for (const id of ids) {
    const c = contacts.get(id);
    yield JSON.stringify({
      type: 'subject',
      hasDataSubject: id,
      profile: c ? profileOf(c) : null,
      permissions: (p.get(id) ?? []).map(permissionRecord),
      purchases: (b.get(id) ?? []).map((x) => ({ id: x.id, productCategory: x.product_category, purchasedAt: x.purchased_at, optOutOffered: x.opt_out_offered, createdAt: x.created_at })),
      events: (e.get(id) ?? []).map(eventRecord),
    });
  }
}

/**
 * The signature over an evidence file: HMAC-SHA256 over every line before the signature line (each line's text
 * and one "\n"), keyed with HMAC-SHA256(secret, "consentry-evidence-signature") so the key serves nothing else.
 * Only a holder of the secret — which importing requires anyway — can make or check it; it makes any edit,
 * dropped or added line (a suppression removed, say) refuse the file (GDPR 5(1)(f), 5(2)).
 * @returns `add(line)` for each line in order, then `value()` once: the hex signature
 */
export function evidenceSigner(secret: string): { add(line: string): void; value(): string } {
  const mac = createHmac('sha256', createHmac('sha256', secret).update('consentry-evidence-signature').digest());
  return { add: (line) => void mac.update(`${line}\n`), value: () => mac.digest('hex') };
}

/**
 * The evidence file's lines (without line breaks), in order: header, purposes, notices, imports, subjects (contacts
 * in id order, then erased subjects whose chains remain), suppressions, and last the signature over all of them
 * (`evidenceSigner`). Run it on a read transaction (as `exportEvidence` does) for counts that match.
 * @param deps db and clock (`exportedAt`), secret (its key id, and the signature's key)
 */
export async function* evidenceLines(deps: Data & { clock: Clock; secret: string }, pageSize = 500): AsyncGenerator<string> {
  const signer = evidenceSigner(deps.secret);
  for await (const line of unsignedLines(deps, pageSize)) {
    signer.add(line);
    yield line;
  }
  yield JSON.stringify({ type: 'signature', algorithm: 'HMAC-SHA256', value: signer.value() });
}

async function* unsignedLines(deps: Data & { clock: Clock; secret: string }, pageSize: number): AsyncGenerator<string> {
  const { db } = deps;
  const erasedQuery = db.selectFrom('consent_events').select('subject_id').distinct()
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('contacts').select('contacts.id').whereRef('contacts.id', '=', 'consent_events.subject_id'))));
  const erased = Number((await db.selectFrom(erasedQuery.as('s')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const contacts = await count(db, 'contacts');
  const org = await getOrganisation(db);
  yield JSON.stringify({
    '@context': EVIDENCE_CONTEXT, type: 'header', format: EVIDENCE_FORMAT, formatVersion: EVIDENCE_FORMAT_VERSION,
    exporter: { name: 'consentry', version: exporterVersion() }, controller: org, exportedAt: deps.clock.now().toISOString(),
    suppressionKey: { algorithm: 'HMAC-SHA256', keyId: suppressionKeyId(deps.secret), sameSecretRequired: true },
    settings: await evidenceSettings(deps),
    counts: {
      purposes: await count(db, 'purposes'), notices: await count(db, 'privacy_notices'), imports: await count(db, 'imports'),
      subjects: contacts + erased, contacts, erasedSubjects: erased, permissions: await count(db, 'permissions'),
      purchases: await count(db, 'purchases'), events: await count(db, 'consent_events'), suppressions: await count(db, 'suppressions'),
    },
  });
  for (const row of await db.selectFrom('purposes').selectAll().orderBy('id').execute()) yield JSON.stringify({ type: 'purpose', row });
  for (const row of await db.selectFrom('privacy_notices').selectAll().orderBy('version').execute()) yield JSON.stringify({ type: 'notice', row });
  for (const row of await db.selectFrom('imports').selectAll().orderBy('id').execute()) yield JSON.stringify({ type: 'import', row });
  for (let after = ''; ;) {
    const page = await db.selectFrom('contacts').selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (page.length === 0) break;
    yield* subjectLines(db, page.map((c) => c.id), new Map(page.map((c) => [c.id, c])));
    after = page[page.length - 1]!.id;
  }
  for (let after = ''; ;) {
    const page = (await erasedQuery.where('subject_id', '>', after).orderBy('subject_id').limit(pageSize).execute()).map((r) => r.subject_id);
    if (page.length === 0) break;
    yield* subjectLines(db, page, new Map());
    after = page[page.length - 1]!;
  }
  for (let after = ''; ;) {
    const page = await db.selectFrom('suppressions').selectAll().where('hash', '>', after).orderBy('hash').limit(pageSize * 10).execute();
    if (page.length === 0) break;
    for (const s of page) yield JSON.stringify({ type: 'suppression', hash: s.hash, reason: s.reason, source: s.source, createdAt: s.created_at });
    after = page[page.length - 1]!.hash;
  }
}

/**
 * Writes the whole evidence export through `write` (one call per line, the line break included), inside one read
 * transaction (repeatable read on PostgreSQL) so the file is a consistent snapshot.
 * @returns the number of lines written
 * @example await exportEvidence(ctx.deps, (l) => out.write(l))
 */
export async function exportEvidence(
  deps: Data & { clock: Clock; secret: string },
  write: (line: string) => unknown | Promise<unknown>,
): Promise<number> {
  let tx = deps.db.transaction();
  if (deps.dialect === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  return tx.execute(async (trx) => {
    let n = 0;
    for await (const line of evidenceLines({ db: trx, dialect: deps.dialect, clock: deps.clock, secret: deps.secret })) {
      await write(`${line}\n`);
      n++;
    }
    return n;
  });
}
