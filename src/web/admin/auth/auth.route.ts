/**
 * Signing in and out, and the language switch. Sign-in opens a new session (a new id: rotation) and ends the
 * one the browser held before; a wrong password and an unknown address get the same answer. With a second factor
 * the password opens a waiting session only, and the code page (/admin/login/code) turns it into an active one.
 */
import { z } from 'zod';
import { isLanguage } from '../../../core/vocab.js';
import { endSessionByToken, signIn } from '../../../services/admin/sessions.js';
import { hasOwner } from '../../../services/admin/users.js';
import { DomainError } from '../../../services/errors.js';
import { completeSecondFactor } from '../../../services/admin/totp.js';
import { freshForm } from '../components.js';
import { cookieOptions, LANG_COOKIE, redirectWithFlash, safeNext, SESSION_COOKIE } from '../context.js';
import { domainMessage, formValues, type AdminHandler } from '../handler.js';
import { loginPage, secondStepPage } from './auth.view.js';

/** GET /admin/login: the form, or straight on when already signed in. */
export const showLogin: AdminHandler = async (a, req, reply) => {
  const q = req.query as Record<string, string | undefined>;
  const next = safeNext(q.next);
  if (a.session?.state === 'active') return reply.redirect(next, 303);
  return loginPage(a, freshForm(), { next, expired: q.expired === '1', notSetUp: !(await hasOwner(a.deps)) });
};

const loginSchema = z.object({ email: z.string().trim().min(1, 'required').max(320), password: z.string().min(1, 'required').max(1024) });

/** POST /admin/login: checks the password, sets the session cookie, goes to `next`. */
export const login: AdminHandler = async (a, req, reply) => {
  const values = formValues(req.body);
  const next = safeNext(values.next);
  const parsed = loginSchema.safeParse(values);
  if (!parsed.success) {
    reply.code(400);
    return loginPage(a, { values, errors: {}, formError: a.t('error.code.sign-in-failed') }, { next, expired: false });
  }
  try {
    const { token, session } = await signIn(a.deps, { ...parsed.data, ip: req.ip, replaces: req.cookies[SESSION_COOKIE] });
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(a.deps));
    return reply.redirect(session.state === 'active' ? next : `/admin/login/code?next=${encodeURIComponent(next)}`, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    reply.code(err.code === 'too-many-attempts' ? 429 : 401);
    return loginPage(a, { values: { email: values.email ?? '' }, errors: {}, formError: domainMessage(a, err) }, { next, expired: false });
  }
};

/** GET /admin/login/code: the second step (a code from the app or a recovery code), only after the password. */
export const showSecondStep: AdminHandler = async (a, req, reply) => {
  const next = safeNext((req.query as Record<string, string | undefined>).next);
  if (a.session?.state !== 'second_factor') return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
  return secondStepPage(a, freshForm(), next);
};

/** POST /admin/login/code: checks the code; the waiting session is replaced by an active one (a new cookie). */
export const secondStep: AdminHandler = async (a, req, reply) => {
  const values = formValues(req.body);
  const next = safeNext(values.next);
  const token = req.cookies[SESSION_COOKIE] ?? '';
  const code = (values.code ?? '').slice(0, 64);
  if (!code.trim()) {
    reply.code(400);
    return secondStepPage(a, { values: {}, errors: { code: a.t('error.code.required') } }, next);
  }
  try {
    const done = await completeSecondFactor(a.deps, { token, code, ip: req.ip });
    reply.setCookie(SESSION_COOKIE, done.token, cookieOptions(a.deps));
    return done.recoveryCodeUsed ? redirectWithFlash(a, reply, next, 'totp.recoveryUsed') : reply.redirect(next, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.code === 'second-factor-expired') return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}&expired=1`, 303);
    reply.code(err.code === 'too-many-attempts' ? 429 : 401);
    return secondStepPage(a, { values: {}, errors: { code: domainMessage(a, err) } }, next);
  }
};

/** POST /admin/logout: ends this session. */
export const logout: AdminHandler = async (a, req, reply) => {
  const token = req.cookies[SESSION_COOKIE];
  if (token) await endSessionByToken(a.deps, token);
  reply.clearCookie(SESSION_COOKIE, cookieOptions(a.deps));
  return redirectWithFlash(a, reply, '/admin/login', 'login.signedOut');
};

/** POST /admin/language: keeps the chosen language in a cookie and goes back to the page. */
export const setLanguage: AdminHandler = async (a, req, reply) => {
  const { lang, back } = formValues(req.body);
  if (isLanguage(lang)) reply.setCookie(LANG_COOKIE, lang, { ...cookieOptions(a.deps), maxAge: 365 * 24 * 3600 });
  return reply.redirect(safeNext(back), 303);
};
