/**
 * The sign-in page and its second step (the code).
 */
import { html } from '../../html.js';
import { errorSummary, field, postForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

/**
 * The sign-in form; `next` is where the person goes afterwards, `expired` explains why they are here, `notSetUp`
 * (no owner yet) points to the set-up link the server printed.
 */
export function loginPage(a: AdminCtx, state: FormState, opts: { next: string; expired: boolean; notSetUp?: boolean }): string {
  return adminPage(
    a,
    a.t('login.title'),
    html`<div class="card narrow">
${opts.notSetUp ? html`<p class="warning" role="status">${a.t('setup.loginHint')}</p>` : ''}
${opts.expired ? html`<p class="warning" role="status">${a.t('login.expired')}</p>` : html`<p>${a.t('login.intro')}</p>`}
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/login',
  html`<input type="hidden" name="next" value="${opts.next}">
${field(a, state, { name: 'email', label: a.t('login.email'), type: 'email', required: true, autocomplete: 'username' })}
${field(a, state, { name: 'password', label: a.t('login.password'), type: 'password', required: true, autocomplete: 'current-password', secret: true })}
<div class="actions"><button type="submit">${a.t('login.submit')}</button></div>`,
)}
</div>`,
  );
}

/** The second step of sign-in: a code from the authenticator app, or one of the recovery codes. */
export function secondStepPage(a: AdminCtx, state: FormState, next: string): string {
  return adminPage(
    a,
    a.t('totp.stepTitle'),
    html`<div class="card narrow">
<p>${a.t('totp.stepIntro')}</p>
${errorSummary(a, state)}
${postForm(
  a,
  '/admin/login/code',
  html`<input type="hidden" name="next" value="${next}">
${field(a, state, { name: 'code', label: a.t('totp.code'), required: true, autocomplete: 'one-time-code', hint: a.t('totp.stepHint'), secret: true })}
<div class="actions"><button type="submit">${a.t('totp.stepSubmit')}</button></div>`,
)}
<p><a href="/admin/login">${a.t('totp.stepRestart')}</a></p>
</div>`,
  );
}
