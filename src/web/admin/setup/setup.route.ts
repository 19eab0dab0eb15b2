/**
 * First run in the browser: GET shows the set-up form only for the token `consentry serve` printed and only
 * while no owner exists (else the admin 404 page); POST sets everything up in one service call
 * (services/admin/first-run.ts), signs the new owner in and goes to the dashboard.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { completeSetup, setupState } from '../../../services/admin/first-run.js';
import { notFound } from '../../../services/errors.js';
import { FIRST_PURPOSE_DEFAULTS } from '../../../services/organisation/setup.js';
import { freshForm, type FormState } from '../components.js';
import { cookieOptions, SESSION_COOKIE, type AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { setupPage } from './setup.view.js';

const tokenOf = (req: FastifyRequest) => {
  const t = (req.query as Record<string, unknown>).token;
  return typeof t === 'string' ? t : '';
};

/** The form, or the 404 page (a DomainError not_found) when the link is wrong or an owner exists. */
async function showSetup(a: AdminCtx, req: FastifyRequest, state: FormState): Promise<string> {
  const found = await setupState(a.deps, tokenOf(req));
  if (!found) throw notFound('this set-up link is not (or no longer) valid', 'setup-gone');
  return setupPage(a, { token: tokenOf(req), needsOrganisation: found.needsOrganisation }, state);
}

/** GET /admin/setup?token=… */
export const setupShow: AdminHandler = async (a, req) => showSetup(a, req, freshForm({ ...FIRST_PURPOSE_DEFAULTS }));

const optional = z.string().max(1000).optional();

/** POST /admin/setup?token=…: validates everything, sets up, signs the owner in (a new session cookie). */
export const setupSubmit: AdminHandler = (a, req, reply) =>
  formAction({
  schema: z.object({
    org_name: optional,
    address: optional,
    reply_to: optional,
    from_address: optional,
    kvk: optional,
    purpose_nl: optional,
    purpose_en: optional,
    description_nl: optional,
    description_en: optional,
    frequency_nl: optional,
    frequency_en: optional,
    mail_provider: optional,
    mail_provider_country: optional,
    recipients_none: optional,
    transfers_none: optional,
    // Checked by the service with every other field, so that all errors show at once.
    email: z.string().trim().max(320).default(''),
    password: z.string().max(1024).default(''),
  }),
  run: async (c, input) => {
    const done = await completeSetup(c.deps, tokenOf(req), input);
    reply.setCookie(SESSION_COOKIE, done.token, cookieOptions(c.deps));
    return done;
  },
  done: () => ({ to: '/admin', flash: 'setup.done' }),
  form: (c, state) => showSetup(c, req, state),
  })(a, req, reply);
