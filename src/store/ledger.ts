/**
 * The consent ledger in the database: append an event to a subject's chain, read a subject's history, take a
 * checkpoint over all chain heads, verify everything. Hashing rules live in core/ledger-chain.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import {
  canonicalJson,
  eventHashWith,
  MerkleAccumulator,
  personalDigest,
  sha256,
  verifyChain,
  type ChainProblem,
  type StoredEvent,
} from '../core/ledger-chain.js';
import type { LawfulBasis, LedgerEventType } from '../core/vocab.js';
import type { Dialect } from './db.js';
import type { ConsentEventRow, ConsentEventsTable, DB } from './schema.js';

/** What a use case records; the chain fields are filled in here. */
export interface NewLedgerEvent {
  /** The data subject's pseudonymous id (the contact id). */
  subjectId: string;
  type: LedgerEventType;
  purposeId: string | null;
  basis: LawfulBasis | null;
  /** When it happened; for imported evidence the original time. */
  occurredAt: Date;
  /** Non-personal details (hashed): method, formId, noticeVersion, textHash, language, source, importId… */
  details: Record<string, unknown>;
  /** Personal details (address, ip, userAgent); kept beside the event, erasable. */
  personal?: Record<string, unknown> | null;
}

let [salts, saltAt] = ['', 0];
/** 16 random bytes as hex, cut from a pooled draw (one randomBytes call per 1,024 salts). */
function salt(): string {
  if (saltAt >= salts.length) [salts, saltAt] = [randomBytes(16 * 1024).toString('hex'), 0];
  return salts.slice(saltAt, (saltAt += 32));
}

/**
 * Seals one event onto a chain head: salts the personal details, fills seq and prevHash, hashes (also used by
 * the import's SQLite bulk path). @returns the row to insert (id: `id` or a random UUID) and its hash
 */
export function sealEvent(e: NewLedgerEvent, head: { seq: number; hash: string } | undefined, recordedAt: string, id: string = randomUUID()): Insertable<ConsentEventsTable> & { id: string; hash: string; seq: number } {
  const personal = e.personal ? { ...e.personal, salt: salt() } : null;
  const details = canonicalJson(e.details);
  // canonicalJson is idempotent, so hashing the details as given equals hashing their canonical parse.
  const hashed = {
    subjectId: e.subjectId,
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? '',
    type: e.type,
    purposeId: e.purposeId,
    basis: e.basis,
    occurredAt: e.occurredAt.toISOString(),
    details: e.details,
    personalDigest: personalDigest(personal),
  };
  return {
    id,
    subject_id: hashed.subjectId,
    seq: hashed.seq,
    prev_hash: hashed.prevHash,
    hash: eventHashWith(hashed, details),
    type: hashed.type,
    purpose_id: hashed.purposeId,
    basis: hashed.basis,
    occurred_at: hashed.occurredAt,
    recorded_at: recordedAt,
    details,
    personal_digest: hashed.personalDigest,
    personal: personal ? canonicalJson(personal) : null,
  };
}

/**
 * Appends one event to its subject's chain. Run it inside the use case's transaction; two writers racing on
 * the same subject collide on the unique (subject_id, seq) and the loser's transaction fails, never forks.
 * @returns the stored event's id and hash
 */
export async function appendEvent(db: Kysely<DB>, e: NewLedgerEvent, recordedAt: Date): Promise<{ id: string; hash: string }> {
  const head = await db.selectFrom('consent_events').select(['seq', 'hash']).where('subject_id', '=', e.subjectId)
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = sealEvent(e, head, recordedAt.toISOString());
  await db.insertInto('consent_events').values(row).execute();
  return { id: row.id, hash: row.hash };
}

/** Bound parameters per statement: SQLite's limit in better-sqlite3 12 (PostgreSQL allows 65535). */
export const MAX_PARAMS = 32766;
/** Rows per multi-row INSERT of `columns` columns: within MAX_PARAMS, at most 500 (larger ones were no faster). */
export const rowsPerInsert = (columns: number): number => Math.max(1, Math.min(Math.floor(MAX_PARAMS / columns), 500));
/** Subjects per head lookup. */
const HEADS_CHUNK = 5000;

/**
 * Appends many events, in the given order, exactly as the same sequence of `appendEvent` calls would: same hash
 * inputs, per-subject seq and prevHash (several events of one subject chain onto each other), a fresh salt per
 * event with personal details. One query reads the heads of the subjects (subjects without events have none),
 * hashing runs in memory, and rows go in with multi-row INSERTs of at most MAX_PARAMS parameters. Run it in the
 * caller's transaction; a concurrent writer on one of the subjects makes the unique (subject_id, seq) fail the
 * transaction, never fork a chain.
 * @param events `[{ subjectId, type, purposeId, basis, occurredAt, details, personal? }, …]`
 * @returns `[{ id, hash }, …]`, one per event in the same order
 * @throws the database error of a colliding (subject_id, seq) or a failed insert
 * @example const [{ id }] = await appendEvents(trx, [{ subjectId, type: 'imported', … }], now)
 */
export async function appendEvents(db: Kysely<DB>, events: readonly NewLedgerEvent[], recordedAt: Date): Promise<Array<{ id: string; hash: string }>> {
  if (events.length === 0) return [];
  const heads = new Map<string, { seq: number; hash: string }>();
  const subjects = [...new Set(events.map((e) => e.subjectId))];
  for (let i = 0; i < subjects.length; i += HEADS_CHUNK) {
    const rows = await db
      .selectFrom('consent_events as e')
      .select(['e.subject_id', 'e.seq', 'e.hash'])
      .where('e.subject_id', 'in', subjects.slice(i, i + HEADS_CHUNK))
      .where('e.seq', '=', (eb) =>
        eb.selectFrom('consent_events as h').select((h) => h.fn.max('h.seq').as('m')).whereRef('h.subject_id', '=', 'e.subject_id'),
      )
      .execute();
    for (const r of rows) heads.set(r.subject_id, { seq: Number(r.seq), hash: r.hash });
  }
  const at = recordedAt.toISOString();
  const rows = events.map((e) => {
    const row = sealEvent(e, heads.get(e.subjectId), at);
    heads.set(e.subjectId, row);
    return row;
  });
  const chunk = rowsPerInsert(Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += chunk) await db.insertInto('consent_events').values(rows.slice(i, i + chunk)).execute();
  return rows.map((r) => ({ id: r.id, hash: r.hash }));
}

/** Converts a row to the verifier's shape. */
export function toStoredEvent(r: ConsentEventRow): StoredEvent {
  return {
    subjectId: r.subject_id,
    seq: r.seq,
    prevHash: r.prev_hash,
    hash: r.hash,
    type: r.type as LedgerEventType,
    purposeId: r.purpose_id,
    basis: r.basis as LawfulBasis | null,
    occurredAt: r.occurred_at,
    details: JSON.parse(r.details) as Record<string, unknown>,
    personalDigest: r.personal_digest,
    personal: r.personal ? (JSON.parse(r.personal) as Record<string, unknown>) : null,
  };
}

/** A subject's whole history, oldest first. */
export async function subjectEvents(db: Kysely<DB>, subjectId: string): Promise<ConsentEventRow[]> {
  return db.selectFrom('consent_events').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute();
}

/** Subject-id ordering that is bytewise on both databases (PostgreSQL's default collation is not). */
const subjectOrder = (dialect: Dialect) =>
  dialect === 'postgres' ? sql`subject_id collate "C"` : sql`subject_id`;

/**
 * Streams all events in (subject, seq) order, a page at a time, so verification of a large ledger runs in
 * bounded memory: every column, or (`all` false, for checkpoints) only subject_id, seq, hash and position.
 */
async function* eventsInChainOrder(db: Kysely<DB>, dialect: Dialect, all = true, pageSize = 5000): AsyncGenerator<Pick<ConsentEventRow, 'subject_id' | 'seq' | 'hash' | 'position'>> {
  let after: { subject: string; seq: number } | null = null;
  for (;;) {
    let q = all ? db.selectFrom('consent_events').selectAll() : db.selectFrom('consent_events').select(['subject_id', 'seq', 'hash', 'position']);
    if (after) {
      const a: { subject: string; seq: number } = after;
      q = q.where(
        sql<boolean>`(${subjectOrder(dialect)} > ${a.subject} or (subject_id = ${a.subject} and seq > ${a.seq}))`,
      );
    }
    const rows = await q.orderBy(subjectOrder(dialect)).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) yield r;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { subject: last.subject_id, seq: last.seq };
  }
}

export const checkpointHash = (c: {
  created_at: string;
  up_to_position: number;
  subject_count: number;
  merkle_root: string;
  prev_hash: string;
}): string =>
  sha256(
    canonicalJson({
      createdAt: c.created_at,
      upToPosition: c.up_to_position,
      subjectCount: c.subject_count,
      merkleRoot: c.merkle_root,
      prevHash: c.prev_hash,
    }),
  );

/**
 * Computes the Merkle root over every subject's head among the events with position ≤ `upTo`.
 * @returns root and number of subjects
 */
async function headsRoot(db: Kysely<DB>, dialect: Dialect, upTo: number): Promise<{ root: string; count: number }> {
  const acc = new MerkleAccumulator();
  let count = 0;
  let current: { subject: string; hash: string } | null = null;
  for await (const r of eventsInChainOrder(db, dialect, false)) {
    if (r.position > upTo) continue;
    if (current && current.subject !== r.subject_id) {
      acc.add(current.subject, current.hash);
      count++;
    }
    current = { subject: r.subject_id, hash: r.hash };
  }
  if (current) {
    acc.add(current.subject, current.hash);
    count++;
  }
  return { root: acc.root(), count };
}

/**
 * Takes a checkpoint: the Merkle root over all chain heads now, chained to the previous checkpoint. Cheap to
 * call often; does nothing when no event was added since the last one.
 * @returns the checkpoint's hash, or null when there was nothing new
 */
export async function takeCheckpoint(db: Kysely<DB>, dialect: Dialect, now: Date): Promise<string | null> {
  const top = await db.selectFrom('consent_events').select(sql<number>`max(position)`.as('p')).executeTakeFirst();
  const upTo = Number(top?.p ?? 0);
  const prev = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (upTo === 0 || (prev && prev.up_to_position >= upTo)) return null;
  const { root, count } = await headsRoot(db, dialect, upTo);
  const row = {
    created_at: now.toISOString(),
    up_to_position: upTo,
    subject_count: count,
    merkle_root: root,
    prev_hash: prev?.hash ?? '',
  };
  const hash = checkpointHash(row);
  await db.insertInto('ledger_checkpoints').values({ ...row, hash }).execute();
  return hash;
}

export interface LedgerReport {
  ok: boolean;
  events: number;
  subjects: number;
  checkpoints: number;
  problems: ChainProblem[];
}

/**
 * Verifies the whole ledger: every subject's chain, the checkpoint chain, and each checkpoint's Merkle root
 * against the heads as they stood at its position.
 * @returns a report; `ok` is false with one problem per defect found
 */
export async function verifyLedger(db: Kysely<DB>, dialect: Dialect): Promise<LedgerReport> {
  const problems: ChainProblem[] = [];
  let events = 0;
  let subjects = 0;
  let chain: StoredEvent[] = [];
  const flush = () => {
    if (chain.length === 0) return;
    problems.push(...verifyChain(chain[0]!.subjectId, chain));
    subjects++;
    chain = [];
  };
  for await (const r of eventsInChainOrder(db, dialect)) {
    events++;
    if (chain.length > 0 && chain[0]!.subjectId !== r.subject_id) flush();
    chain.push(toStoredEvent(r as ConsentEventRow));
  }
  flush();

  const checkpoints = await db.selectFrom('ledger_checkpoints').selectAll().orderBy('id').execute();
  let prevHash = '';
  for (const c of checkpoints) {
    const at = (problem: string) => problems.push({ subjectId: '(checkpoint)', seq: c.id, problem });
    if (c.prev_hash !== prevHash) at('checkpoint chain broken (checkpoint missing or reordered)');
    if (checkpointHash(c) !== c.hash) at('checkpoint edited');
    prevHash = c.hash;
  }
  // Only the latest checkpoint's root is recomputed in full: earlier ones are bound to it by the chain.
  const last = checkpoints[checkpoints.length - 1];
  if (last) {
    const { root, count } = await headsRoot(db, dialect, last.up_to_position);
    if (root !== last.merkle_root || count !== last.subject_count) {
      problems.push({
        subjectId: '(checkpoint)',
        seq: last.id,
        problem: `chain heads no longer match checkpoint ${last.id} of ${last.created_at} (events removed or edited)`,
      });
    }
  }
  return { ok: problems.length === 0, events, subjects, checkpoints: checkpoints.length, problems };
}
