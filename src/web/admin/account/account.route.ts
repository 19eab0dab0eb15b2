/**
 * The signed-in person's own account (any role): change the password, the second factor (TOTP with recovery
 * codes: turn on with a first code, turn off with the password), sign out everywhere.
 */
import { z } from 'zod';
import { endAllSessions } from '../../../services/admin/sessions.js';
import { disableTotp, enableTotp, newTotpSecret, recoveryCodesLeft, totpUri } from '../../../services/admin/totp.js';
import { changeOwnPassword, findUser } from '../../../services/admin/users.js';
import { html } from '../../html.js';
import { errorSummary, field, freshForm, postForm, type FormState } from '../components.js';
import { cookieOptions, redirectWithFlash, SESSION_COOKIE, type AdminCtx } from '../context.js';
import { formAction, type AdminHandler } from '../handler.js';
import { adminPage } from '../layout.js';

/** What the account page shows about the second factor. */
export interface AccountView {
  secondFactor: boolean;
  /** Unused recovery codes left. */
  codesLeft: number;
}

async function accountView(a: AdminCtx): Promise<AccountView> {
  const user = await findUser(a.deps, a.session!.userId);
  return { secondFactor: user.totp_secret !== null, codesLeft: await recoveryCodesLeft(a.deps, user.id) };
}

/** The account page; `state` is the password form's, `totpState` the form that turns the second factor off. */
export function accountPage(a: AdminCtx, view: AccountView, state: FormState, totpState: FormState = freshForm()): string {
  const totp = view.secondFactor
    ? html`<p>${a.t('totp.isOn')} ${a.t('totp.codesLeft', { n: String(view.codesLeft) })}</p>
${errorSummary(a, totpState)}
${postForm(
  a,
  '/admin/account/totp/off',
  html`${field(a, totpState, { name: 'off_password', label: a.t('totp.offPassword'), type: 'password', required: true, autocomplete: 'current-password', secret: true })}
<div class="actions"><button type="submit" class="secondary">${a.t('totp.turnOff')}</button></div>`,
  { id: 'totp-off' },
)}`
    : html`<p>${a.t('totp.isOff')}</p>
<p><a class="button" href="/admin/account/totp">${a.t('totp.turnOn')}</a></p>`;
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
<section class="card narrow" id="second-factor"><h2>${a.t('totp.title')}</h2>
${totp}
</section>
<section class="card narrow"><h2>${a.t('account.everywhere')}</h2>
<p>${a.t('account.everywhereIntro')}</p>
${postForm(a, '/admin/account/sign-out-everywhere', html`<button type="submit" class="secondary">${a.t('account.everywhere')}</button>`)}
</section>`,
  );
}

/** GET /admin/account */
export const accountShow: AdminHandler = async (a) => accountPage(a, await accountView(a), freshForm());

/** POST /admin/account/password: the current password, then the new one; every session ends. */
export const accountPassword = formAction({
  schema: z.object({ current: z.string().min(1), password: z.string().min(1) }),
  run: (a, input) => changeOwnPassword(a.deps, a.session!.userId, input.current, input.password),
  done: () => ({ to: '/admin/login', flash: 'account.passwordChanged' }),
  form: async (a, state) => accountPage(a, await accountView(a), state),
});

/** The page that turns the second factor on: a new secret as text and as an otpauth:// link, and the first code. */
export function totpSetupPage(a: AdminCtx, secret: { secret: string; uri: string }, state: FormState): string {
  return adminPage(
    a,
    a.t('totp.setupTitle'),
    html`<section class="card narrow">
<ol>
<li>${a.t('totp.setupStep1')}</li>
<li>${a.t('totp.setupStep2')}<br><code id="totp-secret">${secret.secret.replace(/(.{4})(?!$)/g, '$1 ')}</code>
<br><span class="hint">${a.t('totp.setupLink')}</span> <a href="${secret.uri}"><code id="totp-uri">${secret.uri}</code></a></li>
<li>${a.t('totp.setupStep3')}</li>
</ol>
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/account/totp',
  html`<input type="hidden" name="secret" value="${secret.secret}">
${field(a, state, { name: 'code', label: a.t('totp.firstCode'), required: true, autocomplete: 'one-time-code', secret: true })}
<div class="actions"><button type="submit">${a.t('totp.turnOn')}</button> <a href="/admin/account">${a.t('common.cancel')}</a></div>`,
)}
</section>`,
  );
}

/** The recovery codes, shown once, right after the second factor was turned on. */
export function recoveryCodesPage(a: AdminCtx, codes: readonly string[]): string {
  return adminPage(
    a,
    a.t('totp.onTitle'),
    html`<section class="card narrow">
<p class="warning" role="status">${a.t('totp.codesOnce')}</p>
<ol id="recovery-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ol>
<p><a href="/admin/account">${a.t('totp.toAccount')}</a></p>
</section>`,
  );
}

/** GET /admin/account/totp: a new secret each time (nothing is stored until the first code is right). */
export const totpSetup: AdminHandler = async (a, _req, reply) => {
  if ((await accountView(a)).secondFactor) return redirectWithFlash(a, reply, '/admin/account', 'totp.alreadyOn');
  return totpSetupPage(a, newTotpSecret(a.session!.email), freshForm());
};

/** POST /admin/account/totp: the secret and the first code; answers with the recovery codes, shown this once. */
export const totpEnable = formAction({
  schema: z.object({ secret: z.string().max(64), code: z.string().trim().min(1).max(64) }),
  run: (a, input) => enableTotp(a.deps, a.session!.userId, input),
  done: (a, codes) => ({ page: recoveryCodesPage(a, codes) }),
  form: (a, state) => {
    const secret = /^[A-Z2-7]{32}$/.test(state.values.secret ?? '') ? state.values.secret! : newTotpSecret(a.session!.email).secret;
    return totpSetupPage(a, { secret, uri: totpUri(a.session!.email, secret) }, state);
  },
});

/** POST /admin/account/totp/off: the password, then the second factor and the recovery codes are gone. */
export const totpDisable = formAction({
  schema: z.object({ off_password: z.string().min(1).max(1024) }),
  run: (a, input) => disableTotp(a.deps, a.session!.userId, input.off_password, 'off_password'),
  done: () => ({ to: '/admin/account', flash: 'totp.turnedOff' }),
  form: async (a, state) => accountPage(a, await accountView(a), freshForm(), state),
});

/** POST /admin/account/sign-out-everywhere */
export const accountSignOutEverywhere: AdminHandler = async (a, _req, reply) => {
  await endAllSessions(a.deps, a.session!.userId);
  reply.clearCookie(SESSION_COOKIE, cookieOptions(a.deps));
  return redirectWithFlash(a, reply, '/admin/login', 'account.signedOutEverywhere');
};
