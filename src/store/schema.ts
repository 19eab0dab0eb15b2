/**
 * The database schema as Kysely types: the one source of truth for table and column names (migrations in
 * migrations.ts create exactly these). Conventions that hold on SQLite and PostgreSQL alike: ids are text
 * (random UUIDs), times are ISO-8601 UTC text (`Date#toISOString`, so text order is time order), booleans are
 * integers 0/1, JSON is text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
}

export interface ContactsTable {
  id: string;
  /** Normalised address (core/address.ts): lower case, domain in ASCII (punycode). Unique. */
  email: string;
  first_name: string | null;
  last_name: string | null;
  /** ContactKind */
  kind: Generated<string>;
  role_address: Generated<number>;
  designated_for_offers: Generated<number>;
  /** Where the organisation published the address as designated for offers (D4). */
  designation_evidence: string | null;
  employee: Generated<number>;
  employee_work_address: Generated<number>;
  customer_opted_out: Generated<number>;
  /** A prospect in a sales pipeline who never opted in (B5); 0/1. Added by 003_facts. */
  lead: Generated<number>;
  /**
   * SuppressionReason when the address is on the suppression list, mirrored here so audience queries need no
   * per-contact HMAC; the list itself (suppressions) stays the authority at claim time.
   */
  suppression: string | null;
  /** Preferred language, 'nl' | 'en' | null. */
  locale: string | null;
  /** JSON object of extra columns from imports. */
  attributes: Generated<string>;
  /** SourceKind of the first collection. */
  source_kind: string;
  /** Free text on where it was collected (a fair's name and date, a file name). */
  source_ref: string | null;
  /** When the data was collected: the sign-up, the import, or a business card's fair date. */
  created_at: string;
  updated_at: string;
}

export interface PurposesTable {
  id: string;
  name_nl: string;
  name_en: string;
  description_nl: string;
  description_en: string;
  /** MessageCategory */
  category: string;
  double_opt_in: number;
  /** How often it is sent, shown on forms (G3); optional. */
  frequency_nl: string | null;
  frequency_en: string | null;
  /** JSON: retention rules for this purpose (issue 5). */
  retention: string;
  created_at: string;
  /** JSON array of accepted LawfulBasis; null: the category's default (core/policy/purpose-guard.ts). 012. */
  bases: string | null;
  /** When archived (no new forms or campaigns); null while in use. 012. */
  archived_at: string | null;
  /** JSON `{ nl?: { subject, body }, en?: … }`: the welcome mail (Markdown), or null (migration 005). */
  welcome: string | null;
  /** The requested item (lead magnet) a sign-up gets, or null. */
  item_url: string | null;
  /** 0/1: links in this purpose's campaigns are counted per link, in aggregate only (006_lifecycle). */
  count_clicks: Generated<number>;
}

export interface WelcomeMailsTable {
  contact_id: string;
  purpose_id: string;
  sent_at: string;
}

export interface MediaTable {
  id: string;
  /** The uploaded file's name, cleaned; part of the public URL. */
  file_name: string;
  content_type: string;
  /** Bytes. */
  size: number;
  sha256: string;
  created_at: string;
}

export interface PermissionsTable {
  id: string;
  contact_id: string;
  purpose_id: string;
  /** LawfulBasis */
  basis: string;
  /** PermissionStatus */
  status: string;
  /** ConsentMethod */
  method: string;
  /** SourceKind */
  source_kind: string;
  given_at: string | null;
  confirmed_at: string | null;
  withdrawn_at: string | null;
  third_party_evidence: number;
  /** The ledger event that proves the current status. */
  evidence_event_id: string;
  import_id: string | null;
  notice_version: number | null;
  created_at: string;
  updated_at: string;
}

export interface ConsentEventsTable {
  /** Global insertion order; checkpoints refer to it. */
  position: Generated<number>;
  id: string;
  subject_id: string;
  seq: number;
  prev_hash: string;
  hash: string;
  /** LedgerEventType */
  type: string;
  purpose_id: string | null;
  basis: string | null;
  occurred_at: string;
  recorded_at: string;
  /** JSON, hashed; no personal data. */
  details: string;
  personal_digest: string;
  /** JSON of the personal details (address, ip, user agent, salt); null after erasure. */
  personal: string | null;
}

export interface LedgerCheckpointsTable {
  id: Generated<number>;
  created_at: string;
  /** Highest consent_events.position covered. */
  up_to_position: number;
  subject_count: number;
  merkle_root: string;
  prev_hash: string;
  hash: string;
}

export interface PrivacyNoticesTable {
  version: number;
  /** JSON: NoticeContent (core/notice.ts). */
  content: string;
  published_at: string | null;
  created_at: string;
}

export interface FormsTable {
  id: string;
  name: string;
  /** JSON array of purpose ids, one unticked box each. */
  purposes: string;
  double_opt_in: number;
  /** JSON: per language { title, intro, labels: { purposeId: text } }. */
  texts: string;
  /** A service purpose (e.g. e-book delivery) the form always fulfils, never conditional on marketing (7(4)). */
  lead_magnet_purpose_id: string | null;
  /** JSON: FormAppearance (services/organisation/forms.ts): logo, accent colour, thank-you page. 012. */
  appearance: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface CampaignsTable {
  id: string;
  name: string;
  purpose_id: string;
  /** MessageCategory */
  category: string;
  subject: string;
  /** Liquid template of the body (plain text with blank-line paragraphs). */
  body: string;
  /** CampaignStatus: draft | scheduled | sending | paused | cancelled | sent */
  status: string;
  third_party: number;
  product_category: string | null;
  other_legal_entity: number;
  repermission_deadline: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** `markdown` or `text` (migration 005). */
  format: Generated<string>;
  /** `nl` or `en`: the body's language; footer and link texts follow it. */
  language: Generated<string>;
  /** The campaign this one translates: contacts in this language get this one instead. */
  translation_of: string | null;
  /** When a scheduled campaign starts (ISO UTC); null unless status is scheduled (006_lifecycle). */
  scheduled_at: string | null;
  /** Why the campaign is paused: the relay's reply that paused it, or "operator" (007_sending). */
  paused_reason: string | null;
  paused_at: string | null;
  /** The last reply or error that counted as a relay failure, and when (kept after resume). */
  last_relay_error: string | null;
  last_relay_error_at: string | null;
}

export interface DeliveriesTable {
  id: string;
  campaign_id: string;
  contact_id: string;
  /** DeliveryState */
  state: string;
  /** JSON array of reason codes of the last decision. */
  reasons: string;
  basis: string | null;
  attempts: number;
  /** Claimed: when the lease ends. Queued: when the row is due (enqueue time, or a retry's time). */
  lease_until: string | null;
  claimed_by: string | null;
  smtp_reply: string | null;
  /** Message-ID fixed when the row is created, so a retried send is recognisably the same message. */
  message_id: string;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SuppressionsTable {
  /** HMAC-SHA256 (hex) of the normalised address with the server secret. */
  hash: string;
  /** SuppressionReason */
  reason: string;
  source: string | null;
  created_at: string;
}

export interface ImportsTable {
  id: string;
  /** 'mailchimp' | 'csv' | … */
  format: string;
  source_kind: string;
  purpose_id: string;
  basis: string;
  evidence_ref: string | null;
  /** SHA-256 of the input, so a re-run is recognised. */
  input_digest: string;
  started_at: string;
  finished_at: string | null;
  /** JSON: the import report's counts. */
  counts: string;
}

export interface PurchasesTable {
  id: string;
  contact_id: string;
  product_category: string;
  purchased_at: string;
  /** clear | terms_only | none */
  opt_out_offered: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** SHA-256 (hex) of the key. */
  key_hash: string;
  created_at: string;
  /** Role (core/admin/roles.ts); keys made before migration 004 are owners. */
  role: Generated<string>;
  revoked_at: string | null;
}

export interface DataSubjectRequestsTable {
  id: string;
  /** The contact (a pseudonymous id), when known; kept after erasure so the register still shows the answer. */
  contact_id: string | null;
  /** RequestKind (core/requests.ts) */
  kind: string;
  /** letter | phone | email | web | other */
  channel: string;
  /** Free text identifying the requester for the operator; set to null when the person is erased. */
  requester: string | null;
  received_at: string;
  /** One month after receipt plus any extension (GDPR 12(3)). */
  due_at: string;
  /** 0, 1 or 2 further months. */
  extension_months: number;
  /** JSON array of reasons, one per extension. */
  extension_reasons: string;
  completed_at: string | null;
  /** What was done, in the operator's words (no address). */
  outcome: string | null;
  created_at: string;
}

export interface RetentionRunsTable {
  id: string;
  ran_at: string;
  /** 1 for `--dry-run` (nothing erased), 0 for a real run. */
  dry_run: number;
  /** JSON: the rules applied. */
  rules: string;
  examined: number;
  kept: number;
  /** JSON: { [rule or 'no_basis']: count } of contacts erased (or that would be). */
  counts: string;
  /** JSON array of contact ids erased (or that would be); ids only, never addresses. */
  contact_ids: string;
}

export interface CampaignCountsTable {
  campaign_id: string;
  /** DeliveryState */
  state: string;
  /** Deliveries in this state whose rows were removed by erasure. */
  count: number;
}

/** A sign-up limit's counter (migration 010); `key` names an IP or address only by its keyed hash. */
export interface SignupCountersTable {
  key: string;
  /** ISO time of the first hit in the current window. */
  window_start: string;
  /** ISO time the window ends (the row may be deleted after it). */
  expires_at: string;
  count: number;
}

/** A proof-of-work challenge already used, until it expires (migration 010). */
export interface SpentChallengesTable {
  /** SHA-256 of the challenge's signature. */
  digest: string;
  expires_at: string;
}

export interface DeliveryEventsTable {
  id: string;
  delivery_id: string;
  campaign_id: string;
  contact_id: string;
  /** DeliveryEventKind */
  kind: string;
  /** DeliveryEventSource: smtp | dsn | arf | webhook:<provider> */
  source: string;
  /** Enhanced status code (RFC 3463), e.g. "5.1.1"; null when the report gave none. */
  status: string | null;
  /** The remote server's words (Diagnostic-Code, SMTP reply, provider's reason); at most 1,000 characters. */
  diagnostic: string | null;
  /** When the bounce or complaint happened, by the report. */
  occurred_at: string;
  recorded_at: string;
  /** Identifies the report, so the same report read twice is recorded once (unique per delivery). */
  report_key: string;
  /** SuppressionReason this event put on the list, or null. */
  suppression: string | null;
}

export interface UnreadableReportsTable {
  id: string;
  received_at: string;
  /** smtp | imap | webhook:<provider> */
  route: string;
  /** A short code: unparsable, no_delivery, not_a_report, … */
  reason: string;
  /** Words for the operator on what was wrong. */
  detail: string | null;
  /** Size of the original in bytes. */
  size: number;
  /** The original message or request body (truncated to 256 KB). */
  raw: string;
  reviewed_at: string | null;
}

/** Aggregate counts per campaign, e.g. `unsubscribes` through its links; no person is named (006_lifecycle). */
export interface CampaignCountersTable {
  campaign_id: string;
  name: string;
  count: number;
}

/** A campaign's link targets, fixed when it is created or edited, with aggregate clicks only (006_lifecycle). */
export interface CampaignLinksTable {
  campaign_id: string;
  /** 0-based index in the body, the `<index>` of `/r/<campaign>/<index>.<signature>`. */
  position: number;
  url: string;
  clicks: Generated<number>;
}

/** People who sign in to the admin app (migration 004). */
export interface AdminUsersTable {
  id: string;
  /** Lower-case address; unique. */
  email: string;
  /** Role (core/admin/roles.ts). */
  role: string;
  /** argon2id PHC string; null until the person sets a password through a set-up link. */
  password_hash: string | null;
  /** Base32 TOTP secret (RFC 6238) once the second factor is switched on. */
  totp_secret: string | null;
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
}

/** Admin sessions; the cookie holds a random token whose SHA-256 is `token_hash`. */
export interface AdminSessionsTable {
  /** Random id, also the CSRF tokens' user info; never sent as the cookie. */
  id: string;
  token_hash: string;
  user_id: string;
  /** 'active', or 'second_factor' between the password and the TOTP code. */
  state: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry; the idle expiry is counted from last_seen_at. */
  expires_at: string;
}

/** One-time recovery codes for the second factor, hashed (SHA-256). */
export interface AdminRecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

/** Failed sign-ins, counted per account and per IP address over a window. */
export interface AdminSignInFailuresTable {
  id: Generated<number>;
  /** 'account' or 'ip'. */
  scope: string;
  /** SHA-256 of the lower-case address or of the IP address. */
  key: string;
  at: string;
}

/** The admin action log: who changed what, when, on which object; never a data subject's address. */
export interface AdminActionsTable {
  position: Generated<number>;
  at: string;
  /** 'user', 'api_key', 'cli' or 'system'. */
  actor_kind: string;
  /** The admin user's or API key's id; null for the command line. */
  actor_id: string | null;
  /** The user's address, the key's name, or the operating-system user for the CLI. */
  actor_name: string;
  /** What was done, e.g. 'POST /admin/users' or 'cli user add'. */
  action: string;
  object_kind: string | null;
  /** The object's id (a contact's id, never its address). */
  object_id: string | null;
  /** HTTP status or exit code. */
  status: number | null;
}

export interface WebhookEndpointsTable {
  id: string;
  /** https:// (http:// only for localhost), checked by core/webhooks.ts. */
  url: string;
  /** JSON array of WebhookEvent. */
  events: string;
  /** `whsec_<base64>`: signs each message (shown once when the endpoint is added). */
  secret: string;
  description: string | null;
  created_at: string;
}

export interface WebhookMessagesTable {
  /** `msg_…`: the `webhook-id` header, the same on every attempt. */
  id: string;
  endpoint_id: string;
  /** WebhookEvent */
  event_type: string;
  /** The contact the event is about, when there is one: the worker adds the address while the contact exists. */
  contact_id: string | null;
  /** JSON object: the event's data (ids and facts, no address). */
  data: string;
  occurred_at: string;
  /** pending | delivered | failed */
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  /** Claimed by a worker until then. */
  lease_until: string | null;
  last_attempt_at: string | null;
  /** HTTP status of the last attempt; null when it got no answer. */
  last_status: number | null;
  /** The start of the last answer's body (at most 500 characters). */
  last_response: string | null;
  /** Why the last attempt got no answer (timeout, refused, private address…). */
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** A token bucket per relay shared by all sender processes (SMTP_RATE, SMTP_RATE_PER_HOUR). Times in ms. */
export interface RelayBudgetsTable {
  /** host:port of the relay (no credentials). */
  relay: string;
  tokens: number;
  hour_tokens: number;
  /** Messages per second the bucket currently allows (lowered after throttling), null for no limit. */
  rate: number | null;
  updated_ms: number;
  /** When a throttling reply last slowed the bucket down. */
  throttled_ms: number;
}

/** Permissions per purpose and status, kept by triggers (migration 017); on PostgreSQL delta rows, summed per key. */
export interface PermissionCountsTable {
  purpose_id: string;
  status: string;
  n: number;
}

/**
 * Consent ledger events per type and UTC hour of occurred_at ("YYYY-MM-DDTHH"), kept by triggers (migration 017);
 * on PostgreSQL delta rows, summed per key.
 */
export interface LedgerHourCountsTable {
  type: string;
  hour: string;
  n: number;
}

export interface DB {
  settings: SettingsTable;
  contacts: ContactsTable;
  purposes: PurposesTable;
  permissions: PermissionsTable;
  consent_events: ConsentEventsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  privacy_notices: PrivacyNoticesTable;
  forms: FormsTable;
  campaigns: CampaignsTable;
  deliveries: DeliveriesTable;
  suppressions: SuppressionsTable;
  imports: ImportsTable;
  purchases: PurchasesTable;
  api_keys: ApiKeysTable;
  data_subject_requests: DataSubjectRequestsTable;
  retention_runs: RetentionRunsTable;
  campaign_counts: CampaignCountsTable;
  delivery_events: DeliveryEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  unreadable_reports: UnreadableReportsTable;
  welcome_mails: WelcomeMailsTable;
  media: MediaTable;
  campaign_counters: CampaignCountersTable;
  campaign_links: CampaignLinksTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  admin_recovery_codes: AdminRecoveryCodesTable;
  admin_sign_in_failures: AdminSignInFailuresTable;
  admin_actions: AdminActionsTable;
  signup_counters: SignupCountersTable;
  spent_challenges: SpentChallengesTable;
  relay_budgets: RelayBudgetsTable;
  permission_counts: PermissionCountsTable;
  ledger_hour_counts: LedgerHourCountsTable;
}

export type ContactRow = Selectable<ContactsTable>;
export type NewContact = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type PurposeRow = Selectable<PurposesTable>;
export type PermissionRow = Selectable<PermissionsTable>;
export type ConsentEventRow = Selectable<ConsentEventsTable>;
export type FormRow = Selectable<FormsTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type PrivacyNoticeRow = Selectable<PrivacyNoticesTable>;
export type ImportRow = Selectable<ImportsTable>;
export type DeliveryEventRow = Selectable<DeliveryEventsTable>;
export type UnreadableReportRow = Selectable<UnreadableReportsTable>;
export type AdminUserRow = Selectable<AdminUsersTable>;
export type AdminSessionRow = Selectable<AdminSessionsTable>;
export type AdminActionRow = Selectable<AdminActionsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookMessageRow = Selectable<WebhookMessagesTable>;
