/**
 * Migration 012_purpose_admin: purposes become editable in the admin app, the CLI and the API.
 * - `purposes.bases`: JSON array of the lawful bases the purpose accepts (core/policy/purpose-guard.ts); null
 *   for purposes made before, which accept their category's default.
 * - `purposes.archived_at`: when the purpose was archived (no new forms or campaigns; evidence stays).
 * - `contacts_created` (created_at, id): the contacts list's "newest first" order with keyset pagination.
 * - `forms.appearance`: JSON { logoUrl?, accentColour?, thankYouUrl? } set in the admin app, the CLI or the API.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m012_purpose_admin = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('purposes').addColumn('bases', 'text').execute();
  await db.schema.alterTable('purposes').addColumn('archived_at', 'text').execute();
  await db.schema.createIndex('contacts_created').on('contacts').columns(['created_at', 'id']).execute();
  await db.schema.alterTable('forms').addColumn('appearance', 'text', (c) => c.notNull().defaultTo('{}')).execute();
};
