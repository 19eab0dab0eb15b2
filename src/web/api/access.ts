/**
 * Every JSON API route and the access its API key's role needs, in one table (STYLE.md 11; roles and levels in
 * core/admin/roles.ts). The API plugin refuses to start with a route missing here, and one hook checks the
 * key's role against it: a role below gets 403 and nothing is done. Keys are `"METHOD /path"` as registered
 * under /api/v1. Public routes (`config: { public: true }`, e.g. GET /openapi.json) need no key and no line.
 */
import type { Access } from '../../core/admin/roles.js';

export const API_ACCESS: Readonly<Record<string, Access>> = {
  // Campaigns
  'GET /campaigns': 'read',
  'POST /campaigns': 'edit',
  'GET /campaigns/:id/preview': 'read',
  'GET /campaigns/:id/audience': 'read',
  'POST /campaigns/:id/send': 'edit',
  'POST /campaigns/:id/expire': 'edit',
  'PATCH /campaigns/:id': 'edit',
  'DELETE /campaigns/:id': 'edit',
  'POST /campaigns/:id/duplicate': 'edit',
  'POST /campaigns/:id/test': 'edit',
  'PUT /campaigns/:id/schedule': 'edit',
  'DELETE /campaigns/:id/schedule': 'edit',
  'POST /campaigns/:id/send-new': 'edit',
  'GET /campaigns/:id/stats': 'read',
  'GET /campaigns/:id': 'read',
  'POST /campaigns/:id/pause': 'edit',
  'POST /campaigns/:id/resume': 'edit',
  'POST /campaigns/:id/cancel': 'edit',
  // Decisions (computes; changes nothing)
  'POST /decisions': 'read',
  // Contacts and their facts
  'GET /contacts': 'read',
  'POST /contacts': 'edit',
  'GET /contacts/:id/evidence': 'read',
  'GET /contacts/:id/facts': 'read',
  'PATCH /contacts/:id/facts': 'edit',
  'POST /contacts/:id/purchases': 'edit',
  'PUT /contacts/:id/employee': 'edit',
  'PUT /contacts/:id/designation': 'edit',
  'POST /purposes/:purpose/grants': 'edit',
  'POST /messages/personal': 'edit',
  // Purposes and forms
  'GET /purposes': 'read',
  'POST /purposes': 'edit',
  'GET /purposes/:id': 'read',
  'PUT /purposes/:id': 'edit',
  'POST /purposes/:id/archive': 'edit',
  'GET /forms': 'read',
  'POST /forms': 'edit',
  'GET /forms/:id': 'read',
  'PUT /forms/:id': 'edit',
  // The organisation (identity, processors, transfers feed the privacy notice) and retention
  'GET /organisation': 'read',
  'PUT /organisation': 'owner',
  'PUT /organisation/recipients': 'owner',
  'PUT /organisation/transfers': 'owner',
  'PATCH /settings/retention': 'privacy',
  // Privacy: the notice, data-subject requests, the record of processing, retention runs
  'GET /notice': 'read',
  'PATCH /notice/texts': 'privacy',
  'POST /notice/:version/publish': 'privacy',
  'GET /requests': 'read',
  'POST /requests': 'privacy',
  'GET /requests/:id': 'read',
  'POST /requests/:id/extend': 'privacy',
  'POST /requests/:id/complete': 'privacy',
  'GET /processing-record': 'read',
  'GET /retention/preview': 'read',
  'POST /retention/run': 'privacy',
  // Settings that change decisions
  'GET /settings/decisions': 'read',
  'PATCH /settings/decisions': 'owner',
  // Admin users and API keys (the same services as the users page and `consentry user|apikey`)
  'GET /users': 'owner',
  'POST /users': 'owner',
  'PUT /users/:id/role': 'owner',
  'PUT /users/:id/password': 'owner',
  'DELETE /users/:id/second-factor': 'owner',
  'DELETE /users/:id': 'owner',
  'GET /api-keys': 'owner',
  'POST /api-keys': 'owner',
  'POST /api-keys/:id/revoke': 'owner',
  // Webhooks out: they send contact events to other systems, so only the owner registers them
  'GET /webhooks': 'owner',
  'POST /webhooks': 'owner',
  'DELETE /webhooks/:id': 'owner',
  'GET /webhooks/:id/deliveries': 'owner',
};

/**
 * The access a route needs.
 * @param url the route's URL as registered, with the /api/v1 prefix
 * @returns undefined for a route missing from the table (HEAD routes take their GET's)
 */
export function apiAccess(method: string, url: string): Access | undefined {
  const path = url.replace(/^\/api\/v1/, '');
  return API_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}
