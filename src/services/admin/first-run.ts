/**
 * First run in the browser (issue 9): while no owner exists, `consentry serve` prints a one-time set-up link
 * (`/admin/setup?token=…`). The token is random (256 bits); the database keeps only its SHA-256, so whoever can
 * read the server's output can claim the installation and nobody else on the network can. The set-up does
 * what `consentry init` does (organisation, first purpose, notice, form) when that has not been done yet, and
 * creates the owner, all in one transaction (with an entry in the action log by the new owner); the token is
 * then gone, and so is the page (an owner exists).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../core/ledger-chain.js';
import { deleteSetting, getOrganisation, getSetting, putSetting, takeSetting } from '../../store/settings.js';
import { checkInitInput, initialiseWithin, type CheckedInit, type NoticeAnswers } from '../organisation/setup.js';
import type { Data, Deps } from '../deps.js';
import { collecting, DomainError, invalid, invalidFields, issuesOf, notFound, type FieldIssue } from '../errors.js';
import { logAction } from './action-log.js';
import { openSession, type SignedIn } from './sessions.js';
import { checkNewPassword } from './passwords.js';
import { addUser, adminEmail, hasOwner, type AdminUser } from './users.js';

const gone = () => notFound('this set-up link is not (or no longer) valid', 'setup-gone');

type SetupDeps = Data & Pick<Deps, 'clock'>;

const TOKEN_KEY = 'admin_setup_token_sha256';

/**
 * A new set-up token when no owner exists (replacing any earlier one), else null.
 * @returns the token, to print as `<base>/admin/setup?token=<token>`
 */
export async function issueSetupToken(deps: Data): Promise<string | null> {
  if (await hasOwner(deps)) {
    await deleteSetting(deps.db, TOKEN_KEY);
    return null;
  }
  const token = randomBytes(32).toString('base64url');
  await putSetting(deps.db, TOKEN_KEY, sha256(token));
  return token;
}

/**
 * What the set-up page asks for, or null when the page does not exist for this token: no token issued, a
 * wrong one, or an owner exists already.
 */
export async function setupState(deps: Data, token: string | undefined): Promise<{ needsOrganisation: boolean } | null> {
  if (!token || (await hasOwner(deps))) return null;
  const stored = await getSetting<string>(deps.db, TOKEN_KEY);
  const given = Buffer.from(sha256(token));
  if (!stored || stored.length !== given.length || !timingSafeEqual(Buffer.from(stored), given)) return null;
  return { needsOrganisation: !(await getOrganisation(deps.db)) };
}

/** The set-up form's fields (the organisation's and purpose's only when `init` has not run). */
export interface SetupInput {
  org_name?: string;
  address?: string;
  reply_to?: string;
  from_address?: string;
  kvk?: string;
  purpose_nl?: string;
  purpose_en?: string;
  description_nl?: string;
  description_en?: string;
  frequency_nl?: string;
  frequency_en?: string;
  /** The mail provider (a processor) and its country (ISO 3166 alpha-2), both or neither. */
  mail_provider?: string;
  mail_provider_country?: string;
  /** 'yes': the operator states that no one else receives the data (GDPR 13(1)(e)). */
  recipients_none?: string;
  /** 'yes': the operator states that no data goes outside the EEA (GDPR 13(1)(f)). */
  transfers_none?: string;
  email: string;
  password: string;
}

/** The form field for each field of `init`'s input. */
const FORM_FIELD: Record<string, keyof SetupInput> = {
  'organisation.name': 'org_name',
  'organisation.postalAddress': 'address',
  'organisation.replyTo': 'reply_to',
  'organisation.fromAddress': 'from_address',
  'organisation.chamberOfCommerce': 'kvk',
  'purpose.name_nl': 'purpose_nl',
  'purpose.name_en': 'purpose_en',
  'purpose.description_nl': 'description_nl',
  'purpose.description_en': 'description_en',
  'purpose.frequency_nl': 'frequency_nl',
  'purpose.frequency_en': 'frequency_en',
};

const blankToUndefined = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/**
 * The operator's statements for the notice's recipients and transfers: only what was stated (unstated stays
 * missing, so the notice waits as a draft). @throws DomainError invalid naming `mail_provider`/`mail_provider_country`
 */
function noticeAnswers(input: SetupInput): NoticeAnswers {
  const name = blankToUndefined(input.mail_provider);
  const country = blankToUndefined(input.mail_provider_country)?.toUpperCase();
  if (name && !country) throw invalid('mail_provider_country', 'mail_provider_country: give the country of the mail provider (two letters, e.g. NL)', 'setup-mail_provider_country');
  if (country && !/^[A-Z]{2}$/.test(country)) throw invalid('mail_provider_country', 'mail_provider_country: two letters, e.g. NL or IE', 'setup-mail_provider_country');
  if (country && !name) throw invalid('mail_provider', 'mail_provider: give the name of the mail provider with its country', 'setup-mail_provider');
  return {
    ...(name && country && { mailProvider: { name, country } }),
    ...(input.recipients_none === 'yes' && { recipients: 'none' as const }),
    ...(input.transfers_none === 'yes' && { transfers: 'none' as const }),
  };
}

/** The organisation's part of the set-up, checked; its refusals (every one, named by form field) go to `issues`. */
function checkOrganisation(input: SetupInput, issues: FieldIssue[]): CheckedInit | undefined {
  const notice = collecting(issues, () => noticeAnswers(input)) ?? {};
  try {
    return checkInitInput({
      organisation: {
        name: input.org_name ?? '',
        postalAddress: input.address ?? '',
        replyTo: (input.reply_to ?? '').trim(),
        fromAddress: (input.from_address ?? '').trim(),
        ...(blankToUndefined(input.kvk) && { chamberOfCommerce: blankToUndefined(input.kvk) }),
      },
      purpose: {
        id: 'newsletter',
        name_nl: input.purpose_nl ?? '',
        name_en: input.purpose_en ?? '',
        description_nl: input.description_nl ?? '',
        description_en: input.description_en ?? '',
        frequency_nl: blankToUndefined(input.frequency_nl),
        frequency_en: blankToUndefined(input.frequency_en),
      },
      notice,
    });
  } catch (err) {
    if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
    for (const i of issuesOf(err)) {
      const field = FORM_FIELD[i.field];
      issues.push(field ? { field, message: `${field}: ${i.message.replace(/^[^:]*: /, '')}`, code: `setup-${field}` } : i);
    }
    return undefined;
  }
}

/**
 * Completes the browser set-up: checks every field first, then in one transaction sets up the organisation, its
 * first purpose ("newsletter"), notice and form (unless `init` ran before) and adds the owner; the token is
 * spent. Then the owner is signed in: a new session, whose cookie token is returned.
 * @param token the token from the set-up link
 * @throws DomainError not_found `setup-gone` (wrong token, or an owner exists), invalid naming the form field
 *   at fault (`org_name`, `address`, `reply_to`, `from_address`, `purpose_nl`, … with code `setup-<field>`;
 *   `email`, `password` with the users' codes);
 *   nothing is stored then
 */
export async function completeSetup(deps: SetupDeps, token: string, input: SetupInput): Promise<SignedIn & { owner: AdminUser; organisationSetUp: boolean }> {
  const state = await setupState(deps, token);
  if (!state) throw gone();
  // Every field is checked before refusing, so the page shows all its errors at once.
  const issues: FieldIssue[] = [];
  const checked = state.needsOrganisation ? (checkOrganisation(input, issues) ?? null) : null;
  let email: string | undefined;
  if (!input.email.trim()) issues.push({ field: 'email', message: 'email: the address is required', code: 'required' });
  else email = collecting(issues, () => adminEmail(input.email));
  collecting(issues, () => checkNewPassword(input.password, email ?? input.email));
  if (issues.length > 0 || email === undefined) throw invalidFields(issues);
  const owner = await deps.db.transaction().execute(async (trx) => {
    const tx = { db: trx, dialect: deps.dialect, clock: deps.clock };
    if (!(await takeSetting(trx, TOKEN_KEY, sha256(token)))) throw gone();
    if (checked) await initialiseWithin(tx, checked);
    const user = await addUser(tx, { email, role: 'owner', password: input.password });
    await logAction(tx, { actor: { kind: 'user', id: user.id, name: user.email }, action: 'POST /admin/setup', object: { kind: 'users', id: user.id }, status: 303 });
    return user;
  });
  return { ...(await openSession(deps, owner, 'active')), owner, organisationSetUp: checked !== null };
}
