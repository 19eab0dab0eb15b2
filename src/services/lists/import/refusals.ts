/**
 * Why an import refused a row, in a form every reader can use: a stable code with its parameters (the field or
 * column, the value found, …) for pages that say it in their own language, and the English sentence the command
 * line prints. The row's file and line travel beside it (`Refusal` in import-run.ts).
 */

/**
 * The refusal codes. Parameters by code (all strings or numbers):
 * - address-invalid {field, value}: the cell is no e-mail address; address-no-person {value}: nobody reads it;
 *   address-not-marketable {field, value}: a quoted local part
 * - not-a-date {field, value}; not-a-time {field, value, example}; date-in-future {field, value};
 *   date-too-early {field, value, year}; confirm-before-optin {field, value, optinField, optin}
 * - opt-out-unknown {field, value}: not ja / alleen in voorwaarden / nee
 * - consent-unknown {field, value}; consent-empty {field}; declined {field, value}
 * - status-unconfirmed {field, value}; status-yes-no {field, value}; status-unknown {field, value}
 * - field-count {count, width}: a CSV line's fields; cell-count {count, width}: a worksheet row's filled cells
 * `field` is an import field (`optin_time`, see columns.ts) or, for a Mailchimp export, its column header.
 */
export const REFUSAL_CODES = [
  'address-invalid',
  'address-no-person',
  'address-not-marketable',
  'not-a-date',
  'not-a-time',
  'date-in-future',
  'date-too-early',
  'confirm-before-optin',
  'opt-out-unknown',
  'consent-unknown',
  'consent-empty',
  'declined',
  'status-unconfirmed',
  'status-yes-no',
  'status-unknown',
  'field-count',
  'cell-count',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A refused row's reason: code and parameters for pages, `reason` in English for the command line. */
export interface RowRefusal {
  code: RefusalCode;
  params: Record<string, string | number>;
  reason: string;
}

/**
 * Builds a refusal.
 * @example refuse('not-a-date', { field: 'optin_time', value: 'gisteren' }, 'opt-in time "gisteren" is not a date')
 */
export const refuse = (code: RefusalCode, params: RowRefusal['params'], reason: string): RowRefusal => ({ code, params, reason });

/** A refusal of the row that starts on `line` of its file. */
export type LineRefusal = RowRefusal & { line: number };
