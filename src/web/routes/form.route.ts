/**
 * The hosted sign-up form: GET shows it, POST signs up through `subscribe` (SCENARIOS A1, A6, G1, G3).
 * A refused submission shows the form again (400) with the error next to its field and the input kept.
 * The success page is the same whether or not the address was known before.
 */
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Language } from '../../core/vocab.js';
import type { Deps } from '../../services/deps.js';
import { DomainError, notFound } from '../../services/errors.js';
import { newChallenge } from '../../services/consent/challenge.js';
import { signUp } from '../../services/consent/signup.js';
import type { SignupLimits } from '../../services/consent/signup-limits.js';
import { formPurposes, formTexts } from '../../services/consent/subscribe.js';
import { formAppearanceSchema, type FormAppearance } from '../../services/organisation/forms.js';
import { sendErrorPage } from '../errors.js';
import { formById } from '../../store/forms.js';
import { currentNotice } from '../../store/notices.js';
import { purposeById } from '../../store/purposes.js';
import { pageContext } from '../language.js';
import { t } from '../texts.js';
import { CHALLENGE_FIELD, formPage, HONEYPOT_FIELD, type FormView } from '../views/form.view.js';
import { messagePage } from '../views/message.view.js';

/** Options of the form routes. */
export interface FormRouteOptions {
  deps: Deps;
  /** Sign-up POSTs allowed per IP address per minute. */
  signupsPerMinute: number;
  /** The limits against bots and list bombing. */
  limits: SignupLimits;
}

/** Where the form's proof-of-work solver is served (CSP script-src 'self'). */
export const SOLVER_PATH = '/assets/signup-solver.js';
const SOLVER = readFileSync(new URL('../assets/signup-solver.js', import.meta.url), 'utf8');

/** A text field of a urlencoded body: the first value when repeated, '' when missing. */
export function textField(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** A field that may repeat (checkboxes): all its string values. */
export function listField(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/**
 * Lets the page load the form's logo from its own https origin: that origin is added to `img-src` of the
 * Content-Security-Policy that helmet set for this response (everything else stays as it is).
 */
function allowLogo(reply: FastifyReply, logoUrl: string | undefined): void {
  const csp = reply.getHeader('content-security-policy');
  if (!logoUrl || typeof csp !== 'string') return;
  const origin = new URL(logoUrl).origin;
  reply.header('content-security-policy', csp.split(';').map((d) => (d.trim().startsWith('img-src ') ? `${d} ${origin}` : d)).join(';'));
}

/** A form's stored appearance as the service checked it (https only); anything unreadable counts as none. */
function appearanceOf(stored: string): FormAppearance {
  try {
    return formAppearanceSchema.safeParse(JSON.parse(stored)).data ?? {};
  } catch {
    return {};
  }
}

/** Loads what the form page shows. @throws DomainError not_found (no form) or unavailable (no notice) */
async function loadForm(deps: Deps, formId: string, lang: Language): Promise<Omit<FormView, 'values' | 'error'> & { leadMagnet: boolean; appearance: FormAppearance }> {
  const form = await formById(deps.db, formId);
  if (!form) throw notFound(`there is no form "${formId}"`, 'unknown-form');
  const notice = await currentNotice(deps.db);
  if (!notice) throw new DomainError('unavailable', 'no privacy notice is published', undefined, 'no-notice');
  const texts = formTexts(form, lang);
  const choices = [];
  for (const id of formPurposes(form)) {
    const purpose = await purposeById(deps.db, id);
    const label = texts.labels[id] ?? (purpose ? (lang === 'nl' ? purpose.name_nl : purpose.name_en) : id);
    const frequency = purpose ? (lang === 'nl' ? purpose.frequency_nl : purpose.frequency_en) : null;
    choices.push({ id, label, frequency: frequency && !label.includes(frequency) ? frequency : null });
  }
  const item = form.lead_magnet_purpose_id ? await purposeById(deps.db, form.lead_magnet_purpose_id) : undefined;
  return {
    formId: form.id,
    title: texts.title,
    intro: texts.intro,
    choices,
    item: item ? (lang === 'nl' ? item.name_nl : item.name_en) : null,
    doubleOptIn: form.double_opt_in === 1,
    noticeVersion: notice.version,
    challenge: await newChallenge(deps, form.id),
    leadMagnet: !!form.lead_magnet_purpose_id,
    appearance: appearanceOf(form.appearance),
  };
}

/** GET and POST /f/:formId, and the solver script. */
export const formRoutes: FastifyPluginAsync<FormRouteOptions> = async (app, { deps, signupsPerMinute, limits }) => {
  app.get(SOLVER_PATH, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(SOLVER),
  );

  app.get<{ Params: { formId: string } }>('/f/:formId', async (req, reply) => {
    const base = await pageContext(deps, req);
    const view = await loadForm(deps, req.params.formId, base.lang);
    const ctx = { ...base, appearance: view.appearance };
    allowLogo(reply, view.appearance.logoUrl);
    const page = formPage(ctx, { ...view, values: { email: '', firstName: '', purposes: [] } });
    // Each view carries its own challenge: never serve one from a cache.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  });

  app.post<{ Params: { formId: string } }>(
    '/f/:formId',
    { config: { rateLimit: { max: signupsPerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const base = await pageContext(deps, req);
      const view = await loadForm(deps, req.params.formId, base.lang);
      const ctx = { ...base, appearance: view.appearance };
      allowLogo(reply, view.appearance.logoUrl);
      const values = {
        email: textField(req.body, 'email').trim(),
        firstName: textField(req.body, 'firstName'),
        purposes: listField(req.body, 'purposes'),
      };
      let outcome;
      try {
        outcome = await signUp(
          deps,
          {
            formId: view.formId,
            email: values.email,
            firstName: values.firstName,
            purposes: values.purposes,
            language: ctx.lang,
            ip: req.ip ?? null,
            userAgent: req.headers['user-agent'] ?? null,
            honeypot: textField(req.body, HONEYPOT_FIELD),
            challenge: textField(req.body, CHALLENGE_FIELD),
          },
          limits,
        );
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind !== 'invalid' || !err.field) throw err;
        const page = formPage(ctx, { ...view, values, error: { field: err.field, code: err.code ?? 'other' } });
        return reply.code(400).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
      }
      if (outcome.kind === 'limited') return sendErrorPage(deps, req, reply.header('retry-after', '3600'), 429, 'signup-limited');
      if (outcome.kind === 'busy') return sendErrorPage(deps, req, reply.header('retry-after', '3600'), 503, 'signup-busy');
      // Accepted or taken for a bot: the same page, so a bot learns nothing and an address's state is not revealed.
      // A form with its own thank-you page (https, as the forms service stored it) sends people there instead.
      if (view.appearance.thankYouUrl) return reply.redirect(view.appearance.thankYouUrl, 303);
      const lang = ctx.lang;
      const paragraphs = view.doubleOptIn
        ? [t(lang, 'subscribed.pending'), t(lang, 'subscribed.pendingHint')]
        : [t(lang, 'subscribed.active')];
      if (view.leadMagnet) paragraphs.push(t(lang, 'subscribed.leadMagnet'));
      const title = t(lang, view.doubleOptIn ? 'subscribed.title' : 'subscribed.activeTitle');
      return reply.type('text/html; charset=utf-8').send(messagePage(ctx, { title, tone: 'success', paragraphs }));
    },
  );
};
