/**
 * Whether an import's lawful basis fits its purpose (finding 3 of 2026-12-07): a purpose accepts only the bases it
 * was made with (migration 012, core/policy/purpose-guard.ts). Customers imported on legitimate interest into a
 * consent-only newsletter would be stored as "no consent for this purpose" and then offered for erasure; the
 * import is refused before anything is stored, naming the purposes that do accept the basis.
 */
import type { Kysely } from 'kysely';
import type { LawfulBasis } from '../../../core/vocab.js';
import { listPurposes } from '../../../store/purposes.js';
import type { DB, PurposeRow } from '../../../store/schema.js';
import { DomainError } from '../../errors.js';
import { basesOf } from '../../organisation/purposes.js';

/**
 * Refuses an import whose basis the purpose does not accept (GDPR 5(1)(b), 6(1); Tw 11.7(1) and (3)).
 * @throws DomainError invalid on field `basis`, code `import-basis-not-accepted` with params basis, purpose,
 *   purposeNl/purposeEn (its names), accepted and othersNl/othersEn (the live purposes that accept the basis, by name and id), or code
 *   `import-basis-no-purpose` when no live purpose accepts it
 * @example await assertPurposeAcceptsBasis(db, newsletter, 'A6-1-f') // throws: accepted A6-1-a; "Klantaanbiedingen (klanten)" accepts A6-1-f
 */
export async function assertPurposeAcceptsBasis(db: Kysely<DB>, purpose: PurposeRow, basis: LawfulBasis): Promise<void> {
  const accepted = basesOf(purpose);
  if (accepted.includes(basis)) return;
  const others = (await listPurposes(db)).filter((p) => !p.archived_at && p.id !== purpose.id && basesOf(p).includes(basis));
  const list = (lang: 'nl' | 'en') => others.map((p) => `“${lang === 'nl' ? p.name_nl : p.name_en}” (${p.id})`).join(', ');
  const head = `--basis ${basis}: purpose "${purpose.id}" (${purpose.category}) accepts ${accepted.join(', ')}, not ${basis}; nothing was imported.`;
  const params = { basis, purpose: purpose.id, purposeNl: purpose.name_nl, purposeEn: purpose.name_en, accepted: accepted.join(', '), othersNl: list('nl'), othersEn: list('en') };
  if (others.length > 0) {
    throw new DomainError('invalid', `${head} Purposes that accept ${basis}: ${list('en')}.`, 'basis', 'import-basis-not-accepted', params);
  }
  throw new DomainError('invalid',
    `${head} No purpose accepts ${basis} yet: create one first (for offers to customers on the customer exception, Tw 11.7(3): a customer_marketing purpose with A6-1-f).`,
    'basis', 'import-basis-no-purpose', params);
}
