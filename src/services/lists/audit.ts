/**
 * The list audit (issue 4 point 6; SCENARIOS B6, F1, F3): the legal state of the whole list per purpose, read a
 * page at a time so memory stays bounded on any list size. Every contact is judged by the one send gate
 * (`decide`) for a purpose-marketing message of the purpose (a service message for a service purpose, judged by
 * the relationship: `serviceVerdict`) and put in exactly one group:
 *  - mailable: allowed, counted per allowing reason code and lawful basis;
 *  - opted out: blocked first by a suppression, objection, withdrawal or customer opt-out (GDPR 7(3), 21(3));
 *  - pending: signed up, confirmation outstanding;
 *  - blocked, documented (F1), see `REPERMISSION_RULE`: blocked, yet the gate would allow one re-permission
 *    request (documented earlier consent). "Needs re-permission" is this group plus the imported consents whose
 *    proof is incomplete (`weakProof`), which stay counted in mailable (the gate allows them): a subset, not a group;
 *  - no provable basis (B1, B3–B6): blocked with a permission row for the purpose and no re-permission route;
 *  - no permission: no row for the purpose at all (on the list for another purpose).
 * Plus the suppression list per reason and what retention would erase now (core/retention.ts `planRetention`
 * with the rules in force, by default DEFAULT_RETENTION_RULES). Reading only: the audit changes nothing.
 */
import { decide } from '../../core/policy/decide.js';
import type { ReasonCode } from '../../core/policy/reasons.js';
import { planRetention, type RetentionRules } from '../../core/retention.js';
import { audiencePages, type AudienceMember } from '../../store/audience.js';
import { unfinishedImports } from '../../store/dashboard.js';
import { listPurposes, purposeById } from '../../store/purposes.js';
import type { CampaignRow, PurposeRow } from '../../store/schema.js';
import { getDecisionSettings, getOrganisation } from '../../store/settings.js';
import type { Clock, Data } from '../deps.js';
import { notFound } from '../errors.js';
import { memberFacts } from '../consent/facts.js';
import { retentionFactPages, retentionRules } from '../rights/retention.js';

/** The documented rule for "needs re-permission" (docs/evidence-format.md and the audit report repeat it). */
export const REPERMISSION_RULE =
  'Needs re-permission (F1): (1) blocked for marketing, but the earlier consent for this purpose is documented ' +
  '(an opt-in time, a confirmation, third-party evidence naming us, or an evidence document for the whole import) ' +
  'so the gate allows exactly one re-permission request; or (2) mailable on imported consent (method "import") ' +
  'whose proof lacks a confirmation time (no double opt-in shown) or the opt-in IP address: lawful on the record, ' +
  'but ask again before relying on it further (GDPR 7(1): the controller must prove consent).';

/** Opt-out reasons: the person's own choice (or a bounce/complaint) blocks first. */
const OPTED_OUT: ReadonlySet<ReasonCode> = new Set(['SUPPRESSED', 'OBJECTED', 'CONSENT_WITHDRAWN', 'CUSTOMER_OPTED_OUT']);

/** A count with its break-down per reason code. */
export interface Tally {
  count: number;
  byReason: Record<string, number>;
}

/** The legal state of one purpose's list. Groups are disjoint; `weakProof` is a subset of `mailable`. */
export interface PurposeAudit {
  purposeId: string;
  name: { nl: string; en: string };
  category: string;
  /** Contacts examined (every stored contact). */
  contacts: number;
  mailable: Tally & { byBasis: Record<string, number> };
  optedOut: Tally;
  pending: Tally;
  needsRepermission: {
    /** blockedDocumented + weakProof */
    count: number;
    /** Blocked, but one re-permission request is allowed (per the marketing block's first reason). */
    blockedDocumented: Tally;
    /** Mailable on imported consent with proof gaps, per gap (a contact may have both gaps). */
    weakProof: { count: number; byGap: Record<'no_confirmation_time' | 'no_optin_ip', number> };
  };
  noProvableBasis: Tally;
  /** Contacts without any permission row for this purpose that the gate blocks. */
  noPermission: number;
}

export interface AuditReport {
  generatedAt: string;
  organisation: string | null;
  contacts: number;
  purposes: PurposeAudit[];
  /** The suppression list (keyed hashes), with or without a contact row. */
  suppressionList: { total: number; byReason: Record<string, number> };
  /** What a retention run now would erase (nothing is erased by the audit). */
  retention: { rules: RetentionRules; examined: number; keep: number; erase: number; byRule: Record<string, number> };
  repermissionRule: string;
  /** Imports that started but did not finish (interrupted): part of their file is in, the rest is not. */
  unfinishedImports: Array<{ id: string; format: string; purposeId: string; startedAt: string }>;
}

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};
const tally = (): Tally => ({ count: 0, byReason: {} });
const add = (t: Tally, code: string) => {
  t.count++;
  bump(t.byReason, code);
};

/** A stand-in campaign row: the message the audit asks the gate about. */
function auditMessage(p: PurposeRow, category: 'purpose_marketing' | 'repermission' | 'service', now: Date): CampaignRow {
  return {
    id: '(audit)', name: '(audit)', purpose_id: p.id, category, subject: '', body: '', status: 'draft', third_party: 0,
    product_category: null, other_legal_entity: 0, repermission_deadline: null, created_at: now.toISOString(),
    started_at: null, finished_at: null, format: 'text', language: 'nl', translation_of: null, scheduled_at: null, paused_reason: null, paused_at: null, last_relay_error: null, last_relay_error_at: null,
  };
}

/** Proof gaps of an imported consent (rule part 2); [] when not an imported consent. */
function proofGaps(m: AudienceMember, personal: Map<string, Record<string, unknown>>): Array<'no_confirmation_time' | 'no_optin_ip'> {
  const p = m.permission;
  if (!p || p.method !== 'import' || p.basis !== 'A6-1-a') return [];
  const gaps: Array<'no_confirmation_time' | 'no_optin_ip'> = [];
  if (!p.confirmed_at) gaps.push('no_confirmation_time');
  const details = personal.get(p.evidence_event_id);
  if (!details || (!details.optinIp && !details.ip)) gaps.push('no_optin_ip');
  return gaps;
}

/** The personal details of the evidence events of a page's imported permissions, by event id. */
async function evidencePersonal(deps: Data, page: readonly AudienceMember[]): Promise<Map<string, Record<string, unknown>>> {
  const ids = page.filter((m) => m.permission?.method === 'import').map((m) => m.permission!.evidence_event_id);
  if (ids.length === 0) return new Map();
  const rows = await deps.db.selectFrom('consent_events').select(['id', 'personal']).where('id', 'in', ids).execute();
  return new Map(rows.filter((r) => r.personal).map((r) => [r.id, JSON.parse(r.personal!) as Record<string, unknown>]));
}

/**
 * Audits one purpose, streaming its audience.
 * @returns the purpose's groups (see the module comment)
 */
export async function auditPurpose(deps: Data, purpose: PurposeRow, now: Date, pageSize = 1000): Promise<PurposeAudit> {
  const a: PurposeAudit = {
    purposeId: purpose.id,
    name: { nl: purpose.name_nl, en: purpose.name_en },
    category: purpose.category,
    contacts: 0,
    mailable: { ...tally(), byBasis: {} },
    optedOut: tally(),
    pending: tally(),
    needsRepermission: { count: 0, blockedDocumented: tally(), weakProof: { count: 0, byGap: { no_confirmation_time: 0, no_optin_ip: 0 } } },
    noProvableBasis: tally(),
    noPermission: 0,
  };
  for await (const page of judgedPages(deps, purpose, now, pageSize)) {
    for (const { verdict: v } of page) {
      a.contacts++;
      if (v.kind === 'mailable') {
        add(a.mailable, v.top);
        bump(a.mailable.byBasis, v.basis);
        if (v.gaps.length > 0) {
          a.needsRepermission.weakProof.count++;
          for (const g of v.gaps) a.needsRepermission.weakProof.byGap[g]++;
        }
      } else if (v.kind === 'opted_out') add(a.optedOut, v.top);
      else if (v.kind === 'no_permission') a.noPermission++;
      else if (v.kind === 'pending') add(a.pending, v.top);
      else if (v.kind === 'blocked_documented') add(a.needsRepermission.blockedDocumented, v.top);
      else add(a.noProvableBasis, v.top);
    }
  }
  a.needsRepermission.count = a.needsRepermission.blockedDocumented.count + a.needsRepermission.weakProof.count;
  return a;
}

/** How the audit judges one contact for a purpose (see the module comment). */
type Verdict =
  | { kind: 'mailable'; top: ReasonCode; basis: string; gaps: Array<'no_confirmation_time' | 'no_optin_ip'> }
  | { kind: 'opted_out' | 'pending' | 'blocked_documented' | 'no_provable_basis' | 'no_permission'; top: ReasonCode };

/**
 * The verdict for a service purpose (an e-book on request, order mail): judged by the relationship, as the gate
 * judges a service message (GDPR 6(1)(b)): an active permission for the purpose or purchases make it mailable;
 * otherwise a pending request waits, a withdrawal or objection is an opt-out, and anything else has no basis
 * (NO_SERVICE_RELATIONSHIP). Re-permission does not apply: a service purpose rests on no consent.
 */
function serviceVerdict(m: AudienceMember, settings: Awaited<ReturnType<typeof getDecisionSettings>>, message: CampaignRow, now: Date): Verdict {
  const d = decide(memberFacts(m, message, settings), now);
  if (d.allowed) return { kind: 'mailable', top: d.reasons[0]!.code, basis: d.basis, gaps: [] };
  switch (m.permission?.status) {
    case undefined:
      return { kind: 'no_permission', top: d.reasons[0]!.code };
    case 'pending':
      return { kind: 'pending', top: 'CONSENT_PENDING' };
    case 'withdrawn':
      return { kind: 'opted_out', top: 'CONSENT_WITHDRAWN' };
    case 'objected':
      return { kind: 'opted_out', top: 'OBJECTED' };
    default:
      return { kind: 'no_provable_basis', top: d.reasons[0]!.code };
  }
}

/**
 * The purpose's audience in contact-id order, each contact with the audit's verdict, a page at a time.
 * @param after start after this contact id ('' for the start)
 */
async function* judgedPages(
  deps: Data, purpose: PurposeRow, now: Date, pageSize: number, after = '', ids?: readonly string[],
): AsyncGenerator<Array<{ contactId: string; verdict: Verdict; customer: boolean }>> {
  const settings = await getDecisionSettings(deps.db);
  const service = purpose.category === 'service' ? auditMessage(purpose, 'service', now) : null;
  const marketing = auditMessage(purpose, 'purpose_marketing', now);
  const reperm = auditMessage(purpose, 'repermission', now);
  // '(audit)' is no campaign, so every re-permission request already sent counts (F1: one request only).
  for await (const page of audiencePages(deps.db, purpose.id, { pageSize, repermissionCampaignId: '(audit)', after, ...(ids && { ids }) })) {
    const personal = await evidencePersonal(deps, page);
    yield page.map((m) => {
      if (service) return { contactId: m.contact.id, verdict: serviceVerdict(m, settings, service, now), customer: m.purchases.length > 0 };
      const d = decide(memberFacts(m, marketing, settings), now);
      const top = d.reasons[0]!.code;
      let verdict: Verdict;
      if (d.allowed) verdict = { kind: 'mailable', top, basis: d.basis, gaps: proofGaps(m, personal) };
      else if (OPTED_OUT.has(top)) verdict = { kind: 'opted_out', top };
      else if (!m.permission) verdict = { kind: 'no_permission', top };
      else if (top === 'CONSENT_PENDING') verdict = { kind: 'pending', top };
      else if (decide(memberFacts(m, reperm, settings), now).allowed) verdict = { kind: 'blocked_documented', top };
      else verdict = { kind: 'no_provable_basis', top };
      return { contactId: m.contact.id, verdict, customer: m.purchases.length > 0 };
    });
  }
}

/**
 * What to do about contacts the gate blocks: respect their opt-out; wait for their confirmation; send the one
 * re-permission request (Controle, /admin/audit); import customers into a customer-marketing purpose (Tw 11.7(3));
 * follow up one-to-one and ask consent there (trade-fair cards, leads); or ask consent with own evidence.
 */
export type BlockedAction = 'respect_opt_out' | 'await_confirmation' | 'repermission' | 'customer_purpose' | 'one_to_one' | 'ask_consent';

/** Whether some contacts may be mailed for a purpose now: per the gate's first blocking reason and what to do. */
export interface Mailability {
  purposeId: string;
  /** Contacts judged (each once). */
  judged: number;
  mailable: number;
  /** Grouped by the gate's first reason and the action, largest first; the explanation is REASONS[code]. */
  blocked: Array<{ code: ReasonCode; action: BlockedAction; count: number }>;
}

/** No contact judged yet. */
export const emptyMailability = (purposeId: string): Mailability => ({ purposeId, judged: 0, mailable: 0, blocked: [] });

const ONE_TO_ONE: ReadonlySet<ReasonCode> = new Set(['TRADE_FAIR_NO_CONSENT', 'LEAD_NO_CONSENT', 'ONE_TO_ONE_ONLY']);

function blockedAction(v: Exclude<Verdict, { kind: 'mailable' }>, customer: boolean, category: string): BlockedAction {
  if (v.kind === 'opted_out') return 'respect_opt_out';
  if (v.kind === 'pending') return 'await_confirmation';
  if (v.kind === 'blocked_documented') return 'repermission';
  if (customer && category !== 'customer_marketing') return 'customer_purpose';
  if (ONE_TO_ONE.has(v.top)) return 'one_to_one';
  return 'ask_consent';
}

/**
 * Judges given contacts (e.g. one import's) for a purpose-marketing message of the purpose with the audit's own
 * verdict (the send gate `decide`), read a page of ids at a time.
 * @param ids contact ids; duplicates are judged once, unknown ids skipped
 * @param into counts to add to (a long import judges batch by batch); a new tally when left out
 * @returns `into` with these contacts added
 */
export async function judgeContacts(deps: Data, purpose: PurposeRow, ids: readonly string[], now: Date, into?: Mailability): Promise<Mailability> {
  const m = into ?? emptyMailability(purpose.id);
  if (ids.length === 0) return m;
  for await (const page of judgedPages(deps, purpose, now, 1000, '', ids)) {
    for (const { verdict: v, customer } of page) {
      m.judged++;
      if (v.kind === 'mailable') {
        m.mailable++;
        continue;
      }
      const code = v.top;
      const action = blockedAction(v, customer, purpose.category);
      const row = m.blocked.find((b) => b.code === code && b.action === action);
      if (row) row.count++;
      else m.blocked.push({ code, action, count: 1 });
    }
  }
  m.blocked.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return m;
}

/**
 * The audit's groups as the contacts list filters by them: the six disjoint groups (`blocked_documented` is the
 * blocked part of "needs re-permission"), plus two that overlap them: `weak_proof` (a subset of `mailable`) and
 * `needs_repermission` (blocked documented + weak proof: the audience of a re-permission campaign).
 */
export const AUDIT_GROUPS = ['mailable', 'weak_proof', 'blocked_documented', 'needs_repermission', 'pending', 'opted_out', 'no_provable_basis', 'no_permission'] as const;
export type AuditGroup = (typeof AUDIT_GROUPS)[number];

const inGroup = (v: Verdict, g: AuditGroup): boolean => {
  const weak = v.kind === 'mailable' && v.gaps.length > 0;
  if (g === 'weak_proof') return weak;
  if (g === 'needs_repermission') return weak || v.kind === 'blocked_documented';
  return v.kind === g;
};

/**
 * One page of the contacts the audit puts in `group` for a purpose, in contact-id order, judged exactly as
 * `auditPurpose` counts them (the same verdict). Reads the audience from `after` until the page is full, so a
 * rare group on a large list reads up to the whole list (the cost of one purpose's audit).
 * @returns the contact ids and the cursor (a contact id) for the next page, null on the last
 * @throws DomainError not_found when the purpose does not exist
 */
export async function auditGroupPage(
  deps: Data & { clock: Clock },
  purposeId: string,
  group: AuditGroup,
  opts: { after?: string; limit: number },
): Promise<{ ids: string[]; next: string | null }> {
  const purpose = await purposeById(deps.db, purposeId);
  if (!purpose) throw notFound(`there is no purpose "${purposeId}"`, 'unknown-purpose');
  const ids: string[] = [];
  for await (const page of judgedPages(deps, purpose, deps.clock.now(), 1000, opts.after ?? '')) {
    for (const { contactId, verdict } of page) {
      if (!inGroup(verdict, group)) continue;
      if (ids.length === opts.limit) return { ids, next: ids[ids.length - 1]! };
      ids.push(contactId);
    }
  }
  return { ids, next: null };
}

/** Counts of the suppression list per reason. */
async function suppressionCounts(deps: Data): Promise<AuditReport['suppressionList']> {
  const rows = await deps.db
    .selectFrom('suppressions')
    .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('reason')
    .orderBy('reason')
    .execute();
  const byReason = Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
  return { total: rows.reduce((s, r) => s + Number(r.n), 0), byReason };
}

/** What retention would erase now, per rule ('no_basis' when no purpose remains), planned page by page. */
async function retentionPreview(deps: Data, now: Date): Promise<AuditReport['retention']> {
  const rules = await retentionRules(deps);
  const r: AuditReport['retention'] = { rules, examined: 0, keep: 0, erase: 0, byRule: {} };
  for await (const page of retentionFactPages(deps)) {
    for (const d of planRetention(page, rules, now)) {
      r.examined++;
      if (d.action === 'keep') r.keep++;
      else {
        r.erase++;
        bump(r.byRule, d.rule ?? 'no_basis');
      }
    }
  }
  return r;
}

/**
 * Audits the whole list: every purpose (or one), the suppression list and the retention preview.
 * @param opts purposeId: audit only this purpose; pageSize: contacts per page (default 1000)
 * @returns the report (JSON-ready; render with web/views/audit.view.ts or the CLI's text form)
 * @throws DomainError not_found when `purposeId` names no purpose
 * @example const report = await auditList({ ...deps, clock }, { purposeId: 'tips' });
 *   report.purposes[0].mailable.byReason // { CONSENT_IMPORTED: 1014, … }
 */
export async function auditList(deps: Data & { clock: Clock }, opts: { purposeId?: string; pageSize?: number } = {}): Promise<AuditReport> {
  const now = deps.clock.now();
  let purposes: PurposeRow[];
  if (opts.purposeId) {
    const p = await purposeById(deps.db, opts.purposeId);
    if (!p) throw notFound(`there is no purpose "${opts.purposeId}"`, 'unknown-purpose');
    purposes = [p];
  } else purposes = await listPurposes(deps.db);
  const audits: PurposeAudit[] = [];
  for (const p of purposes) audits.push(await auditPurpose(deps, p, now, opts.pageSize));
  const contacts = await deps.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const org = await getOrganisation(deps.db);
  return {
    generatedAt: now.toISOString(),
    organisation: org?.name ?? null,
    contacts: Number(contacts.n),
    purposes: audits,
    suppressionList: await suppressionCounts(deps),
    retention: await retentionPreview(deps, now),
    repermissionRule: REPERMISSION_RULE,
    unfinishedImports: await unfinishedImports(deps.db),
  };
}
