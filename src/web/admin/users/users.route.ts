/**
 * Handlers of the users and API keys pages (owners only; access in routes.ts). Each validates, calls one
 * service (services/admin/users.ts, services/admin/totp.ts, services/organisation/api-keys.ts) and redirects, or shows the form again.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addUser, changeRole, findUser, listUsers, removeUser, setPassword, toAdminUser } from '../../../services/admin/users.js';
import { resetTotp } from '../../../services/admin/totp.js';
import { createApiKey, listKeys, revokeKey } from '../../../services/organisation/api-keys.js';
import { freshForm, type FormState } from '../components.js';
import type { AdminCtx } from '../context.js';
import { confirmedAction, formAction, type AdminHandler } from '../handler.js';
import { newKeyPage, userPage, usersPage } from './users.view.js';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

async function showUsers(a: AdminCtx, forms: { user?: FormState; key?: FormState } = {}): Promise<string> {
  const view = { users: await listUsers(a.deps), keys: await listKeys(a.deps) };
  return usersPage(a, view, { user: forms.user ?? freshForm({ role: 'viewer' }), key: forms.key ?? freshForm({ role: 'viewer' }) });
}

async function showUser(a: AdminCtx, req: FastifyRequest, state: FormState = freshForm()): Promise<string> {
  return userPage(a, toAdminUser(await findUser(a.deps, idOf(req))), state);
}

/** GET /admin/users */
export const usersList: AdminHandler = async (a) => showUsers(a);

/** POST /admin/users: adds a user with a first password. */
export const userAdd = formAction({
  schema: z.object({ email: z.string().trim().min(1), role: z.string(), password: z.string().min(1) }),
  run: (a, input) => addUser(a.deps, input),
  done: () => ({ to: '/admin/users', flash: 'users.added' }),
  form: (a, state) => showUsers(a, { user: state }),
});

/** GET /admin/users/:id */
export const userShow: AdminHandler = async (a, req) => showUser(a, req);

/** POST /admin/users/:id/role */
export const userRole = formAction({
  schema: z.object({ role: z.string() }),
  run: (a, input, req) => changeRole(a.deps, idOf(req), input.role),
  done: (_a, user) => ({ to: `/admin/users/${user.id}`, flash: 'users.roleChanged' }),
  form: (a, state, req) => showUser(a, req, state),
});

/** POST /admin/users/:id/password: an owner sets a new password (the user is signed out everywhere). */
export const userPassword = formAction({
  schema: z.object({ password: z.string().min(1) }),
  run: (a, input, req) => setPassword(a.deps, idOf(req), input.password),
  done: (_a, user) => ({ to: `/admin/users/${user.id}`, flash: 'users.passwordReset' }),
  form: (a, state, req) => showUser(a, req, state),
});

/** GET /admin/users/:id/remove asks, POST does it. */
export const userRemove: AdminHandler = async (a, req, reply) => {
  const user = await findUser(a.deps, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('users.remove'),
    question: (c) => c.t('users.removeQuestion', { email: user.email }),
    cancel: `/admin/users/${user.id}`,
    run: (c) => removeUser(c.deps, user.id),
    done: () => ({ to: '/admin/users', flash: 'users.removed' }),
    form: (c, state) => showUser(c, req, state),
  })(a, req, reply);
};

/** GET /admin/users/:id/totp-reset asks, POST does it: removes the user's second factor (a lost phone). */
export const userTotpReset: AdminHandler = async (a, req, reply) => {
  const user = await findUser(a.deps, idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('totp.reset'),
    question: (c) => c.t('totp.resetQuestion', { email: user.email }),
    cancel: `/admin/users/${user.id}`,
    run: (c) => resetTotp(c.deps, user.id),
    done: () => ({ to: `/admin/users/${user.id}`, flash: 'totp.resetDone' }),
    form: (c, state) => showUser(c, req, state),
  })(a, req, reply);
};

/** POST /admin/api-keys: creates a key and shows it once (in this answer only; it is never stored in the clear). */
export const keyCreate = formAction({
  schema: z.object({ name: z.string().trim().min(1), role: z.string() }),
  run: async (a, input) => ({ name: input.name, key: await createApiKey(a.deps, input.name, input.role) }),
  done: (a, created) => ({ page: newKeyPage(a, created.name, created.key), status: 201 }),
  form: (a, state) => showUsers(a, { key: state }),
});

/** GET /admin/api-keys/:id/revoke asks, POST does it. */
export const keyRevoke: AdminHandler = async (a, req, reply) => {
  const key = (await listKeys(a.deps)).find((k) => k.id === idOf(req));
  return confirmedAction({
    schema: z.object({}),
    title: (c) => c.t('keys.revoke'),
    question: (c) => c.t('keys.revokeQuestion', { name: key?.name ?? idOf(req) }),
    cancel: '/admin/users',
    run: (c) => revokeKey(c.deps, idOf(req)),
    done: () => ({ to: '/admin/users', flash: 'keys.revoked' }),
    form: (c, state) => showUsers(c, { key: state }),
  })(a, req, reply);
};
