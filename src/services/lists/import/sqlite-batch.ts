/**
 * The subscribed file's batches on SQLite: the same decisions as mailchimp-batch.ts (checkRows, planBatch), but
 * the reads and writes run as prepared better-sqlite3 statements, synchronously, inside one SQLite transaction
 * per batch, with no query building per batch. The writes are exactly those of `insertContacts`,
 * `updateContact` and `changePermissions` (services/consent/permission-change.ts, mirrored here for the import's
 * changes): per change one ledger event sealed onto its subject's chain (store/ledger.ts sealEvent), per
 * (contact, purpose) one permission row pointing at its last event. PostgreSQL keeps the Kysely path.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sealEvent } from '../../../store/ledger.js';
import type { ContactUpdate, NewContact } from '../../../store/schema.js';
import { eventOf, permissionFields, type PermissionChange } from '../../consent/permission-change.js';
import type { BatchState } from './batch-store.js';
import { checkRows, planBatch, type SubscribedRow } from './mailchimp-batch.js';
import type { RowScope, Seen } from './mailchimp-rows.js';
import type { LineRefusal } from './refusals.js';

/**
 * The addresses seen in a file, in a temporary table of the connection instead of a Set: a million addresses
 * cost ~70 MB of JavaScript heap (and the garbage collector's time to trace them) but a few MB of SQLite pages.
 * Its rows follow the batch transactions, so use it only where a batch that fails also fails the import (not
 * in a dry run, which rolls every batch back). Create it while holding the Kysely connection.
 */
export function seenTable(db: Database.Database): Seen & { drop(): void } {
  // A name of its own, so that two imports on one connection never share (or drop) each other's table.
  const name = `temp.import_seen_${randomUUID().replaceAll('-', '')}`;
  db.exec(`create table ${name} (address text primary key) without rowid`);
  const add = db.prepare(`insert or ignore into ${name} (address) values (?)`);
  return {
    addNew: (a) => add.run(a).changes === 1,
    drop: () => db.exec(`drop table if exists ${name}`),
  };
}

/**
 * Ids in time order (UUIDv7 layout: 48-bit millisecond timestamp, version 7, then 74 random bits): new rows land
 * at the end of the id indexes instead of at random places, which keeps SQLite's page writes local. Still
 * unguessable; reveals the creation time, which created_at and the ledger's recorded_at hold anyway.
 * Set to `randomUUID` for fully random ids (about 20–25% slower imports; see bench/README.md).
 */
export const newImportId: () => string = () => {
  const ts = Date.now().toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(15)}`;
};

const CONTACT_COLUMNS = [
  'id', 'email', 'first_name', 'last_name', 'kind', 'role_address', 'attributes', 'source_kind', 'source_ref', 'suppression',
  'locale', 'designation_evidence', 'created_at', 'updated_at',
] as const;
const EVENT_COLUMNS = [
  'id', 'subject_id', 'seq', 'prev_hash', 'hash', 'type', 'purpose_id', 'basis', 'occurred_at', 'recorded_at', 'details',
  'personal_digest', 'personal',
] as const;
const PERMISSION_COLUMNS = [
  'id', 'contact_id', 'purpose_id', 'basis', 'status', 'method', 'source_kind', 'given_at', 'confirmed_at', 'withdrawn_at',
  'third_party_evidence', 'evidence_event_id', 'import_id', 'notice_version', 'created_at', 'updated_at',
] as const;

const insertSql = (table: string, cols: readonly string[]) => `insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`;

/** The prepared statements of one database handle. */
class Statements {
  readonly contactByEmail: Database.Statement;
  readonly permissionOf: Database.Statement;
  readonly suppressed: Database.Statement;
  readonly head: Database.Statement;
  readonly insertContact: Database.Statement;
  readonly insertEvent: Database.Statement;
  readonly insertPermission: Database.Statement;
  private readonly updates = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.contactByEmail = db.prepare('select id, first_name, last_name, attributes, suppression from contacts where email = ?');
    this.permissionOf = db.prepare(
      'select id, contact_id, basis, status, method, source_kind, given_at, import_id from permissions where contact_id = ? and purpose_id = ?',
    );
    this.suppressed = db.prepare('select 1 from suppressions where hash = ?').pluck();
    this.head = db.prepare('select seq, hash from consent_events where subject_id = ? order by seq desc limit 1');
    this.insertContact = db.prepare(insertSql('contacts', CONTACT_COLUMNS));
    this.insertEvent = db.prepare(insertSql('consent_events', EVENT_COLUMNS));
    this.insertPermission = db.prepare(insertSql('permissions', PERMISSION_COLUMNS));
  }

  /** `update <table> set <columns of patch> where id = ?`, prepared once per column set. */
  update(table: 'contacts' | 'permissions', patch: Record<string, unknown>, id: string): void {
    const cols = Object.keys(patch);
    const key = `${table}:${cols.join(',')}`;
    let st = this.updates.get(key);
    if (!st) this.updates.set(key, (st = this.db.prepare(`update ${table} set ${cols.map((c) => `${c} = ?`).join(', ')} where id = ?`)));
    st.run(...cols.map((c) => patch[c] ?? null), id);
  }
}

const statements = new WeakMap<Database.Database, Statements>();
const statementsOf = (db: Database.Database) => statements.get(db) ?? (statements.set(db, new Statements(db)), statements.get(db)!);

/** What the database holds for a batch: its contacts by address, their permissions, the suppressed hashes. */
function loadState(st: Statements, keys: Iterable<string>, hashes: Iterable<string>, purposeId: string): BatchState {
  const state: BatchState = { contacts: new Map(), permissions: new Map(), suppressed: new Set() };
  for (const email of keys) {
    if (state.contacts.has(email)) continue;
    const c = st.contactByEmail.get(email) as (BatchState['contacts'] extends Map<string, infer V> ? V : never) | undefined;
    if (!c) continue;
    state.contacts.set(email, c);
    const p = st.permissionOf.get(c.id, purposeId) as (BatchState['permissions'] extends Map<string, infer V> ? V : never) | undefined;
    if (p) state.permissions.set(c.id, p);
  }
  for (const h of hashes) if (st.suppressed.get(h)) state.suppressed.add(h);
  return state;
}

/**
 * Imports one batch of the subscribed file on SQLite. Call it inside a SQLite transaction while holding the
 * Kysely connection (mailchimp.ts); counts go to `s.counts`.
 * @returns the refused rows as `[{ line, code, params, reason }]`, in file order
 * @throws the database error of a failed write (the caller's transaction rolls the batch back)
 */
export function subscribedBatchSqlite(db: Database.Database, s: RowScope, rows: readonly SubscribedRow[]): LineRefusal[] {
  const st = statementsOf(db);
  const { checked, refused } = checkRows(s, rows);
  const state = loadState(st, checked.map((c) => c.key), checked.map((c) => c.hash), s.purposeId);
  const { inserts, updates, changes } = planBatch(s, checked, state, newImportId);
  const created = new Set<string>();
  for (const c of inserts) {
    st.insertContact.run(CONTACT_COLUMNS.map((k) => (c as NewContact)[k] ?? null));
    created.add(c.id);
  }
  for (const u of updates) st.update('contacts', u.patch as ContactUpdate as Record<string, unknown>, u.id);
  writeChanges(st, changes, s.now, created);
  return refused;
}

/**
 * `changePermissions` on prepared statements: the events in order, chained per subject (heads read only for
 * subjects that existed before the batch), then per (contact, purpose) one insert or update with the fields of
 * its changes laid over each other.
 * @param created contacts inserted in this transaction (no events, no permissions yet)
 */
function writeChanges(st: Statements, changes: readonly PermissionChange[], recordedAt: Date, created: ReadonlySet<string>): void {
  if (changes.length === 0) return;
  const now = recordedAt.toISOString();
  const heads = new Map<string, { seq: number; hash: string } | undefined>();
  const eventIds: string[] = [];
  for (const c of changes) {
    const e = eventOf(c);
    let head = heads.get(e.subjectId);
    if (head === undefined && !heads.has(e.subjectId) && !created.has(e.subjectId)) {
      const h = st.head.get(e.subjectId) as { seq: number; hash: string } | undefined;
      head = h ? { seq: Number(h.seq), hash: h.hash } : undefined;
    }
    const row = sealEvent(e, head, now, newImportId()) as Record<string, unknown> & { id: string; seq: number; hash: string };
    st.insertEvent.run(EVENT_COLUMNS.map((k) => row[k] ?? null));
    heads.set(e.subjectId, { seq: row.seq, hash: row.hash });
    eventIds.push(row.id);
  }
  const key = (c: PermissionChange) => `${c.contactId}\u0000${c.purposeId}`;
  const existing = new Map<string, string | null>();
  const inserts = new Map<string, Record<string, unknown>>();
  const updates = new Map<string, Record<string, unknown>>();
  const nowDate = new Date(now);
  changes.forEach((c, i) => {
    const k = key(c);
    if (!existing.has(k)) {
      const p = created.has(c.contactId) ? undefined : (st.permissionOf.get(c.contactId, c.purposeId) as { id: string } | undefined);
      existing.set(k, p?.id ?? null);
    }
    const fields = permissionFields(c, eventIds[i]!, nowDate);
    if (existing.get(k)) updates.set(k, { ...updates.get(k), ...fields });
    else {
      const base = inserts.get(k) ?? {
        id: newImportId(), contact_id: c.contactId, purpose_id: c.purposeId, given_at: null, confirmed_at: null, withdrawn_at: null,
        third_party_evidence: 0, import_id: null, notice_version: null, created_at: now,
      };
      inserts.set(k, { ...base, ...fields });
    }
  });
  for (const [k, patch] of updates) st.update('permissions', patch, existing.get(k)!);
  for (const r of inserts.values()) st.insertPermission.run(PERMISSION_COLUMNS.map((c) => r[c] ?? null));
}
