/**
 * The signed-in person's own account (any role): change the password, sign out everywhere.
 */
import { z } from 'zod';
import { endAllSessions } from '../../../services/admin/sessions.js';
import { changeOwnPassword } from '../../../services/admin/users.js';
import { html } from '../../html.js';
import { errorSummary, field, freshForm, postForm, type FormState } from '../components.js';
import { cookieOptions, redirectWithFlash, SESSION_COOKIE, type AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { adminPage } from '../layout.js';

/** The account page. */
export function accountPage(a: AdminCtx, state: FormState): string {
  return adminPage(
    a,
    a.t('account.title'),
    html`<section class="card narrow"><h2>${a.t('account.password')}</h2>
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/account/password',
  html`${field(a, state, { name: 'current', label: a.t('account.current'), type: 'password', required: true, autocomplete: 'current-password', secret: true })}
${field(a, state, { name: 'password', label: a.t('account.new'), type: 'password', required: true, autocomplete: 'new-password', hint: a.t('account.newHint'), secret: true })}
<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`,
)}</section>
<section class="card narrow"><h2>${a.t('account.everywhere')}</h2>
<p>${a.t('account.everywhereIntro')}</p>
${postForm(a, '/admin/account/sign-out-everywhere', html`<button type="submit" class="secondary">${a.t('account.everywhere')}</button>`)}
</section>`,
  );
}

/** GET /admin/account */
export const accountShow: AdminHandler = async (a) => accountPage(a, freshForm());

/** POST /admin/account/password: the current password, then the new one; every session ends. */
export const accountPassword = formAction({
  schema: z.object({ current: z.string().min(1), password: z.string().min(1) }),
  run: (a, input) => changeOwnPassword(a.deps, a.session!.userId, input.current, input.password),
  done: () => ({ to: '/admin/login', flash: 'account.passwordChanged' }),
  form: (a, state) => accountPage(a, state),
});

/** POST /admin/account/sign-out-everywhere */
export const accountSignOutEverywhere: AdminHandler = async (a, _req, reply) => {
  await endAllSessions(a.deps, a.session!.userId);
  reply.clearCookie(SESSION_COOKIE, cookieOptions(a.deps));
  return redirectWithFlash(a, reply, '/admin/login', 'account.signedOutEverywhere');
};
