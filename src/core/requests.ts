/**
 * Data-subject requests (GDPR art. 15–22) and their time limits (GDPR 12(3)): the controller answers without
 * undue delay and at the latest one month after receipt; that may be extended by two further months where
 * necessary, taking into account the complexity and number of requests, if the data subject is told of the
 * extension and its reasons within the first month. Periods are computed per Regulation (EEC, Euratom)
 * 1182/71 art. 3(2)(c): a period in months ends on the day of the last month that has the same number as the
 * day of receipt, or on that month's last day when it has no such day.
 *
 * Pure: every time is an argument. Dates are computed on the UTC calendar; the time of day is kept.
 */

export const REQUEST_KINDS = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const isRequestKind = (x: unknown): x is RequestKind =>
  typeof x === 'string' && (REQUEST_KINDS as readonly string[]).includes(x);

/** The GDPR article that grants each right. */
export const REQUEST_ARTICLES: Record<RequestKind, string> = {
  access: 'GDPR 15',
  portability: 'GDPR 20',
  rectification: 'GDPR 16',
  erasure: 'GDPR 17',
  restriction: 'GDPR 18',
  objection: 'GDPR 21',
};

export type RequestState = 'open' | 'due_soon' | 'overdue' | 'done' | 'extended';

/** One data-subject request. Immutable: `extend` and `completeRequest` return a new object. */
export interface DataSubjectRequest {
  readonly id: string;
  readonly kind: RequestKind;
  /** When the request reached the controller (any channel). */
  readonly receivedAt: Date;
  /** Further months granted under GDPR 12(3), 0–2 in total. */
  readonly extensionMonths: 0 | 1 | 2;
  /** One reason per extension, as told to the data subject. */
  readonly extensionReasons: readonly string[];
  /** When the answer was given, or null while open. */
  readonly completedAt: Date | null;
}

/** Days before the due date from which an open request counts as `due_soon`. */
export const DUE_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Adds whole calendar months per Regulation 1182/71 art. 3(2)(c): the same day number in the target month,
 * or the last day of that month when it has no such day; the time of day (UTC) is kept.
 * @param from the start date
 * @param months whole months, may be negative
 * @returns a new Date
 * @throws RangeError when `months` is not an integer or `from` is an invalid date
 * @example addMonths(new Date('2025-01-31T10:00:00Z'), 1) // 2025-02-28T10:00:00Z
 */
export function addMonths(from: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError(`months must be a whole number, got ${months}`);
  if (Number.isNaN(from.getTime())) throw new RangeError('invalid date');
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(y, m, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()),
  );
}

/**
 * The statutory deadline of a request received at `received`: one month later (GDPR 12(3), computed per
 * Regulation 1182/71 art. 3(2)(c)).
 * @param received when the request was received
 * @returns the due moment (same time of day)
 * @throws RangeError for an invalid date
 * @example dueDate(new Date('2024-01-31T09:00:00Z')) // 2024-02-29T09:00:00Z (leap year)
 */
export function dueDate(received: Date): Date {
  return addMonths(received, 1);
}

/**
 * Opens a request.
 * @param id the request id
 * @param kind one of REQUEST_KINDS (GDPR 15–18, 20, 21)
 * @param receivedAt when it was received; the one-month period (GDPR 12(3)) runs from here
 * @throws RangeError for an unknown kind or an invalid date
 */
export function openRequest(id: string, kind: RequestKind, receivedAt: Date): DataSubjectRequest {
  if (!isRequestKind(kind)) throw new RangeError(`unknown request kind: ${String(kind)}`);
  if (Number.isNaN(receivedAt.getTime())) throw new RangeError('receivedAt is not a valid date');
  return { id, kind, receivedAt, extensionMonths: 0, extensionReasons: [], completedAt: null };
}

/**
 * The current deadline of a request: receipt plus one month plus any extension, counted from the day of
 * receipt (so 31 January + 3 months = 30 April, not 28 April). GDPR 12(3).
 */
export function requestDueDate(request: DataSubjectRequest): Date {
  return addMonths(request.receivedAt, 1 + request.extensionMonths);
}

/**
 * Extends the deadline by one or two further months (GDPR 12(3), second sentence).
 * @param request the request
 * @param months 1 or 2; at most two further months in total
 * @param reason why (complexity, number of requests), as told to the data subject; required
 * @param now optional; when given, an extension after the first month has passed is refused, because the data
 *   subject must be told within one month of receipt
 * @returns a new request with `extensionMonths` raised and the reason appended
 * @throws RangeError for a blank reason, for months outside 1–2, when the total would exceed two months, when
 *   the request is already done, or (with `now`) after the first month
 * @example extend(openRequest('r1', 'access', received), 2, 'many requests this month')
 */
export function extend(request: DataSubjectRequest, months: 1 | 2, reason: string, now?: Date): DataSubjectRequest {
  if (months !== 1 && months !== 2) throw new RangeError(`an extension is 1 or 2 months, got ${String(months)}`);
  if (typeof reason !== 'string' || reason.trim().length === 0)
    throw new RangeError('an extension needs a reason to tell the data subject (GDPR 12(3))');
  if (request.completedAt) throw new RangeError('the request is already done');
  const total = request.extensionMonths + months;
  if (total > 2)
    throw new RangeError(
      `GDPR 12(3) allows two further months in total; ${request.extensionMonths} already granted`,
    );
  if (now && now.getTime() > dueDate(request.receivedAt).getTime())
    throw new RangeError('an extension must be told to the data subject within one month of receipt (GDPR 12(3))');
  return {
    ...request,
    extensionMonths: total as 1 | 2,
    extensionReasons: [...request.extensionReasons, reason.trim()],
  };
}

/**
 * Marks a request as answered.
 * @throws RangeError when `at` is before receipt
 */
export function completeRequest(request: DataSubjectRequest, at: Date): DataSubjectRequest {
  if (at.getTime() < request.receivedAt.getTime()) throw new RangeError('completion before receipt');
  return { ...request, completedAt: at };
}

/**
 * The state of a request at `now`, most urgent first: `done` (answered), `overdue` (past the current due
 * date), `due_soon` (due within DUE_SOON_DAYS = 7 days, inclusive), `extended` (deadline extended, not yet due
 * soon), else `open`. GDPR 12(3).
 */
export function requestState(request: DataSubjectRequest, now: Date): RequestState {
  if (request.completedAt) return 'done';
  const left = requestDueDate(request).getTime() - now.getTime();
  if (left < 0) return 'overdue';
  if (left <= DUE_SOON_DAYS * DAY_MS) return 'due_soon';
  return request.extensionMonths > 0 ? 'extended' : 'open';
}
