/**
 * Portable consent evidence, the reading side (issue 4 point 7; SCENARIOS F4): reads a file written by
 * services/lists/evidence-export.ts back into a Consentry database so that nothing is lost — contacts, permissions,
 * purchases, ledger events with their original ids and hashes (stored as they are, never re-hashed), purposes,
 * notices and import batches they point to, and the suppression list — then takes a ledger checkpoint.
 * Two passes over the file: the first checks everything (format, header, each subject's chain with
 * `verifyChain`, each permission against the ledger event that proves it, overlap with what the database holds,
 * counts against the header) and writes nothing; the second
 * writes everything in one transaction. A bad file is refused naming its line, and nothing is stored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { normaliseAddress } from '../../core/address.js';
import { canonicalJson, verifyChain, type StoredEvent } from '../../core/ledger-chain.js';
import { checkName } from '../../core/names.js';
import { suppressionHash } from '../../core/suppression.js';
import { isLawfulBasis, isLedgerEventType, type LawfulBasis, type LedgerEventType } from '../../core/vocab.js';
import type { Organisation } from '../../core/organisation.js';
import { retentionRulesSchema } from '../../core/retention.js';
import { takeCheckpoint } from '../../store/ledger.js';
import { ensureSecret, getOrganisation, keepSecretIfFresh, getSetting, putOrganisation, putSetting } from '../../store/settings.js';
import type { DB } from '../../store/schema.js';
import type { Clock, Data } from '../deps.js';
import { DomainError, invalid } from '../errors.js';
import { CONSENT_STATUS, EVIDENCE_FORMAT, EVIDENCE_FORMAT_VERSION, evidenceSettings, evidenceSigner, suppressionKeyId, type EvidenceSettings } from './evidence-export.js';
import { decisionSettingsSchema } from '../consent/relationships.js';
import { RETENTION_SETTING } from '../rights/retention.js';

/** What an import stored. */
export interface EvidenceImportReport {
  file: string;
  /** Always true: a file keyed with another secret is refused. */
  sameSecret: boolean;
  purposesCreated: number;
  purposesKept: number;
  notices: number;
  imports: number;
  subjects: number;
  contacts: number;
  permissions: number;
  purchases: number;
  events: number;
  suppressions: number;
  checkpoint: string | null;
  /** The settings in force after the import: the file's. */
  settings: EvidenceSettings;
}

type Line = Record<string, unknown> & { type: string };
type Obj = Record<string, unknown>;

const STATUS_OF = Object.fromEntries(Object.entries(CONSENT_STATUS).map(([k, v]) => [v, k]));
const bad = (line: number, message: string) => invalid('file', `line ${line}: ${message}`, 'bad-evidence-file');
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const bit = (v: unknown) => (v === true ? 1 : 0);
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Reads the file's JSON lines with their numbers; a line that is not a JSON object is refused. */
async function* readLines(path: string): AsyncGenerator<{ n: number; line: Line; text: string }> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw bad(n, `not valid JSON (${(e as Error).message})`);
    }
    const v = value as Partial<Line> | null;
    if (!v || typeof v !== 'object' || typeof v.type !== 'string') throw bad(n, 'not a JSON object with a "type"');
    yield { n, line: v as Line, text };
  }
}

/** The events of a subject line as the chain verifier sees them. */
function storedEvents(n: number, subjectId: string, events: Obj[]): StoredEvent[] {
  return events.map((e, i) => {
    const type = e.type;
    if (!isLedgerEventType(type)) throw bad(n, `event ${i + 1} has an unknown type ${JSON.stringify(type)}`);
    if (e.hasLawfulBasis !== null && !isLawfulBasis(e.hasLawfulBasis)) throw bad(n, `event ${i + 1} has an unknown lawful basis`);
    if (typeof e.id !== 'string' || typeof e.seq !== 'number' || typeof e.hash !== 'string' || typeof e.occurredAt !== 'string' || typeof e.recordedAt !== 'string') {
      throw bad(n, `event ${i + 1} lacks id, seq, hash, occurredAt or recordedAt`);
    }
    return {
      subjectId, seq: e.seq, prevHash: String(e.prevHash ?? ''), hash: e.hash, type: type as LedgerEventType,
      purposeId: str(e.hasPurpose), basis: e.hasLawfulBasis as LawfulBasis | null, occurredAt: e.occurredAt,
      details: asObj(e.details), personalDigest: String(e.personalDigest ?? ''), personal: e.personal ? asObj(e.personal) : null,
    };
  });
}

/** A permission field that disagrees with the ledger event it names as its evidence. */
interface Disagreement {
  field: string;
  has: unknown;
  /** What the event records, as the message says it: a JSON value or a few words. */
  records: string;
}

/** Events that set the permission's provision time (hasProvisionTime) to their own time. */
const PROVIDES = new Set(['given', 'refreshed', 'imported']);

/**
 * Checks a permission against the ledger event it names as its evidence. A permission is what the last change
 * left, and every change writes its event with `eventOf` (services/consent/permission-change.ts), so the event fixes:
 * - purpose and lawful basis; method, source and status (`details.method`, `.source`, `.status`);
 * - that it is the purpose's last change (the last event with a `details.status`): pointing at an older one
 *   would resurrect a permission a later withdrawal ended;
 * - the times its callers take from it: a withdrawal or objection's time is `hasWithdrawalTime`; a confirmation's
 *   (or refresh's) is `confirmationTime`, and a confirmation's `hasProvisionTime` is an earlier request's time; a
 *   consent given, refreshed, imported or requested (pending) has the event's time as `hasProvisionTime`, which only
 *   an import without proof (`not_provable`) leaves empty;
 * - the privacy-notice version and import batch the event names (`details.noticeVersion`, an import's `importId`);
 * - third-party evidence (B2) of an active `third_party` permission: its import recorded evidence naming this
 *   organisation and the purpose (a grant's `namesOrganisation`, a CSV import's `origin.evidenceNames`).
 * - an imported consent's confirmation time (`details.confirmedAt`; events written before it was recorded there
 *   lack the key, and their permission's confirmation time cannot be checked).
 * @param p the permission record; `e` the event it names; `chain` the subject's events in seq order
 * @returns the first field that disagrees, with both values, or null
 */
function disagreement(p: Obj, e: Obj, chain: Obj[]): Disagreement | null {
  const off = (field: string, records: unknown): Disagreement => ({ field, has: p[field], records: JSON.stringify(records ?? null) });
  const d = asObj(e.details);
  const status = typeof d.status === 'string' ? CONSENT_STATUS[d.status as keyof typeof CONSENT_STATUS] ?? d.status : d.status;
  const same: Array<[string, unknown]> = [
    ['hasPurpose', e.hasPurpose], ['hasLawfulBasis', e.hasLawfulBasis], ['hasProvisionMethod', d.method],
    ['sourceKind', d.source], ['hasConsentStatus', status],
  ];
  for (const [field, value] of same) if (p[field] !== value) return off(field, value);
  const changes = chain.filter((x) => x.hasPurpose === p.hasPurpose && typeof asObj(x.details).status === 'string');
  const last = changes[changes.length - 1];
  if (last && last.id !== e.id) return { field: 'evidenceEventId', has: e.id, records: `no later change, but event ${String(last.seq)} (${String(last.type)}) is one` };
  const at = e.occurredAt;
  const endsIt = (e.type === 'withdrawn' || e.type === 'objected') && (status === 'withdrawn' || status === 'objected');
  if (endsIt && p.hasWithdrawalTime !== at) return off('hasWithdrawalTime', at);
  if ((e.type === 'confirmed' || e.type === 'refreshed') && p.confirmationTime !== at) return off('confirmationTime', at);
  if (e.type === 'imported' && 'confirmedAt' in d && p.confirmationTime !== d.confirmedAt) return off('confirmationTime', d.confirmedAt);
  const provides = PROVIDES.has(String(e.type)) || (e.type === 'requested' && status === 'requested');
  const unproven = e.type === 'imported' && p.hasProvisionMethod === 'not_provable' && p.hasProvisionTime === null;
  if (provides && p.hasProvisionTime !== at && !unproven) return off('hasProvisionTime', at);
  if (e.type === 'confirmed' && !chain.some((x) => x.type === 'requested' && x.hasPurpose === p.hasPurpose && Number(x.seq) < Number(e.seq) && x.occurredAt === p.hasProvisionTime)) {
    return { field: 'hasProvisionTime', has: p.hasProvisionTime, records: 'a confirmation of an earlier request at another time' };
  }
  if (typeof d.noticeVersion === 'number' && p.hasNotice !== d.noticeVersion) return off('hasNotice', d.noticeVersion);
  if (e.type === 'imported' && typeof d.importId === 'string' && p.importId !== d.importId) return off('importId', d.importId);
  const names = asObj(d.origin).evidenceNames;
  const documented = d.namesOrganisation === true || (Array.isArray(names) && names.includes('organisation') && names.includes('purpose'));
  if (p.thirdPartyEvidence === true && p.hasProvisionMethod === 'third_party' && status === 'given' && !(e.type === 'imported' && documented)) {
    return { field: 'thirdPartyEvidence', has: true, records: 'no third-party evidence naming this organisation and purpose' };
  }
  return null;
}

/** Checks the header line against this server. */
function checkHeader(n: number, h: Line, secret: string): Obj {
  if (h.type !== 'header' || h.format !== EVIDENCE_FORMAT) throw bad(n, `not a ${EVIDENCE_FORMAT} file (the first line must be its header)`);
  // Version 1 (the first session's, never released) had no signature: anyone could have dropped a suppression.
  if (h.formatVersion !== EVIDENCE_FORMAT_VERSION) {
    throw bad(n, `format version ${String(h.formatVersion)} is not accepted (this server reads version ${EVIDENCE_FORMAT_VERSION}, which is signed); export the evidence again with this version`);
  }
  if (asObj(h.suppressionKey).keyId !== suppressionKeyId(secret)) {
    throw new DomainError('conflict', `line ${n}: the file was exported by a server with another secret. Suppression hashes (and links in mail ` +
      'already sent) only work with the same key, and hash-only suppressions cannot be re-keyed because their addresses are not in the file. ' +
      'Set CONSENTRY_SECRET to the exporting server\'s secret (`consentry secret` there) and import again into a fresh data folder: the ' +
      'folder then keeps that secret for every later command and the server.', 'secret', 'other-secret');
  }
  return asObj(h.counts);
}

/** Where each part of the settings is kept on a server. */
const SETTING_KEYS = { decisions: 'decision_settings', retention: RETENTION_SETTING } as const;
const fileSettingsSchema = z.strictObject({ decisions: decisionSettingsSchema.required(), retention: z.strictObject(retentionRulesSchema.shape) });

/**
 * The header's settings (format version 2), checked against this server's. A server that never set a part takes
 * the file's; one that set it otherwise refuses the file, so that no decision (who may be mailed as a customer,
 * Tw 11.7(3); what is erased when, GDPR 5(1)(e)) changes silently with the move.
 * @returns the file's settings to store
 * @throws DomainError invalid naming `settings.…` for a value that is not valid (an unknown setting too); conflict
 *   when this server set a part to other values
 */
async function checkSettings(deps: Data, n: number, h: Line): Promise<EvidenceSettings> {
  const parsed = fileSettingsSchema.safeParse(h.settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw bad(n, `settings.${i.path.join('.')}: ${i.message}`);
  }
  const file: EvidenceSettings = parsed.data;
  const own = await evidenceSettings(deps);
  for (const part of ['decisions', 'retention'] as const) {
    const setHere = (await getSetting(deps.db, SETTING_KEYS[part])) !== undefined;
    if (setHere && canonicalJson(own[part]) !== canonicalJson(file[part])) {
      throw new DomainError('conflict', `line ${n}: the file's ${part} settings ${canonicalJson(file[part])} differ from the ones set on this server ` +
        `${canonicalJson(own[part])}. Decisions would change with the move: set this server's to the file's first (\`consentry settings set …\`) ` +
        'if they are to hold here, then import again.', `settings.${part}`, 'other-settings');
    }
  }
  return file;
}

/** Pass 1: validates the whole file against the database; writes nothing. */
async function check(deps: Data & { secret: string }, path: string): Promise<EvidenceSettings> {
  const seen: Record<string, number> = {};
  let counts: Obj | null = null;
  let settings: EvidenceSettings | null = null;
  const filePurposes = new Set<string>();
  let batch: Array<{ n: number; id: string; email: string | null }> = [];
  const overlap = async () => {
    if (batch.length === 0) return;
    const ids = batch.map((b) => b.id);
    const emails = batch.map((b) => b.email).filter((e): e is string => e !== null);
    const [byId, byEmail, chains] = await Promise.all([
      deps.db.selectFrom('contacts').select('id').where('id', 'in', ids).execute(),
      emails.length ? deps.db.selectFrom('contacts').select('email').where('email', 'in', emails).execute() : [],
      deps.db.selectFrom('consent_events').select('subject_id').where('subject_id', 'in', ids).limit(1).execute(),
    ]);
    const clash = new Set([...byId.map((r) => r.id), ...chains.map((r) => r.subject_id), ...byEmail.map((r) => r.email)]);
    const hit = batch.find((b) => clash.has(b.id) || (b.email !== null && clash.has(b.email)));
    if (hit) {
      throw new DomainError('conflict', `line ${hit.n}: subject ${hit.id} is already in this database (same id, address or ledger chain). ` +
        'Evidence is imported into an empty database, or one whose subjects do not overlap: merging two histories of one person would ' +
        'fork the hash chain or duplicate the person.', 'file', 'subject-exists');
    }
    batch = [];
  };
  const signer = evidenceSigner(deps.secret);
  let signature: { n: number; matches: boolean } | null = null;
  for await (const { n, line, text } of readLines(path)) {
    if (signature) throw bad(n, `a line after the signature (line ${signature.n}); the signature covers the whole file`);
    if (line.type === 'signature') {
      // checkHeader has made sure the secret is the exporting server's, so a mismatch means the bytes changed.
      signature = { n, matches: line.value === signer.value() };
      continue;
    }
    signer.add(text);
    if (counts === null) {
      counts = checkHeader(n, line, deps.secret);
      settings = await checkSettings(deps, n, line);
      continue;
    }
    seen[line.type] = (seen[line.type] ?? 0) + 1;
    if (line.type === 'purpose') filePurposes.add(String(asObj(line.row).id));
    else if (line.type === 'notice') {
      const row = asObj(line.row);
      const have = await deps.db.selectFrom('privacy_notices').select('content').where('version', '=', Number(row.version)).executeTakeFirst();
      if (have && have.content !== row.content) throw bad(n, `privacy notice version ${String(row.version)} exists here with another text; evidence points to the version shown, so both cannot hold`);
    } else if (line.type === 'subject') {
      const id = str(line.hasDataSubject);
      if (!id) throw bad(n, 'subject line without "hasDataSubject"');
      const profile = line.profile === null ? null : asObj(line.profile);
      if (profile && !str(profile.email)) throw bad(n, 'profile without an address');
      if (profile) {
        const address = normaliseAddress(str(profile.email) ?? '');
        if (!address.ok || address.value.address !== str(profile.email)) throw bad(n, `profile address: ${address.ok ? 'not in normalised form' : address.error}`);
        for (const field of ['firstName', 'lastName'] as const) {
          const name = checkName(str(profile[field]) ?? '');
          if (!name.ok) throw bad(n, `profile ${field}: ${name.error}`);
        }
      }
      const events = storedEvents(n, id, list(line.events));
      const problems = verifyChain(id, events);
      if (problems.length > 0) throw bad(n, `the ledger chain of subject ${id} does not verify: ${problems.map((p) => `event ${p.seq}: ${p.problem}`).join('; ')}`);
      for (const p of list(line.permissions)) {
        if (!filePurposes.has(String(p.hasPurpose))) throw bad(n, `permission for purpose "${String(p.hasPurpose)}", which the file does not define`);
        if (!(String(p.hasConsentStatus) in STATUS_OF)) throw bad(n, `unknown consent status ${JSON.stringify(p.hasConsentStatus)}`);
        const chain = list(line.events);
        const event = chain.find((e) => e.id === p.evidenceEventId);
        if (!event) throw bad(n, `permission for "${String(p.hasPurpose)}" points to an evidence event the line does not hold`);
        const off = disagreement(p, event, chain);
        if (off) {
          throw bad(n, `permission for "${String(p.hasPurpose)}": ${off.field} ${JSON.stringify(off.has ?? null)} disagrees with its evidence, ` +
            `ledger event ${String(event.seq)} (${String(event.type)}), which records ${off.records}`);
        }
      }
      batch.push({ n, id, email: profile ? str(profile.email) : null });
      if (batch.length >= 500) await overlap();
    } else if (line.type === 'suppression') {
      if (!/^[0-9a-f]{64}$/.test(String(line.hash))) throw bad(n, 'suppression hash is not 64 hex characters');
    } else if (line.type !== 'import') throw bad(n, `unknown line type "${line.type}"`);
  }
  await overlap();
  if (counts === null || settings === null) throw bad(1, 'the file is empty');
  const expect: Record<string, unknown> = { purpose: counts.purposes, notice: counts.notices, import: counts.imports, subject: counts.subjects, suppression: counts.suppressions };
  for (const [type, want] of Object.entries(expect)) {
    if ((seen[type] ?? 0) !== want) throw bad(1, `the header announces ${String(want)} ${type} line(s) but the file holds ${seen[type] ?? 0} (truncated or edited)`);
  }
  if (!signature) throw bad(1, 'the file has no signature line at its end: truncated or edited');
  if (!signature.matches) throw bad(signature.n, 'the signature does not match the lines before it: the file was edited, or lines were dropped or added');
  return settings;
}

/** Pass 2, in the caller's transaction: stores one line. */
async function store(trx: Kysely<DB>, secret: string, line: Line, r: EvidenceImportReport, hadSuppressions: boolean): Promise<void> {
  const row = asObj(line.row);
  if (line.type === 'purpose') {
    const have = await trx.selectFrom('purposes').select('id').where('id', '=', String(row.id)).executeTakeFirst();
    if (have) r.purposesKept++;
    else {
      await trx.insertInto('purposes').values(row as never).execute();
      r.purposesCreated++;
    }
  } else if (line.type === 'notice') {
    const have = await trx.selectFrom('privacy_notices').select('version').where('version', '=', Number(row.version)).executeTakeFirst();
    if (!have) await trx.insertInto('privacy_notices').values(row as never).execute();
    r.notices++;
  } else if (line.type === 'import') {
    await trx.insertInto('imports').values(row as never).onConflict((oc) => oc.column('id').doNothing()).execute();
    r.imports++;
  } else if (line.type === 'suppression') {
    await trx.insertInto('suppressions').values({ hash: String(line.hash), reason: String(line.reason), source: str(line.source), created_at: String(line.createdAt) })
      .onConflict((oc) => oc.column('hash').doNothing()).execute();
    r.suppressions++;
  } else if (line.type === 'subject') await storeSubject(trx, secret, line, r, hadSuppressions);
}

async function storeSubject(trx: Kysely<DB>, secret: string, line: Line, r: EvidenceImportReport, hadSuppressions: boolean): Promise<void> {
  const id = String(line.hasDataSubject);
  r.subjects++;
  if (line.profile) {
    const p = asObj(line.profile);
    const email = String(p.email);
    let suppression = str(p.suppression);
    // Unsubscribed = unsubscribed: an address this server already suppresses stays suppressed (E5).
    if (!suppression && hadSuppressions) {
      const listed = await trx.selectFrom('suppressions').select('reason').where('hash', '=', suppressionHash(secret, email)).executeTakeFirst();
      suppression = listed?.reason ?? null;
    }
    const source = asObj(p.source);
    await trx.insertInto('contacts').values({
      id, email, first_name: str(p.firstName), last_name: str(p.lastName), kind: String(p.kind), role_address: bit(p.roleAddress),
      designated_for_offers: bit(p.designatedForOffers), designation_evidence: str(p.designationEvidence), employee: bit(p.employee),
      employee_work_address: bit(p.employeeWorkAddress), customer_opted_out: bit(p.customerOptedOut), lead: bit(p.lead), suppression,
      locale: str(p.locale), attributes: JSON.stringify(p.attributes ?? {}), source_kind: String(source.kind), source_ref: str(source.ref),
      created_at: String(p.createdAt), updated_at: String(p.updatedAt), ...asObj(p.extra),
    } as never).execute();
    r.contacts++;
  }
  const events = list(line.events);
  if (events.length > 0) {
    await trx.insertInto('consent_events').values(events.map((e) => ({
      id: String(e.id), subject_id: id, seq: Number(e.seq), prev_hash: String(e.prevHash), hash: String(e.hash), type: String(e.type),
      purpose_id: str(e.hasPurpose), basis: str(e.hasLawfulBasis), occurred_at: String(e.occurredAt), recorded_at: String(e.recordedAt),
      details: canonicalJson(e.details ?? {}), personal_digest: String(e.personalDigest ?? ''), personal: e.personal ? canonicalJson(e.personal) : null,
    }))).execute();
    r.events += events.length;
  }
  for (const p of list(line.permissions)) {
    await trx.insertInto('permissions').values({
      id: String(p.id), contact_id: id, purpose_id: String(p.hasPurpose), basis: String(p.hasLawfulBasis), status: STATUS_OF[String(p.hasConsentStatus)]!,
      method: String(p.hasProvisionMethod), source_kind: String(p.sourceKind), given_at: str(p.hasProvisionTime), confirmed_at: str(p.confirmationTime),
      withdrawn_at: str(p.hasWithdrawalTime), third_party_evidence: bit(p.thirdPartyEvidence), evidence_event_id: String(p.evidenceEventId),
      import_id: str(p.importId), notice_version: typeof p.hasNotice === 'number' ? p.hasNotice : null, created_at: String(p.createdAt),
      updated_at: String(p.updatedAt), ...asObj(p.extra),
    } as never).execute();
    r.permissions++;
  }
  for (const b of list(line.purchases)) {
    await trx.insertInto('purchases').values({
      id: String(b.id), contact_id: id, product_category: String(b.productCategory), purchased_at: String(b.purchasedAt),
      opt_out_offered: String(b.optOutOffered), created_at: String(b.createdAt),
    }).execute();
    r.purchases++;
  }
}

/**
 * Imports an evidence file (docs/evidence-format.md) into this database and takes a ledger checkpoint.
 * @param path the JSON Lines file
 * @returns counts of what was stored
 * A folder that held no keyed data before keeps `deps.secret` in its `secret` setting afterwards (replacing a
 * recorded key id; store/settings.ts keepSecretIfFresh), so the imported suppression hashes keep matching after a
 * restart without CONSENTRY_SECRET; a folder with data stays bound as it was.
 * The settings in the header become this server's.
 * @throws DomainError invalid naming the line when the file is malformed, a chain does not verify (tampered), a
 *   permission disagrees with its ledger event or the counts differ from the header; conflict when the file was
 *   keyed with another secret, this server set its settings otherwise, or a subject (id, address or chain)
 *   already exists here; Error "invalid configuration: CONSENTRY_SECRET …" when this
 *   folder's data is keyed with another secret than `deps.secret`. In every case nothing is stored.
 * @example await importEvidence(ctx.deps, 'evidence.jsonl') // { subjects: 1163, events: 1172, … }
 */
export async function importEvidence(deps: Data & { clock: Clock; secret: string }, path: string): Promise<EvidenceImportReport> {
  const settings = await check(deps, path);
  const now = deps.clock.now();
  const r: EvidenceImportReport = {
    file: path, sameSecret: true, purposesCreated: 0, purposesKept: 0, notices: 0, imports: 0, subjects: 0, contacts: 0,
    permissions: 0, purchases: 0, events: 0, suppressions: 0, checkpoint: null,
    settings,
  };
  const hadSuppressions = (await deps.db.selectFrom('suppressions').select('hash').limit(1).execute()).length > 0;
  await deps.db.transaction().execute(async (trx) => {
    // Binds the folder to the file's secret, so that every later start uses the key the imported suppressions are
    // made with; refuses when the folder's data is keyed with another. A folder that held nothing keyed keeps the
    // secret itself, also when it started with CONSENTRY_SECRET (which records only a key id): the user set it for
    // the import only, and later commands and the server must work without it.
    await ensureSecret(trx, deps.secret);
    await keepSecretIfFresh(trx, deps.secret);
    let first = true;
    for await (const { line } of readLines(path)) {
      if (first) {
        first = false;
        // A server set up from the file alone takes over the controller's identity; an initialised one keeps its own.
        if (line.controller && !(await getOrganisation(trx))) await putOrganisation(trx, line.controller as Organisation);
        // The exporting server's settings hold here too (checkSettings refused the file when this server set others).
        if (settings) for (const part of ['decisions', 'retention'] as const) await putSetting(trx, SETTING_KEYS[part], settings[part]);
        continue;
      }
      if (line.type !== 'signature') await store(trx, deps.secret, line, r, hadSuppressions);
    }
    r.checkpoint = await takeCheckpoint(trx, deps.dialect, now);
  });
  return r;
}
