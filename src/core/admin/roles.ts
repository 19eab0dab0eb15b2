/**
 * Who may do what in the admin app and the JSON API: four roles (issue 9) and four levels of access that routes
 * ask for. The route tables (web/admin/routes.ts, web/api/access.ts) name an access level per route; one hook
 * checks it with `mayAccess`. Pure: no I/O.
 */

/**
 * Roles of admin users and API keys.
 * - owner: everything, including users, API keys, settings and the action log
 * - editor: campaigns, contacts, imports, forms, purposes
 * - privacy_officer: data-subject requests, proof, erasure, the privacy notice, retention
 * - viewer: reads only
 */
export const ROLES = ['owner', 'editor', 'privacy_officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (x: unknown): x is Role => typeof x === 'string' && (ROLES as readonly string[]).includes(x);

/**
 * What a route needs.
 * - read: any signed-in role (every GET page)
 * - edit: changing campaigns, contacts, imports, forms, purposes (owner, editor)
 * - privacy: requests, proof, erasure, notice, retention (owner, privacy officer)
 * - owner: users, API keys, organisation settings, the action log
 */
export const ACCESS_LEVELS = ['read', 'edit', 'privacy', 'owner'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

const ALLOWED: Record<Access, readonly Role[]> = {
  read: ROLES,
  edit: ['owner', 'editor'],
  privacy: ['owner', 'privacy_officer'],
  owner: ['owner'],
};

/**
 * Whether a role may use a route that needs `access`.
 * @example mayAccess('editor', 'privacy') // false
 */
export const mayAccess = (role: Role, access: Access): boolean => ALLOWED[access].includes(role);
