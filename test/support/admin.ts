/**
 * Admin app tests through `app.inject()`: a store with the organisation set up, the app, and an owner; an
 * `AdminClient` keeps cookies like a browser, signs in, reads the CSRF token from a page's form and posts forms.
 *
 * @example
 *   const h = await adminHarness();
 *   const owner = await h.signIn(OWNER);
 *   const res = await owner.post('/admin/users', { email: 'x@example.nl', role: 'viewer', password: '…' });
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/core/admin/roles.js';
import { addUser } from '../../src/services/admin/users.js';
import { FixedClock, type Deps } from '../../src/services/deps.js';
import { buildApp } from '../../src/web/app.js';
import { OutboxMailer } from '../../src/mail/outbox.js';
import { initialise } from '../../src/services/organisation/setup.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore, type TestStore } from './stores.js';
import { ORG, STATED, TIPS } from './setup.js';

/** The owner every harness starts with. */
export const OWNER = { email: 'eigenaar@deboon.example', password: 'koffie-branden-sinds-1921' };
/** A password that passes the policy, for users tests add. */
export const GOOD_PASSWORD = 'bonen-malen-met-geduld';

export interface AdminHarness {
  app: FastifyInstance;
  deps: Deps;
  clock: FixedClock;
  store: TestStore;
  /** Adds a user with GOOD_PASSWORD (or the given one) and role. */
  addUser(email: string, role: Role, password?: string): Promise<void>;
  /** A client with no cookies yet. */
  client(): AdminClient;
  /** A client signed in as the owner or as the given person. */
  signIn(who?: { email: string; password: string }): Promise<AdminClient>;
  /** A client signed in as a user with this role (`<role>@deboon.example`, created on first use). */
  as(role: Role): Promise<AdminClient>;
  /**
   * Posts the same form as each of the given roles and asserts 403 for every one (with a fresh CSRF token from
   * `csrfFrom`, default the dashboard), so a test then checks that nothing changed.
   */
  assertRefused(roles: readonly Role[], path: string, fields: Record<string, string>, csrfFrom?: string): Promise<void>;
  close(): Promise<void>;
}

/** A cookie-keeping client for one person. */
export interface AdminClient {
  cookies: Map<string, string>;
  get(path: string): Promise<LightMyRequestResponse>;
  /** Posts urlencoded fields; adds the `_csrf` token read from `formPage` (default: the dashboard) unless given. */
  post(path: string, fields?: Record<string, string>, opts?: { csrfFrom?: string; noCsrf?: boolean; ip?: string }): Promise<LightMyRequestResponse>;
  /** The CSRF token of the first form on a page (following redirects). */
  csrf(page?: string): Promise<string>;
}

/** Reads the value of the first `_csrf` hidden field in a page. */
export function csrfIn(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}

function makeClient(app: FastifyInstance): AdminClient {
  const cookies = new Map<string, string>();
  const keep = (res: LightMyRequestResponse) => {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) cookies.delete(c.name);
      else cookies.set(c.name, c.value);
    }
    return res;
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const client: AdminClient = {
    cookies,
    get: async (path) => keep(await app.inject({ method: 'GET', url: path, headers: { cookie: cookieHeader() } })),
    csrf: async (page = '/admin/login') => {
      let res = await client.get(page);
      for (let hops = 0; res.statusCode === 303 && hops < 3; hops++) res = await client.get(res.headers.location as string);
      return csrfIn(res.body);
    },
    post: async (path, fields = {}, opts = {}) => {
      const body = new URLSearchParams(fields);
      if (!opts.noCsrf && !('_csrf' in fields)) body.set('_csrf', await client.csrf(opts.csrfFrom ?? '/admin'));
      return keep(
        await app.inject({
          method: 'POST',
          url: path,
          headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
          payload: body.toString(),
          ...(opts.ip ? { remoteAddress: opts.ip } : {}),
        }),
      );
    },
  };
  return client;
}

/**
 * A fresh app on a SQLite (or the given) store with the organisation set up and the owner OWNER.
 * @param opts.setUp 'none': nothing set up, no owner (a fresh install); 'organisation': `init` ran, no owner yet
 */
export async function adminHarness(opts: { store?: TestStore; baseUrl?: string; setUp?: 'all' | 'organisation' | 'none' } = {}): Promise<AdminHarness> {
  const store = opts.store ?? (await sqliteStore());
  const outbox = mkdtempSync(join(tmpdir(), 'consentry-admin-outbox-'));
  const clock = new FixedClock(new Date('2026-11-30T10:00:00Z'));
  const deps: Deps = {
    db: store.db,
    dialect: store.dialect,
    clock,
    secret: 'admin-test-secret-0123456789abcdef012345',
    mailer: new OutboxMailer(outbox),
    baseUrl: opts.baseUrl ?? 'http://localhost:3000',
    recordIp: true,
  };
  const setUp = opts.setUp ?? 'all';
  if (setUp !== 'none') await initialise(deps, { organisation: ORG, purpose: TIPS, notice: STATED });
  if (setUp === 'all') await addUser(deps, { email: OWNER.email, role: 'owner', password: OWNER.password });
  const app = await buildApp(deps, { mediaDir: mkdtempSync(join(tmpdir(), 'consentry-admin-media-')) });
  const h: AdminHarness = {
    app,
    deps,
    clock,
    store,
    addUser: async (email, role, password = GOOD_PASSWORD) => {
      await addUser(deps, { email, role, password });
    },
    client: () => makeClient(app),
    signIn: async (who = OWNER) => {
      const c = makeClient(app);
      const res = await c.post('/admin/login', { email: who.email, password: who.password }, { csrfFrom: '/admin/login' });
      if (res.statusCode !== 303) throw new Error(`sign-in as ${who.email} failed: ${res.statusCode}`);
      return c;
    },
    as: async (role) => {
      const email = `${role.replace('_', '-')}@deboon.example`;
      if (role === 'owner') return h.signIn();
      if (!(await deps.db.selectFrom('admin_users').select('id').where('email', '=', email).executeTakeFirst())) await h.addUser(email, role);
      return h.signIn({ email, password: GOOD_PASSWORD });
    },
    assertRefused: async (roles, path, fields, csrfFrom) => {
      for (const role of roles) {
        const c = await h.as(role);
        const res = await c.post(path, fields, csrfFrom ? { csrfFrom } : {});
        assert.equal(res.statusCode, 403, `${role} POST ${path}`);
      }
    },
    close: async () => {
      await app.close();
      await store.dispose();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
  return h;
}
