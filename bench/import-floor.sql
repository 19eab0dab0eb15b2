-- The import's floor: SQLite's own C code (the sqlite3 shell) writes the rows a Consentry import of the
-- Mailchimp-style file writes — per row a contact, an `imported` ledger event and a permission, into the
-- product's schema with all its indexes — in ONE transaction, with no JavaScript, no validation, no duplicate or
-- suppression checks and no resume points. It answers "how fast could this be at all?" for bench/import.ts,
-- which pipes this file to sqlite3 with {{CSV}} replaced by the input's path, against a database migrated by
-- the product (the shell's sha3-256 stands in for SHA-256 and HMAC, one hash each where the product hashes).
.mode csv
pragma temp_store = memory;
create temp table src (email, first, last, rating, optin, optin_ip, confirm, confirm_ip, cc, last_changed, leid, tags);
.import --skip 1 {{CSV}} src
-- Time-ordered ids, as the product's bulk path makes them (48-bit time, then random bits).
create temp table ids as
  select rowid as r,
    printf('%012x', 1764480000000 + rowid) as t,
    lower(hex(randomblob(8))) as c, lower(hex(randomblob(8))) as e, lower(hex(randomblob(8))) as p
  from src;
begin;
insert into contacts (id, email, first_name, last_name, kind, role_address, attributes, source_kind, source_ref,
  suppression, locale, designation_evidence, created_at, updated_at)
select substr(t, 1, 8) || '-' || substr(t, 9) || '-7c00-' || c, lower(trim(email)), first, last, 'person', 0,
  json_object('MEMBER_RATING', rating, 'CC', cc, 'LAST_CHANGED', last_changed), 'import', 'mailchimp:floor.csv',
  null, null, null, '2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00.000Z'
from src join ids on r = src.rowid;
insert into consent_events (id, subject_id, seq, prev_hash, hash, type, purpose_id, basis, occurred_at, recorded_at,
  details, personal_digest, personal)
select substr(t, 1, 8) || '-' || substr(t, 9) || '-7e00-' || e, substr(t, 1, 8) || '-' || substr(t, 9) || '-7c00-' || c,
  1, '', lower(hex(sha3(c || e || optin || r, 256))), 'imported', 'tips', 'A6-1-a',
  replace(optin, ' ', 'T') || '.000Z', '2026-11-30T10:00:00.000Z',
  json_object('importId', 'floor', 'method', 'import', 'origin', json_object('evidenceRef', 'BENCH', 'file', 'floor.csv',
    'leid', leid, 'line', r + 1, 'system', 'mailchimp'), 'source', 'import', 'status', 'active'),
  lower(hex(sha3(email || optin_ip || confirm_ip || e, 256))),
  json_object('confirmIp', confirm_ip, 'email', lower(trim(email)), 'optinIp', optin_ip, 'salt', lower(hex(randomblob(16))))
from src join ids on r = src.rowid;
insert into permissions (id, contact_id, purpose_id, basis, status, method, source_kind, given_at, confirmed_at,
  withdrawn_at, third_party_evidence, evidence_event_id, import_id, notice_version, created_at, updated_at)
select substr(t, 1, 8) || '-' || substr(t, 9) || '-7f00-' || p, substr(t, 1, 8) || '-' || substr(t, 9) || '-7c00-' || c,
  'tips', 'A6-1-a', 'active', 'import', 'import', replace(optin, ' ', 'T') || '.000Z',
  replace(confirm, ' ', 'T') || '.000Z', null, 0, substr(t, 1, 8) || '-' || substr(t, 9) || '-7e00-' || e, 'floor', null,
  '2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00.000Z'
from src join ids on r = src.rowid;
commit;
