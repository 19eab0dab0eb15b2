/**
 * The users and API keys pages (owners): the lists, the forms to add a user and create a key, one user's page
 * (role, password, removal) and the page that shows a new key once.
 */
import { ROLES } from '../../../core/admin/roles.js';
import type { AdminUser } from '../../../services/admin/users.js';
import type { ApiKeyInfo } from '../../../services/organisation/api-keys.js';
import { html } from '../../html.js';
import { askButton, errorSummary, field, type FormState, postForm, selectField, table, when } from '../components.js';
import type { AdminCtx } from '../context.js';
import { adminPage } from '../layout.js';

const roleOptions = (a: AdminCtx) => ROLES.map((r) => ({ value: r, label: a.t(`role.${r}`) }));

/** What the users page shows. */
export interface UsersView {
  users: AdminUser[];
  keys: ApiKeyInfo[];
}

/**
 * The list of users and keys with the two "add" forms.
 * @param forms the state of the add-user form and the create-key form (errors after a refused POST)
 */
export function usersPage(a: AdminCtx, view: UsersView, forms: { user: FormState; key: FormState }): string {
  const users = table(
    a,
    [{ label: a.t('users.email') }, { label: a.t('users.role') }, { label: a.t('users.secondFactor') }, { label: a.t('users.created') }, { label: '' }],
    view.users.map((u) => [
      u.email,
      a.t(`role.${u.role}`),
      u.secondFactor ? a.t('common.yes') : a.t('common.no'),
      when(a, u.createdAt),
      html`<a href="/admin/users/${u.id}">${a.t('users.edit')}</a>`,
    ]),
  );
  const keys = table(
    a,
    [{ label: a.t('keys.name') }, { label: a.t('keys.role') }, { label: a.t('keys.created') }, { label: a.t('keys.state') }, { label: '' }],
    view.keys.map((k) => [
      k.name,
      a.t(`role.${k.role}`),
      when(a, k.createdAt),
      k.revokedAt ? a.t('keys.revokedAt', { when: when(a, k.revokedAt) }) : a.t('keys.active'),
      k.revokedAt
        ? ''
        : askButton(`/admin/api-keys/${k.id}/revoke`, a.t('keys.revoke'), 'secondary'),
    ]),
  );
  return adminPage(
    a,
    a.t('users.title'),
    html`<h2>${a.t('users.users')}</h2>
${users}
<section class="card narrow" aria-labelledby="add-user">
<h2 id="add-user">${a.t('users.add')}</h2>
${errorSummary(a, forms.user)}
${postForm(
  a,
  '/admin/users',
  html`${field(a, forms.user, { name: 'email', label: a.t('users.email'), type: 'email', required: true, autocomplete: 'off' })}
${selectField(a, forms.user, { name: 'role', label: a.t('users.role'), options: roleOptions(a), hint: a.t('users.roles') })}
${field(a, forms.user, { name: 'password', label: a.t('users.password'), type: 'password', required: true, autocomplete: 'new-password', hint: a.t('users.passwordHint'), secret: true })}
<div class="actions"><button type="submit">${a.t('users.addSubmit')}</button></div>`,
)}
</section>
<h2>${a.t('keys.title')}</h2>
<p class="muted">${a.t('keys.intro')}</p>
${keys}
<section class="card narrow" aria-labelledby="add-key">
<h2 id="add-key">${a.t('keys.add')}</h2>
${errorSummary(a, forms.key)}
${postForm(
  a,
  '/admin/api-keys',
  html`${field(a, forms.key, { name: 'name', label: a.t('keys.name'), required: true, hint: a.t('keys.nameHint') })}
${selectField(a, forms.key, { name: 'role', label: a.t('keys.role'), options: roleOptions(a) })}
<div class="actions"><button type="submit">${a.t('keys.addSubmit')}</button></div>`,
)}
</section>`,
  );
}

/** One user's page: change the role, set a new password, remove the second factor (when on), remove. */
export function userPage(a: AdminCtx, user: AdminUser, state: FormState): string {
  const roleState = { ...state, values: { role: user.role, ...state.values } };
  return adminPage(
    a,
    a.t('users.editTitle', { email: user.email }),
    html`${errorSummary(a, state)}
<section class="card narrow"><h2>${a.t('users.changeRole')}</h2>
${postForm(
  a,
  `/admin/users/${user.id}/role`,
  html`${selectField(a, roleState, { name: 'role', label: a.t('users.role'), options: roleOptions(a), hint: a.t('users.roles') })}
<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`,
)}</section>
<section class="card narrow"><h2>${a.t('users.resetPassword')}</h2>
${postForm(
  a,
  `/admin/users/${user.id}/password`,
  html`${field(a, state, { name: 'password', label: a.t('users.newPassword'), type: 'password', required: true, autocomplete: 'new-password', hint: a.t('users.passwordHint'), secret: true })}
<div class="actions"><button type="submit">${a.t('common.save')}</button></div>`,
)}</section>
${user.secondFactor
  ? html`<section class="card narrow"><h2>${a.t('totp.reset')}</h2>
<p>${a.t('totp.resetIntro')}</p>
${askButton(`/admin/users/${user.id}/totp-reset`, a.t('totp.reset'), 'secondary')}
</section>`
  : ''}
<section class="card narrow"><h2>${a.t('users.remove')}</h2>
${askButton(`/admin/users/${user.id}/remove`, a.t('users.remove'))}
</section>
<p><a href="/admin/users">${a.t('keys.toList')}</a></p>`,
  );
}

/** The page that shows a new key, once. */
export function newKeyPage(a: AdminCtx, name: string, key: string): string {
  return adminPage(
    a,
    a.t('keys.createdTitle'),
    html`<div class="card">
<p class="warning" role="status">${a.t('keys.shownOnce')}</p>
<p><strong>${name}</strong></p>
<p><code id="new-key">${key}</code></p>
<p><a href="/admin/users">${a.t('keys.toList')}</a></p>
</div>`,
  );
}
