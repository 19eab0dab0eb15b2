/**
 * Shapes the JSON API shares: the error body, the standard error responses, path parameters and the stored rows
 * it returns. Route files describe their body, params, query and responses with zod (the request schemas are the
 * services' own input schemas where a service has one); the same schemas validate the requests and produce
 * `GET /api/v1/openapi.json` (docs/api.md). `.meta({ id })` makes a schema a named component (`$ref`).
 */
import { z } from 'zod';
import { decisionInputSchema, decisionOutputSchema, factsSchema } from '../../core/policy/facts-schema.js';

/** The body of every 4xx answer (and of the 500 "internal error"). */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable code: invalid, unauthorized, not-found, unknown-purpose, already-sent, …'),
      message: z.string().describe('what is wrong, naming the field (English)'),
      field: z.string().optional().describe('the input field at fault, e.g. `subject`, `contacts[0]`, `evidence.namesOrganisation`'),
    }),
  })
  .meta({ id: 'Error', description: '`{ error: { code, message, field? } }`' });

type ErrorStatus = 400 | 403 | 404 | 409 | 410 | 503;

/**
 * A route's responses: its success response(s) plus the error shape for 401 and 403 (every route: no key, a
 * key whose role is below the route's access level) and each status given.
 * @example responses({ 201: campaignSchema }, 400) // → { 201: campaignSchema, 400: Error, 401: Error, 403: Error }
 */
export function responses<S extends Record<number, z.ZodType>>(success: S, ...errors: ErrorStatus[]): S & Record<number, z.ZodType> {
  const out: Record<number, z.ZodType> = { ...success, 401: apiErrorSchema, 403: apiErrorSchema };
  for (const s of errors) out[s] = apiErrorSchema;
  return out as S & Record<number, z.ZodType>;
}

/**
 * A zod issue path as the API names fields: `contacts[0]`, `evidence.namesOrganisation`.
 * @example fieldPath(['facts', 'message', 'category']) // → 'facts.message.category'
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((k, n) => (typeof k === 'number' ? `[${k}]` : `${n ? '.' : ''}${String(k)}`)).join('');
}

/** `:id` of a contact: its id or its e-mail address. */
export const contactParams = z.object({ id: z.string().min(1).describe('contact id or e-mail address') });
/** `:id` of a campaign. */
export const campaignParams = z.object({ id: z.string().min(1).describe('campaign id') });

const time = z.string().describe('ISO 8601 time');
const flag = z.number().int().describe('0 or 1');

/** A contact as stored. Loose: columns added later pass through. */
export const contactSchema = z
  .looseObject({
    id: z.string(),
    email: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    kind: z.string(),
    role_address: flag,
    designated_for_offers: flag,
    designation_evidence: z.string().nullable(),
    employee: flag,
    employee_work_address: flag,
    customer_opted_out: flag,
    lead: flag,
    suppression: z.string().nullable(),
    locale: z.string().nullable(),
    attributes: z.string().describe('JSON object of extra columns from imports'),
    source_kind: z.string(),
    source_ref: z.string().nullable(),
    created_at: time,
    updated_at: time,
  })
  .meta({ id: 'Contact' });

/** A campaign as stored. */
export const campaignSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    purpose_id: z.string(),
    category: z.string(),
    subject: z.string(),
    body: z.string(),
    status: z.string().describe('draft | sending | paused | cancelled | sent'),
    third_party: flag,
    product_category: z.string().nullable(),
    other_legal_entity: flag,
    repermission_deadline: time.nullable(),
    created_at: time,
    started_at: time.nullable(),
    finished_at: time.nullable(),
  })
  .meta({ id: 'Campaign' });

/** A guard's finding on a draft (core/policy/guards.ts `Problem`). */
export const problemSchema = z.object({
  field: z.string(),
  code: z.string(),
  message_en: z.string(),
  message_nl: z.string(),
  source: z.string(),
  severity: z.enum(['error', 'warning']),
});

/** The decision input, facts and output as components (the schemas `consentry decide` validates with). */
export const decisionInput = decisionInputSchema.meta({ id: 'DecisionRequest' });
export const factsOutput = factsSchema.meta({ id: 'Facts' });
export const decisionOutput = decisionOutputSchema.meta({ id: 'Decision' });
