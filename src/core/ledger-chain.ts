/**
 * Hashing of the consent ledger (DESIGN.md "Consent ledger"). Pure.
 *
 * Each event's hashed part holds no personal data: it names the data subject by a random id and commits to the
 * personal details (address, IP, user agent, plus a random salt) by their SHA-256 digest, stored beside it.
 * Erasure deletes the details and keeps the digest, so the chain still verifies and nothing personal remains;
 * the salt keeps the digest from being matched against a guessed address.
 *
 * Chains run per subject (each event hashes that subject's previous event), so writers never share a lock.
 * Checkpoints fix the heads of all chains at a moment: a Merkle root over the (subject, head hash) pairs, each
 * checkpoint also hashing the previous one. Removing a subject's latest events before a checkpoint changes the
 * root; editing, removing or reordering any other event breaks its chain.
 */
import { createHash } from 'node:crypto';
import type { LawfulBasis, LedgerEventType } from './vocab.js';

/** The part of an event that is hashed. No personal data: `details` must not hold any. */
export interface HashedEvent {
  subjectId: string;
  /** 1-based position in the subject's chain. */
  seq: number;
  /** Hash of the subject's previous event; '' for the first. */
  prevHash: string;
  type: LedgerEventType;
  purposeId: string | null;
  basis: LawfulBasis | null;
  /** When it happened (ISO-8601). For imported evidence: the original time, never the import's. */
  occurredAt: string;
  /** Non-personal details: method, form, notice version, text hash, language, source reference… */
  details: Record<string, unknown>;
  /** SHA-256 (hex) of the canonical JSON of the personal details, '' when there are none. */
  personalDigest: string;
}

/**
 * Canonical JSON: object keys sorted, no white space, `undefined` members dropped. Deterministic for the
 * JSON value space, so the same event always hashes the same.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  // Keys in UTF-16 code-unit order (the default sort's order, the same as comparing with <), built in one pass:
  // the ledger hashes a million events in an import, so no intermediate arrays of entries.
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Digest that commits to an event's personal details (which must include a random `salt`). */
export function personalDigest(personal: Record<string, unknown> | null): string {
  return personal ? sha256(canonicalJson(personal)) : '';
}

/** The hash of one event (hex SHA-256 of its canonical hashed part). */
export function eventHash(e: HashedEvent): string {
  return sha256(
    canonicalJson({
      v: 1,
      subjectId: e.subjectId,
      seq: e.seq,
      prevHash: e.prevHash,
      type: e.type,
      purposeId: e.purposeId,
      basis: e.basis,
      occurredAt: e.occurredAt,
      details: e.details,
      personalDigest: e.personalDigest,
    }),
  );
}

/**
 * `eventHash` with the details' canonical JSON given (the store computes it anyway to keep it): the same bytes
 * are hashed, without canonicalising the details twice or sorting the fixed keys. Falls back to `eventHash`
 * when a member is undefined (canonical JSON drops those).
 */
export function eventHashWith(e: HashedEvent, detailsJson: string): string {
  const { basis, occurredAt, personalDigest: pd, prevHash, purposeId, seq, subjectId, type } = e;
  if ([basis, occurredAt, pd, prevHash, purposeId, seq, subjectId, type].includes(undefined as never)) return eventHash(e);
  const j = JSON.stringify;
  return sha256(
    `{"basis":${j(basis)},"details":${detailsJson},"occurredAt":${j(occurredAt)},"personalDigest":${j(pd)},"prevHash":${j(prevHash)},` +
      `"purposeId":${j(purposeId)},"seq":${j(seq)},"subjectId":${j(subjectId)},"type":${j(type)},"v":1}`,
  );
}

/** A stored event as the verifier sees it. */
export interface StoredEvent extends HashedEvent {
  hash: string;
  /** The personal details kept beside the event, or null after erasure. */
  personal: Record<string, unknown> | null;
}

/** One problem found by `verifyChain`, naming the subject and the position. */
export interface ChainProblem {
  subjectId: string;
  seq: number;
  problem: string;
}

/**
 * Verifies one subject's chain, events given in seq order.
 * @returns the problems found (empty when the chain is intact)
 */
export function verifyChain(subjectId: string, events: readonly StoredEvent[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = '';
  events.forEach((e, i) => {
    const at = (problem: string) => problems.push({ subjectId, seq: e.seq, problem });
    if (e.subjectId !== subjectId) at('event belongs to another subject');
    if (e.seq !== i + 1) at(`expected seq ${i + 1}, found ${e.seq} (event missing or reordered)`);
    if (e.prevHash !== prev) at('previous-hash link broken (event missing, edited or reordered)');
    if (eventHash(e) !== e.hash) at('hash does not match the event (edited)');
    if (e.personal && personalDigest(e.personal) !== e.personalDigest) at('personal details do not match their digest');
    prev = e.hash;
  });
  return problems;
}

/**
 * Streaming Merkle root over chain heads, fed in ascending subject-id order (the store streams them sorted), in
 * O(log n) memory. Leaves hash `subjectId:headHash`; equal-height subtrees merge as they complete, and at the end
 * the remaining peaks fold right to left. The root of no heads is the hash of the empty string.
 */
export class MerkleAccumulator {
  private readonly peaks: Array<{ height: number; hash: string }> = [];
  private lastSubject: string | null = null;

  /** Adds one head. Throws if subjects do not come in strictly ascending order. */
  add(subjectId: string, headHash: string): void {
    if (this.lastSubject !== null && subjectId <= this.lastSubject) {
      throw new Error(`Merkle leaves out of order: ${subjectId} after ${this.lastSubject}`);
    }
    this.lastSubject = subjectId;
    let node = { height: 0, hash: sha256(`${subjectId}:${headHash}`) };
    while (this.peaks.length > 0 && this.peaks[this.peaks.length - 1]!.height === node.height) {
      const left = this.peaks.pop()!;
      node = { height: node.height + 1, hash: sha256(left.hash + node.hash) };
    }
    this.peaks.push(node);
  }

  /** The root of all heads added so far. */
  root(): string {
    if (this.peaks.length === 0) return sha256('');
    let acc = this.peaks[this.peaks.length - 1]!.hash;
    for (let i = this.peaks.length - 2; i >= 0; i--) acc = sha256(this.peaks[i]!.hash + acc);
    return acc;
  }
}

/** Merkle root of a list of heads (any order). */
export function merkleRoot(heads: ReadonlyArray<{ subjectId: string; hash: string }>): string {
  const acc = new MerkleAccumulator();
  for (const h of [...heads].sort((a, b) => (a.subjectId < b.subjectId ? -1 : 1))) acc.add(h.subjectId, h.hash);
  return acc.root();
}
