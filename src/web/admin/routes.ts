/**
 * Every admin route, the access it needs and its handler, in one table (STYLE.md 11): who may do what is read
 * here, and a route without an access level does not compile. The check itself is one hook (plugin.ts).
 * Paths are under /admin. Access: 'public' (no sign-in), 'read' (any role), 'edit' (owner, editor), 'privacy'
 * (owner, privacy officer), 'owner' (core/admin/roles.ts). A dangerous action is `...confirmed(path, …)`: its
 * question page (GET) and the action (POST). Every POST is CSRF-checked; GET never changes state;
 * a successful POST by a signed-in person is written to the action log by the plugin (no code in handlers).
 * Add a line per route, grouped by area; see docs/admin-app.md.
 */
import type { Access } from '../../core/admin/roles.js';
import { accountPassword, accountShow, accountSignOutEverywhere, totpDisable, totpEnable, totpSetup } from './account/account.route.js';
import { actionsList } from './actions/actions.route.js';
import { auditRepermission, auditShow } from './audit/audit.route.js';
import { dashboardShow } from './dashboard/dashboard.route.js';
import { login, logout, secondStep, setLanguage, showLogin, showSecondStep } from './auth/auth.route.js';
import {
  campaignCreate, campaignDelete, campaignDuplicate, campaignEdit, campaignNew, campaignPreviewDraft, campaignPreviewHtml, campaignSave, campaignTest, campaignsList,
} from './campaigns/campaigns.route.js';
import type { AdminHandler } from './handler.js';
import { setupShow, setupSubmit } from './setup/setup.route.js';
import { campaignAudience, campaignCancel, campaignPause, campaignResume, campaignSchedule, campaignSend, campaignSendNew, campaignShow, campaignUnschedule } from './campaigns/campaign-detail.route.js';
import { contactAdd, contactErase, contactExport, contactProof, contactRectify, contactShow, contactsList } from './contacts/contacts.route.js';
import { importPreview, importRun, importsList } from './imports/imports.route.js';
import { mediaList, mediaUpload } from './media/media.route.js';
import { formAdd, formSave, formShow, formsList } from './forms/forms.route.js';
import {
  brandingSave,
  decisionsSave,
  organisationSave,
  organisationShow,
  recipientsSave,
  retentionSave,
  timeZoneSave,
  transfersSave,
} from './organisation/organisation.route.js';
import { noticeEdit, noticePublish, noticeSaveDraft, noticeShow, noticeVersionShow } from './privacy/notice.route.js';
import { recordCsv, recordShow, retentionRun, retentionShow } from './privacy/privacy.route.js';
import { requestAdd, requestComplete, requestExtend, requestShow, requestsList } from './privacy/requests.route.js';
import {
  purposeAdd, purposeArchive, purposeItemSave, purposeRestore, purposeSave, purposeShow, purposesList, purposeWelcomePreview, purposeWelcomePreviewHtml,
  purposeWelcomeRemove, purposeWelcomeSave,
} from './purposes/purposes.route.js';
import { webhookAdd, webhookRemove, webhookShow, webhooksList } from './webhooks/webhooks.route.js';
import { keyCreate, keyRevoke, userAdd, userPassword, userRemove, userRole, userShow, usersList, userTotpReset } from './users/users.route.js';

export interface AdminRoute {
  method: 'GET' | 'POST';
  /** Path under /admin ('' is /admin itself). */
  path: string;
  access: Access | 'public';
  handler: AdminHandler;
  /** false for a POST that changes nothing worth logging (signing out, a preview of unsaved text); every other
   * successful POST by a signed-in person goes into the action log. */
  log?: false;
}

const get = (path: string, access: AdminRoute['access'], handler: AdminHandler): AdminRoute => ({ method: 'GET', path, access, handler });
const post = (path: string, access: AdminRoute['access'], handler: AdminHandler, opts: { log?: false } = {}): AdminRoute => ({
  method: 'POST',
  path,
  access,
  handler,
  ...opts,
});

/** A dangerous action (`confirmedAction`): GET asks "are you sure?" and changes nothing; the POST acts. */
const confirmed = (path: string, access: AdminRoute['access'], handler: AdminHandler): AdminRoute[] => [get(path, access, handler), post(path, access, handler)];

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  // Signing in and out, language
  get('/login', 'public', showLogin),
  post('/login', 'public', login),
  get('/login/code', 'public', showSecondStep),
  post('/login/code', 'public', secondStep),
  post('/logout', 'read', logout, { log: false }),
  post('/language', 'public', setLanguage),

  // First run: only with the link `consentry serve` printed, only while no owner exists
  get('/setup', 'public', setupShow),
  post('/setup', 'public', setupSubmit),

  // Dashboard
  get('', 'read', dashboardShow),

  // One campaign: its page, audience preview and what can be done in its status
  get('/campaigns/:id', 'read', campaignShow),
  get('/campaigns/:id/audience', 'read', campaignAudience),
  post('/campaigns/:id/schedule', 'edit', campaignSchedule),
  post('/campaigns/:id/unschedule', 'edit', campaignUnschedule),
  ...confirmed('/campaigns/:id/send', 'edit', campaignSend),
  post('/campaigns/:id/pause', 'edit', campaignPause),
  post('/campaigns/:id/resume', 'edit', campaignResume),
  ...confirmed('/campaigns/:id/cancel', 'edit', campaignCancel),
  ...confirmed('/campaigns/:id/send-new', 'edit', campaignSendNew),

  // Campaigns: the list and writing them (the campaign's own page and its sending are in campaign-detail)
  get('/campaigns', 'read', campaignsList),
  get('/campaigns/new', 'edit', campaignNew),
  post('/campaigns', 'edit', campaignCreate),
  get('/campaigns/:id/edit', 'read', campaignEdit),
  post('/campaigns/:id/edit', 'edit', campaignSave),
  get('/campaigns/:id/preview.html', 'read', campaignPreviewHtml),
  post('/campaigns/:id/preview', 'edit', campaignPreviewDraft, { log: false }),
  post('/campaigns/:id/test', 'edit', campaignTest),
  post('/campaigns/:id/duplicate', 'edit', campaignDuplicate),
  ...confirmed('/campaigns/:id/delete', 'edit', campaignDelete),

  // The signed-in person's own account
  get('/account', 'read', accountShow),
  post('/account/password', 'read', accountPassword),
  post('/account/sign-out-everywhere', 'read', accountSignOutEverywhere),
  get('/account/totp', 'read', totpSetup),
  post('/account/totp', 'read', totpEnable),
  post('/account/totp/off', 'read', totpDisable),

  // Action log
  get('/actions', 'owner', actionsList),

  // Audit
  get('/audit', 'read', auditShow),
  post('/audit/repermission', 'edit', auditRepermission),

  // Contacts
  get('/contacts', 'read', contactsList),
  post('/contacts', 'edit', contactAdd),
  get('/contacts/:id', 'read', contactShow),
  get('/contacts/:id/proof', 'privacy', contactProof),
  get('/contacts/:id/export.json', 'privacy', contactExport('json')),
  get('/contacts/:id/export.csv', 'privacy', contactExport('csv')),
  post('/contacts/:id/rectify', 'privacy', contactRectify),
  ...confirmed('/contacts/:id/erase', 'privacy', contactErase),

  // Imports
  get('/imports', 'read', importsList),
  post('/imports/preview', 'edit', importPreview),
  post('/imports/run', 'edit', importRun),

  // Media: files for mail (images, lead-magnet items), served at /media/<id>/<name>
  get('/media', 'read', mediaList),
  post('/media', 'edit', mediaUpload),

  // Purposes
  get('/purposes', 'read', purposesList),
  post('/purposes', 'edit', purposeAdd),
  get('/purposes/:id', 'read', purposeShow),
  post('/purposes/:id', 'edit', purposeSave),
  ...confirmed('/purposes/:id/archive', 'edit', purposeArchive),
  post('/purposes/:id/restore', 'edit', purposeRestore),
  post('/purposes/:id/item', 'edit', purposeItemSave),
  post('/purposes/:id/welcome/:lang', 'edit', purposeWelcomeSave),
  ...confirmed('/purposes/:id/welcome/:lang/remove', 'edit', purposeWelcomeRemove),
  get('/purposes/:id/welcome/:lang/preview.html', 'read', purposeWelcomePreviewHtml),
  post('/purposes/:id/welcome/:lang/preview', 'edit', purposeWelcomePreview, { log: false }),

  // Forms
  get('/forms', 'read', formsList),
  post('/forms', 'edit', formAdd),
  get('/forms/:id', 'read', formShow),
  post('/forms/:id', 'edit', formSave),

  // Organisation
  get('/organisation', 'read', organisationShow),
  post('/organisation', 'owner', organisationSave),
  post('/organisation/recipients', 'owner', recipientsSave),
  post('/organisation/transfers', 'owner', transfersSave),
  post('/organisation/decisions', 'owner', decisionsSave),
  post('/organisation/retention', 'owner', retentionSave),
  post('/organisation/branding', 'owner', brandingSave),
  post('/organisation/time-zone', 'owner', timeZoneSave),

  // Privacy: the notice, the requests register, the record of processing, retention
  get('/privacy', 'read', noticeShow),
  get('/privacy/notice/edit', 'privacy', noticeEdit),
  post('/privacy/notice', 'privacy', noticeSaveDraft),
  get('/privacy/notice/:version', 'read', noticeVersionShow),
  post('/privacy/notice/:version/publish', 'privacy', noticePublish),
  get('/privacy/requests', 'read', requestsList),
  post('/privacy/requests', 'privacy', requestAdd),
  get('/privacy/requests/:id', 'read', requestShow),
  post('/privacy/requests/:id/extend', 'privacy', requestExtend),
  post('/privacy/requests/:id/complete', 'privacy', requestComplete),
  get('/privacy/record', 'read', recordShow),
  get('/privacy/record.csv', 'read', recordCsv),
  get('/privacy/retention', 'read', retentionShow),
  ...confirmed('/privacy/retention/run', 'privacy', retentionRun),

  // Users and API keys
  get('/users', 'owner', usersList),
  post('/users', 'owner', userAdd),
  get('/users/:id', 'owner', userShow),
  post('/users/:id/role', 'owner', userRole),
  post('/users/:id/password', 'owner', userPassword),
  ...confirmed('/users/:id/remove', 'owner', userRemove),
  ...confirmed('/users/:id/totp-reset', 'owner', userTotpReset),
  post('/api-keys', 'owner', keyCreate),
  ...confirmed('/api-keys/:id/revoke', 'owner', keyRevoke),

  // Webhooks out
  get('/webhooks', 'owner', webhooksList),
  post('/webhooks', 'owner', webhookAdd),
  get('/webhooks/:id', 'owner', webhookShow),
  ...confirmed('/webhooks/:id/remove', 'owner', webhookRemove),
];
