/**
 * What an action log entry did, in words: the stored action (an admin route pattern such as
 * 'POST /admin/users/:id/role', an API route such as 'PUT /api/v1/purposes/:id', or a command such as
 * 'cli user add') mapped to one text key of actions.texts.ts. The admin app and the API share keys where they do
 * the same thing. An action without words (a route newer than this table) is shown by its code.
 */
import type { AdminTextKey } from '../texts.js';

type Doing = AdminTextKey & `actions.do.${string}`;

const ADMIN: Record<string, Doing> = {
  '/setup': 'actions.do.setup',
  '/campaigns': 'actions.do.campaignCreate',
  '/campaigns/:id/edit': 'actions.do.campaignEdit',
  '/campaigns/:id/test': 'actions.do.campaignTest',
  '/campaigns/:id/duplicate': 'actions.do.campaignDuplicate',
  '/campaigns/:id/delete': 'actions.do.campaignDelete',
  '/campaigns/:id/schedule': 'actions.do.campaignSchedule',
  '/campaigns/:id/unschedule': 'actions.do.campaignUnschedule',
  '/campaigns/:id/send': 'actions.do.campaignSend',
  '/campaigns/:id/pause': 'actions.do.campaignPause',
  '/campaigns/:id/resume': 'actions.do.campaignResume',
  '/campaigns/:id/cancel': 'actions.do.campaignCancel',
  '/campaigns/:id/send-new': 'actions.do.campaignSendNew',
  '/account/password': 'actions.do.ownPassword',
  '/account/sign-out-everywhere': 'actions.do.signOutEverywhere',
  '/account/totp': 'actions.do.totpOn',
  '/account/totp/off': 'actions.do.totpOff',
  '/audit/repermission': 'actions.do.repermission',
  '/contacts': 'actions.do.contactAdd',
  '/contacts/:id/rectify': 'actions.do.contactRectify',
  '/contacts/:id/erase': 'actions.do.contactErase',
  '/imports/preview': 'actions.do.importPreview',
  '/imports/run': 'actions.do.importRun',
  '/media': 'actions.do.mediaUpload',
  '/purposes': 'actions.do.purposeCreate',
  '/purposes/:id': 'actions.do.purposeEdit',
  '/purposes/:id/archive': 'actions.do.purposeArchive',
  '/purposes/:id/restore': 'actions.do.purposeRestore',
  '/forms': 'actions.do.formCreate',
  '/forms/:id': 'actions.do.formEdit',
  '/organisation': 'actions.do.organisation',
  '/organisation/recipients': 'actions.do.recipients',
  '/organisation/transfers': 'actions.do.transfers',
  '/organisation/decisions': 'actions.do.decisionSettings',
  '/organisation/retention': 'actions.do.retentionRules',
  '/organisation/branding': 'actions.do.branding',
  '/organisation/time-zone': 'actions.do.timeZone',
  '/privacy/notice': 'actions.do.noticeDraft',
  '/privacy/notice/:version/publish': 'actions.do.noticePublish',
  '/privacy/requests': 'actions.do.requestAdd',
  '/privacy/requests/:id/extend': 'actions.do.requestExtend',
  '/privacy/requests/:id/complete': 'actions.do.requestComplete',
  '/privacy/retention/run': 'actions.do.retentionRun',
  '/users': 'actions.do.userAdd',
  '/users/:id/role': 'actions.do.userRole',
  '/users/:id/password': 'actions.do.userPassword',
  '/users/:id/remove': 'actions.do.userRemove',
  '/users/:id/totp-reset': 'actions.do.userTotpReset',
  '/api-keys': 'actions.do.keyCreate',
  '/api-keys/:id/revoke': 'actions.do.keyRevoke',
  '/webhooks': 'actions.do.webhookAdd',
  '/webhooks/:id/remove': 'actions.do.webhookRemove',
};

const API: Record<string, Doing> = {
  'POST /campaigns': 'actions.do.campaignCreate',
  'PATCH /campaigns/:id': 'actions.do.campaignEdit',
  'DELETE /campaigns/:id': 'actions.do.campaignDelete',
  'POST /campaigns/:id/test': 'actions.do.campaignTest',
  'POST /campaigns/:id/duplicate': 'actions.do.campaignDuplicate',
  'PUT /campaigns/:id/schedule': 'actions.do.campaignSchedule',
  'DELETE /campaigns/:id/schedule': 'actions.do.campaignUnschedule',
  'POST /campaigns/:id/send': 'actions.do.campaignSend',
  'POST /campaigns/:id/pause': 'actions.do.campaignPause',
  'POST /campaigns/:id/resume': 'actions.do.campaignResume',
  'POST /campaigns/:id/cancel': 'actions.do.campaignCancel',
  'POST /campaigns/:id/send-new': 'actions.do.campaignSendNew',
  'POST /campaigns/:id/expire': 'actions.do.campaignExpire',
  'POST /contacts': 'actions.do.contactAdd',
  'PATCH /contacts/:id/facts': 'actions.do.contactFacts',
  'POST /contacts/:id/purchases': 'actions.do.purchase',
  'PUT /contacts/:id/designation': 'actions.do.designation',
  'PUT /contacts/:id/employee': 'actions.do.employee',
  'POST /purposes': 'actions.do.purposeCreate',
  'PUT /purposes/:id': 'actions.do.purposeEdit',
  'POST /purposes/:id/archive': 'actions.do.purposeArchive',
  'POST /purposes/:purpose/grants': 'actions.do.grant',
  'POST /forms': 'actions.do.formCreate',
  'PUT /forms/:id': 'actions.do.formEdit',
  'PUT /organisation': 'actions.do.organisation',
  'PUT /organisation/recipients': 'actions.do.recipients',
  'PUT /organisation/transfers': 'actions.do.transfers',
  'PATCH /settings/decisions': 'actions.do.decisionSettings',
  'PATCH /settings/retention': 'actions.do.retentionRules',
  'PATCH /notice/texts': 'actions.do.noticeDraft',
  'POST /notice/:version/publish': 'actions.do.noticePublish',
  'POST /requests': 'actions.do.requestAdd',
  'POST /requests/:id/extend': 'actions.do.requestExtend',
  'POST /requests/:id/complete': 'actions.do.requestComplete',
  'POST /retention/run': 'actions.do.retentionRun',
  'POST /decisions': 'actions.do.decision',
  'POST /messages/personal': 'actions.do.personalMessage',
  'POST /users': 'actions.do.userAdd',
  'PUT /users/:id/role': 'actions.do.userRole',
  'PUT /users/:id/password': 'actions.do.userPassword',
  'DELETE /users/:id': 'actions.do.userRemove',
  'DELETE /users/:id/second-factor': 'actions.do.userTotpReset',
  'POST /api-keys': 'actions.do.keyCreate',
  'POST /api-keys/:id/revoke': 'actions.do.keyRevoke',
  'POST /webhooks': 'actions.do.webhookAdd',
  'DELETE /webhooks/:id': 'actions.do.webhookRemove',
};

/**
 * An action as a person reads it: the text key of what was done (null when the table has none) and the code to
 * show in small type under it for the API and the command line, where a developer or auditor looks it up
 * ('PUT /api/v1/purposes/:id', 'consentry user add'). An admin app action needs no code: the words are it.
 * @example actionWords('POST /admin/users/:id/role') // → { key: 'actions.do.userRole', code: null }
 */
export function actionWords(action: string): { key: Doing | null; code: string | null } {
  const admin = /^POST \/admin(\/.*)$/.exec(action);
  if (admin) return { key: ADMIN[admin[1]!] ?? null, code: ADMIN[admin[1]!] ? null : admin[1]! };
  const api = /^([A-Z]+) \/api\/v1(\/.*)$/.exec(action);
  if (api) return { key: API[`${api[1]} ${api[2]}`] ?? null, code: action };
  if (action.startsWith('cli ')) return { key: 'actions.do.cli', code: `consentry ${action.slice(4)}` };
  return { key: null, code: action };
}
