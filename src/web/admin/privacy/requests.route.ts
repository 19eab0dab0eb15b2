/**
 * Handlers of the requests register (access in routes.ts: 'read' to look, 'privacy' to change). Each POST calls
 * one service of services/rights/requests.ts, the same the CLI's `requests` commands use. Paths carry the
 * request's id only, so the action log never holds the data subject's address (a typed address goes in the
 * body, which is not logged).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseDate } from '../../../core/dates.js';
import { addRequest, completeRequest, extendRequest, findRequest, listRequestViews } from '../../../services/rights/requests.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { requestPage, requestsPage } from './requests.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const showAll = (req: FastifyRequest) => (req.query as { all?: string }).all === '1';

const listPage = async (a: AdminCtx, req: FastifyRequest, state: FormState = freshForm({ kind: 'access', channel: 'email' })) =>
  requestsPage(a, await listRequestViews(a.deps, { openOnly: !showAll(req) }), showAll(req), state);

/** GET /admin/privacy/requests[?all=1] */
export const requestsList: AdminHandler = async (a, req) => listPage(a, req);

/** POST /admin/privacy/requests: registers a request; due one month after the day of receipt. */
export const requestAdd = formAction({
  schema: z.object({
    kind: z.string(),
    channel: z.string(),
    receivedAt: z
      .string()
      .trim()
      .refine((s) => parseDate(s) !== 'invalid', 'invalid-date')
      .transform((s) => (parseDate(s) as Date | null) ?? undefined),
    contact: z.string().trim().max(320).default(''),
    requester: z.string().trim().max(500).default(''),
  }),
  run: (a, i) => addRequest(a.deps, { kind: i.kind, channel: i.channel, ...(i.receivedAt ? { receivedAt: i.receivedAt } : {}), contact: i.contact || null, requester: i.requester || null }),
  done: (_a, r) => ({ to: `/admin/privacy/requests/${r.id}`, flash: 'requests.added' }),
  form: (a, state, req) => listPage(a, req, state),
});

const onePage = async (a: AdminCtx, req: FastifyRequest, forms: { extend?: FormState; complete?: FormState } = {}) =>
  requestPage(a, await findRequest(a.deps, idOf(req)), { extend: forms.extend ?? freshForm({ months: '1' }), complete: forms.complete ?? freshForm() });

/** GET /admin/privacy/requests/:id */
export const requestShow: AdminHandler = async (a, req) => onePage(a, req);

/** POST /admin/privacy/requests/:id/extend: by 1 or 2 months, with the reason told to the person (GDPR 12(3)). */
export const requestExtend = formAction({
  schema: z.object({ months: z.enum(['1', '2'], 'invalid-months').transform(Number), reason: z.string().trim().min(1).max(1000) }),
  run: (a, i, req) => extendRequest(a.deps, idOf(req), i.months, i.reason),
  done: (_a, r) => ({ to: `/admin/privacy/requests/${r.id}`, flash: 'requests.extended' }),
  form: (a, state, req) => onePage(a, req, { extend: state }),
});

/** POST /admin/privacy/requests/:id/complete */
export const requestComplete = formAction({
  schema: z.object({ outcome: z.string().trim().max(1000).default('') }),
  run: (a, i, req) => completeRequest(a.deps, idOf(req), i.outcome),
  done: (_a, r) => ({ to: `/admin/privacy/requests/${r.id}`, flash: 'requests.completed' }),
  form: (a, state, req) => onePage(a, req, { complete: state }),
});
