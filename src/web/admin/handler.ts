/**
 * How an admin route is written. A handler gets the admin context, the request and the reply, and returns the
 * page's HTML (a string) or the reply. Two helpers cover the usual shapes:
 * - `formAction`: POST → validate (zod) → call one service → redirect with a flash message (POST/redirect/GET);
 *   a zod issue or a DomainError shows the same form again with the message next to its field and the typed
 *   values kept (status 400, or the DomainError's status).
 * - `confirmedAction`: the same for dangerous actions, asked first on a page of its own: GET shows "are you
 *   sure?" with a form that posts `confirm=yes`; only that POST acts, then redirects to the result.
 * See docs/admin-app.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, issuesOf, type FieldIssue } from '../../services/errors.js';
import { statusOf } from '../errors.js';
import { confirmStep, type FormState } from './components.js';
import { redirectWithFlash, type AdminCtx } from './context.js';
import { adminPage } from './layout.js';
import { hasAdminText, type AdminTextKey } from './texts.js';

/** An admin route handler: HTML to send (200 unless the reply's status was set), or the reply itself. */
export type AdminHandler = (a: AdminCtx, req: FastifyRequest, reply: FastifyReply) => Promise<string | FastifyReply>;

/** The fields of a urlencoded body as strings (the first of repeated ones), without `_csrf` and `confirm`. */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf' || k === 'confirm') continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** A zod issue's message in the page's language: its message when that is an `error.code.*` code, else by kind. */
function zodMessage(a: AdminCtx, issue: z.core.$ZodIssue): string {
  const byMessage = `error.code.${issue.message}`;
  if (hasAdminText(byMessage)) return a.t(byMessage);
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) <= 1) return a.t('error.code.required');
  if (issue.code === 'too_big') return a.t('error.code.too-long');
  return a.t('error.code.invalid');
}

/** Errors by field from a zod error (the first issue of each field). */
export function zodErrors(a: AdminCtx, error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '_form');
    errors[name] ??= zodMessage(a, issue);
  }
  return errors;
}

/**
 * A DomainError's message in the page's language: the text for its code when there is one (which may quote the
 * service's own message as `{{detail}}`, e.g. a template error's line and column, and the error's `params`), else
 * its own.
 */
export const domainMessage = (a: AdminCtx, err: DomainError | FieldIssue): string => {
  const k = `error.code.${err.code ?? ''}`;
  return hasAdminText(k) ? a.t(k, { detail: err.message, ...err.params }) : err.message;
};

/**
 * A DomainError as the form shows it again: each field's refusal next to that field (every one of them when the
 * service checked all, `invalidFields`), or one message above the form when no field of the form is at fault.
 */
export function domainFormState(a: AdminCtx, err: DomainError, values: Record<string, string>): FormState {
  const errors: Record<string, string> = {};
  for (const issue of issuesOf(err)) {
    if (!(issue.field in values)) continue;
    // An empty field is "fill this in" rather than "too short".
    errors[issue.field] ??= issue.code === 'too-short' && values[issue.field]!.trim() === '' ? a.t('error.code.required') : domainMessage(a, issue);
  }
  return Object.keys(errors).length > 0 ? { values, errors } : { values, errors: {}, formError: domainMessage(a, err) };
}

/**
 * What follows a successful action: a redirect (303) with a message to show there, or — only for what may be
 * shown just once, such as a new API key — a page sent in answer to the POST itself.
 */
export type Done = { to: string; flash?: AdminTextKey } | { page: string; status?: number };

/** A form action as `formAction` runs it. */
export interface FormActionSpec<S extends z.ZodType, R> {
  /** Validates the form's fields (strings); messages may be `error.code.*` codes. */
  schema: S;
  /** Calls one service with the valid input. DomainErrors are shown on the form. */
  run: (a: AdminCtx, input: z.output<S>, req: FastifyRequest) => Promise<R>;
  /** Where to go after success. */
  done: (a: AdminCtx, result: R, input: z.output<S>) => Done;
  /** The page with the form, for showing it again with errors. */
  form: (a: AdminCtx, state: FormState, req: FastifyRequest) => Promise<string> | string;
}

/**
 * POST/redirect/GET with validation and DomainError mapping.
 * @example formAction({ schema: z.object({ email: z.string() }), run: (a, i) => addUser(a.deps, i), done: () => ({ to: '/admin/users', flash: 'users.added' }), form: usersPage })
 */
export function formAction<S extends z.ZodType, R>(spec: FormActionSpec<S, R>): AdminHandler {
  return async (a, req, reply) => {
    const values = formValues(req.body);
    const parsed = spec.schema.safeParse(values);
    if (!parsed.success) {
      reply.code(400);
      return spec.form(a, { values, errors: zodErrors(a, parsed.error) }, req);
    }
    let result: R;
    try {
      result = await spec.run(a, parsed.data, req);
    } catch (err) {
      if (!(err instanceof DomainError) || (!err.field && err.kind !== 'invalid' && err.kind !== 'conflict')) throw err;
      reply.code(statusOf(err.kind));
      return spec.form(a, domainFormState(a, err, values), req);
    }
    const next = spec.done(a, result, parsed.data);
    if ('page' in next) {
      reply.code(next.status ?? 200);
      return next.page;
    }
    return redirectWithFlash(a, reply, next.to, next.flash);
  };
}

/**
 * A dangerous action (remove, revoke, erase), registered for GET and POST on one path (routes.ts). GET is the
 * question: a page of its own (so Back and refresh change nothing) whose form posts the query's fields plus
 * `confirm=yes`. Only that POST runs the action and redirects to the result (POST/redirect/GET). A POST without
 * `confirm=yes` changes nothing and gets the question again (400, so it is not written to the action log).
 * @example get('/contacts/:id/erase', 'privacy', contactErase), post('/contacts/:id/erase', 'privacy', contactErase)
 */
export function confirmedAction<S extends z.ZodType, R>(
  spec: FormActionSpec<S, R> & { question: (a: AdminCtx, input: z.output<S>) => string; title: (a: AdminCtx) => string; cancel: string },
): AdminHandler {
  const act = formAction(spec);
  return async (a, req, reply) => {
    if (req.method === 'POST' && (req.body as Record<string, unknown> | undefined)?.confirm === 'yes') return act(a, req, reply);
    const values = formValues(req.method === 'GET' ? req.query : req.body);
    const parsed = spec.schema.safeParse(values);
    if (!parsed.success) {
      reply.code(400);
      return spec.form(a, { values, errors: zodErrors(a, parsed.error) }, req);
    }
    if (req.method !== 'GET') reply.code(400);
    return adminPage(a, spec.title(a), confirmStep(a, { action: a.path, question: spec.question(a, parsed.data), fields: values, cancel: spec.cancel }));
  };
}
