/**
 * The register of data-subject requests (GDPR 12(3), 15–22; 5(2) accountability): requests received by letter,
 * phone or mail are entered by the operator, those made on the "manage my data" page are entered by it. Each
 * has a due date one month after receipt, an extension of up to two further months with its reason, a state
 * (open, due soon, extended, overdue, done) and a completion date. Deadline arithmetic is core/requests.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  completeRequest as completeCore,
  extend,
  isRequestKind,
  REQUEST_ARTICLES,
  requestDueDate,
  requestState,
  type DataSubjectRequest,
  type RequestKind,
  type RequestState,
} from '../../core/requests.js';
import { normaliseAddress } from '../../core/address.js';
import { contactByEmail, contactById } from '../../store/contacts.js';
import { insertRequest, listRequests, requestById, updateRequest, type RequestRow } from '../../store/requests.js';
import type { Data, Deps } from '../deps.js';
import { invalid, notFound } from '../errors.js';

export const REQUEST_CHANNELS = ['letter', 'phone', 'email', 'web', 'other'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export const isRequestChannel = (x: unknown): x is RequestChannel =>
  typeof x === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(x);

type RegisterDeps = Data & Pick<Deps, 'clock'>;

/** One request as the CLI, the page and the data export show it. Times are ISO-8601 UTC. */
export interface RequestView {
  id: string;
  kind: RequestKind;
  /** The GDPR article of the right, e.g. 'GDPR 15'. */
  article: string;
  channel: string;
  contactId: string | null;
  requester: string | null;
  receivedAt: string;
  dueAt: string;
  extensionMonths: number;
  extensionReasons: string[];
  completedAt: string | null;
  outcome: string | null;
  /** At the clock's time: done, overdue, due_soon (≤ 7 days), extended or open. */
  state: RequestState;
}

const toCore = (r: RequestRow): DataSubjectRequest => ({
  id: r.id,
  kind: r.kind as RequestKind,
  receivedAt: new Date(r.received_at),
  extensionMonths: r.extension_months as 0 | 1 | 2,
  extensionReasons: JSON.parse(r.extension_reasons) as string[],
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
});

function view(r: RequestRow, now: Date): RequestView {
  const core = toCore(r);
  return {
    id: r.id,
    kind: core.kind,
    article: REQUEST_ARTICLES[core.kind],
    channel: r.channel,
    contactId: r.contact_id,
    requester: r.requester,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    extensionMonths: core.extensionMonths,
    extensionReasons: [...core.extensionReasons],
    completedAt: r.completed_at,
    outcome: r.outcome,
    state: requestState(core, now),
  };
}

const URGENCY: Record<RequestState, number> = { overdue: 0, due_soon: 1, extended: 2, open: 3, done: 4 };

export interface NewRequestInput {
  kind: string;
  channel: string;
  /** When it reached the organisation (default: now); the month runs from here. */
  receivedAt?: Date;
  /** Who asked, in the operator's words (cleared when that person is erased). */
  requester?: string | null;
  /** The contact it concerns: its address or its id (optional; someone Consentry holds nothing on may ask too). */
  contact?: string | null;
}

/**
 * Registers a request (GDPR 12(3)): due one month after receipt (Regulation 1182/71 art. 3(2)(c)).
 * @throws DomainError invalid naming 'kind', 'channel', 'receivedAt', or 'contact' (code unknown-contact) when no
 *   contact has that address or id
 * @example await addRequest(deps, { kind: 'access', channel: 'letter', receivedAt: new Date('2026-01-31') })
 */
export async function addRequest(deps: RegisterDeps, input: NewRequestInput): Promise<RequestView> {
  if (!isRequestKind(input.kind)) throw invalid('kind', `kind must be one of access, portability, rectification, erasure, restriction, objection; got "${input.kind}"`, 'invalid-request-kind');
  if (!isRequestChannel(input.channel)) throw invalid('channel', `channel must be one of ${REQUEST_CHANNELS.join(', ')}; got "${input.channel}"`, 'invalid-channel');
  const now = deps.clock.now();
  const received = input.receivedAt ?? now;
  if (Number.isNaN(received.getTime())) throw invalid('receivedAt', 'receivedAt is not a valid date', 'invalid-date');
  if (received.getTime() > now.getTime()) throw invalid('receivedAt', 'receivedAt lies in the future', 'date-in-future');
  const contactId = await resolveContact(deps, input.contact);
  const core: DataSubjectRequest = { id: randomUUID(), kind: input.kind, receivedAt: received, extensionMonths: 0, extensionReasons: [], completedAt: null };
  const row: RequestRow = {
    id: core.id,
    contact_id: contactId,
    kind: core.kind,
    channel: input.channel,
    requester: input.requester?.trim() || null,
    received_at: received.toISOString(),
    due_at: requestDueDate(core).toISOString(),
    extension_months: 0,
    extension_reasons: '[]',
    completed_at: null,
    outcome: null,
    created_at: now.toISOString(),
  };
  await insertRequest(deps.db, row);
  return view(row, now);
}

/** The id of the contact with this address or id; null for none given. */
async function resolveContact(deps: Data, who: string | null | undefined): Promise<string | null> {
  const v = who?.trim();
  if (!v) return null;
  const address = normaliseAddress(v);
  const contact = address.ok ? await contactByEmail(deps.db, address.value.address) : await contactById(deps.db, v);
  // The message does not repeat what was typed: it may be an address, and error messages reach logs.
  if (!contact) throw invalid('contact', 'no contact has this address or id', 'unknown-contact');
  return contact.id;
}

async function load(deps: RegisterDeps, id: string): Promise<RequestRow> {
  const row = await requestById(deps.db, id);
  if (!row) throw notFound(`no request "${id}"`, 'unknown-request');
  return row;
}

/**
 * Extends a request's deadline by 1 or 2 months in total at most (GDPR 12(3), second sentence); only within the
 * first month, and with the reason told to the person.
 * @throws DomainError invalid (field 'months' or 'reason') when core/requests.ts `extend` refuses, with the code
 *   reason-required, extension-too-long (over two months in total), extension-too-late (after the first month)
 *   or request-done
 */
export async function extendRequest(deps: RegisterDeps, id: string, months: number, reason: string): Promise<RequestView> {
  const row = await load(deps, id);
  const now = deps.clock.now();
  if (months !== 1 && months !== 2) throw invalid('months', `an extension is 1 or 2 months, got ${months}`, 'invalid-months');
  let next: DataSubjectRequest;
  try {
    next = extend(toCore(row), months, reason, now);
  } catch (e) {
    const m = (e as Error).message;
    const code = /reason/.test(m) ? 'reason-required' : /in total/.test(m) ? 'extension-too-long' : /within one month/.test(m) ? 'extension-too-late' : /done/.test(m) ? 'request-done' : undefined;
    throw invalid(code === 'reason-required' ? 'reason' : 'months', m, code);
  }
  const patch = {
    extension_months: next.extensionMonths,
    extension_reasons: JSON.stringify(next.extensionReasons),
    due_at: requestDueDate(next).toISOString(),
  };
  await updateRequest(deps.db, id, patch);
  return view({ ...row, ...patch }, now);
}

/**
 * Marks a request answered at the clock's time.
 * @throws DomainError conflict when it was completed already
 */
export async function completeRequest(deps: RegisterDeps, id: string, outcome?: string): Promise<RequestView> {
  const row = await load(deps, id);
  if (row.completed_at) throw invalid('id', `request "${id}" was completed on ${row.completed_at}`, 'request-done');
  const now = deps.clock.now();
  const done = completeCore(toCore(row), now);
  const patch = { completed_at: done.completedAt!.toISOString(), outcome: outcome?.trim() || null };
  await updateRequest(deps.db, id, patch);
  return view({ ...row, ...patch }, now);
}

/**
 * One request as shown on its own page.
 * @throws DomainError not_found (code unknown-request)
 */
export async function findRequest(deps: RegisterDeps, id: string): Promise<RequestView> {
  return view(await load(deps, id), deps.clock.now());
}

/**
 * The register, most urgent first (overdue, due soon, extended, open, done), then by due date.
 * @param opts openOnly: leave out answered requests; contactId: one person's requests (art. 15 export)
 */
export async function listRequestViews(deps: RegisterDeps, opts: { openOnly?: boolean; contactId?: string } = {}): Promise<RequestView[]> {
  const now = deps.clock.now();
  const rows = await listRequests(deps.db, opts);
  return rows.map((r) => view(r, now)).sort((a, b) => URGENCY[a.state] - URGENCY[b.state] || (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
}

/** One warning line per overdue or nearly due request, for the top of `consentry requests list`. */
export function deadlineWarnings(views: readonly RequestView[]): string[] {
  return views
    .filter((v) => v.state === 'overdue' || v.state === 'due_soon')
    .map((v) => `${v.state === 'overdue' ? 'OVERDUE' : 'DUE SOON'}: ${v.kind} request ${v.id} (${v.article}) received ${v.receivedAt.slice(0, 10)}, due ${v.dueAt.slice(0, 10)}`);
}
