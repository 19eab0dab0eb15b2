/**
 * Retention runs (GDPR 5(1)(e) storage limitation, 17(1)(a)–(c); SCENARIOS E6–E8): reads every contact's facts
 * from the store a page at a time, lets the pure planner (core/retention.ts) decide, erases what it says
 * (services/rights/erase.ts) and writes the run to the audit log (ids and counts only). A contact with an open
 * data-subject request is held, listed in `held` with the request, and erased by a later run once it is completed.
 * A dry run plans the same way
 * and erases nothing, so for the same clock both produce the same list. The server calls `runRetention` daily;
 * `consentry retention run [--dry-run]` calls it by hand.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_RETENTION_RULES,
  planRetention,
  retentionRulesSchema,
  type ContactRetentionFacts,
  type PermissionRetentionFacts,
  type RetentionDecision,
  type RetentionRules,
} from '../../core/retention.js';
import type { LawfulBasis, MessageCategory, PermissionStatus, SourceKind } from '../../core/vocab.js';
import type { RequestKind } from '../../core/requests.js';
import { openRequestsAmong } from '../../store/requests.js';
import { insertRetentionRun } from '../../store/retention-log.js';
import { getSetting } from '../../store/settings.js';
import { addressesOf, contactById } from '../../store/contacts.js';
import type { Data } from '../deps.js';
import { scrubOutbox } from '../../mail/outbox.js';
import { compactAfterErasure, eraseInTransaction, type EraseDeps } from './erase.js';
import { invalid } from '../errors.js';

/** The settings key holding the organisation's retention rules (JSON, RetentionRules). */
export const RETENTION_SETTING = 'retention';

/**
 * The rules in force: DEFAULT_RETENTION_RULES (unconfirmed sign-ups after 30 days, withdrawn data at once)
 * overlaid by the 'retention' setting. These are the periods the privacy notice states (GDPR 13(2)(a)).
 * @throws DomainError invalid naming the rule when the stored setting is not valid
 */
export async function retentionRules(deps: Data): Promise<RetentionRules> {
  const stored = (await getSetting<unknown>(deps.db, RETENTION_SETTING)) ?? {};
  const parsed = retentionRulesSchema.safeParse(stored);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw invalid(`retention.${i.path.join('.')}`, `setting retention.${i.path.join('.')}: ${i.message}`);
  }
  return { ...DEFAULT_RETENTION_RULES, ...parsed.data };
}

const date = (s: string | null | undefined) => (s ? new Date(s) : null);
const maxByContact = (rows: ReadonlyArray<{ contact_id: string; t: string | null }>) =>
  new Map(rows.filter((r) => r.t).map((r) => [r.contact_id, new Date(r.t!)]));

/**
 * Loads the retention facts of all contacts in id order, `pageSize` contacts at a time (bounded memory).
 * `since` of a permission: withdrawal time for withdrawn/objected/expired, confirmation (else given, else
 * creation) time for active, given (else creation) time for pending. An employee without any permission row
 * counts as an active employment relationship (GDPR 6(1)(b)), never erased by the planner.
 */
export async function* retentionFactPages(deps: Data, pageSize = 500): AsyncGenerator<ContactRetentionFacts[]> {
  let after = '';
  for (;;) {
    const contacts = await deps.db
      .selectFrom('contacts')
      .select(['id', 'source_kind', 'created_at', 'employee'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (contacts.length === 0) return;
    const ids = contacts.map((c) => c.id);
    const [perms, sent, bought, requests] = await Promise.all([
      deps.db
        .selectFrom('permissions')
        .innerJoin('purposes', 'purposes.id', 'permissions.purpose_id')
        .select(['permissions.contact_id', 'permissions.purpose_id', 'permissions.basis', 'permissions.status', 'permissions.given_at',
          'permissions.confirmed_at', 'permissions.withdrawn_at', 'permissions.created_at', 'permissions.updated_at', 'purposes.category'])
        .where('permissions.contact_id', 'in', ids)
        .execute(),
      deps.db.selectFrom('deliveries').select((eb) => ['contact_id', eb.fn.max('sent_at').as('t')]).where('contact_id', 'in', ids).groupBy('contact_id').execute(),
      deps.db.selectFrom('purchases').select((eb) => ['contact_id', eb.fn.max('purchased_at').as('t')]).where('contact_id', 'in', ids).groupBy('contact_id').execute(),
      openRequestsAmong(deps.db, ids),
    ]);
    const lastSent = maxByContact(sent);
    const lastBought = maxByContact(bought);
    yield contacts.map((c): ContactRetentionFacts => {
      const permissions = perms
        .filter((p) => p.contact_id === c.id)
        .map((p): PermissionRetentionFacts => {
          const status = p.status as PermissionStatus;
          const since =
            status === 'pending' ? date(p.given_at) ?? date(p.created_at)!
            : status === 'active' ? date(p.confirmed_at) ?? date(p.given_at) ?? date(p.created_at)!
            : date(p.withdrawn_at) ?? date(p.updated_at)!;
          return { purposeId: p.purpose_id, basis: p.basis as LawfulBasis, status, category: p.category as MessageCategory, since };
        });
      if (c.employee === 1 && permissions.length === 0)
        permissions.push({ purposeId: '(employment)', basis: 'A6-1-b', status: 'active', category: 'internal', since: new Date(c.created_at) });
      return {
        contactId: c.id,
        sourceKind: c.source_kind as SourceKind,
        createdAt: new Date(c.created_at),
        permissions,
        lastActivityAt: lastSent.get(c.id) ?? null,
        lastPurchaseAt: lastBought.get(c.id) ?? null,
        openRequests: (requests.get(c.id) ?? []).map((r) => ({ kind: r.kind as RequestKind, receivedAt: new Date(r.received_at) })),
      };
    });
    after = ids[ids.length - 1]!;
  }
}

/** One retention run as reported and logged. Ids only, never addresses. */
export interface RetentionRunReport {
  runId: string;
  ranAt: string;
  dryRun: boolean;
  rules: RetentionRules;
  examined: number;
  kept: number;
  /** Contacts erased (or, in a dry run, to erase) per rule; 'no_basis' when no purpose remained at all. */
  counts: Record<string, number>;
  /** The decisions to erase, in contact-id order, with the reason in Dutch and English. */
  erase: RetentionDecision[];
  /** Erasures that are due but held until the contact's open data-subject requests are completed (GDPR 12(3), 18). */
  held: RetentionDecision[];
}

/**
 * Runs retention once (GDPR 5(1)(e), 17(1)(a)–(c); E6–E8) and logs the run.
 * @param opts dryRun: plan and log only; outboxDir: the built-in outbox folder, cleaned of the erased
 *   addresses (omit with SMTP); pageSize: contacts per page (default 500); record: false to leave a dry run out
 *   of the retention log (the admin page's preview, a GET, which changes nothing)
 * @returns the report; `erase` is identical for a dry run and a real run at the same clock
 * @example await runRetention(deps, { dryRun: true, outboxDir: outboxDir(config) })
 */
export async function runRetention(
  deps: EraseDeps,
  opts: { dryRun: boolean; outboxDir?: string | null; pageSize?: number; record?: false },
): Promise<RetentionRunReport> {
  if (opts.record === false && !opts.dryRun) throw new Error('a real retention run is always recorded');
  const now = deps.clock.now();
  const rules = await retentionRules(deps);
  const report: RetentionRunReport = { runId: randomUUID(), ranAt: now.toISOString(), dryRun: opts.dryRun, rules, examined: 0, kept: 0, counts: {}, erase: [], held: [] };
  const addresses: string[] = [];
  for await (const page of retentionFactPages(deps, opts.pageSize)) {
    for (const d of planRetention(page, rules, now)) {
      report.examined++;
      if (d.action === 'keep') {
        report.kept++;
        continue;
      }
      if (d.action === 'hold') {
        report.held.push(d);
        continue;
      }
      const rule = d.rule ?? 'no_basis';
      report.counts[rule] = (report.counts[rule] ?? 0) + 1;
      report.erase.push(d);
      if (opts.dryRun) continue;
      const address = await deps.db.transaction().execute(async (trx) => {
        const contact = await contactById(trx, d.contactId);
        if (!contact) return null;
        await eraseInTransaction(trx, deps.secret, contact, `retention:${rule}`, now);
        return contact.email;
      });
      if (address) addresses.push(address);
    }
  }
  if (!opts.dryRun) {
    if (opts.outboxDir && addresses.length > 0) await scrubOutbox(opts.outboxDir, addresses);
    // Also when nothing was erased now: an earlier erasure's log may have been kept busy by a reader.
    await compactAfterErasure(deps, addresses);
  }
  if (opts.record !== false) await insertRetentionRun(deps.db, {
    id: report.runId,
    ran_at: report.ranAt,
    dry_run: opts.dryRun ? 1 : 0,
    rules: JSON.stringify(rules),
    examined: report.examined,
    kept: report.kept,
    counts: JSON.stringify(report.counts),
    contact_ids: JSON.stringify(report.erase.map((d) => d.contactId)),
  });
  return report;
}

/** A dry run for a page: the report, and the addresses of the first `shown` contacts of each list. */
export interface RetentionPreview {
  report: RetentionRunReport;
  /** Contact id → address, for the contacts a page lists. */
  addresses: Map<string, string>;
}

/**
 * What the next run would erase and who is held, for the admin page (a GET): a dry run that is not logged, with
 * the addresses of the first `shown` contacts of each list so that the privacy officer recognises them.
 */
export async function retentionPreview(deps: EraseDeps, shown: number): Promise<RetentionPreview> {
  const report = await runRetention(deps, { dryRun: true, record: false });
  const ids = [...report.erase.slice(0, shown), ...report.held.slice(0, shown)].map((d) => d.contactId);
  return { report, addresses: await addressesOf(deps.db, ids) };
}
