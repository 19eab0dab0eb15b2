/**
 * Migration 005_content: mail content (issue 10).
 * - `campaigns.format` (`markdown` | `text`; existing campaigns stay `text`), `campaigns.language` (`nl` | `en`;
 *   existing campaigns become `nl`), `campaigns.translation_of` (this campaign is the other-language version of
 *   that one; contacts whose language it is get it instead).
 * - `purposes.welcome`: JSON `{ nl?: { subject, body }, en?: … }`, the welcome mail in Markdown, or null;
 *   `purposes.item_url`: the requested item (lead magnet) delivered on sign-up, or null.
 * - `welcome_mails`: one row per contact and purpose that got the welcome mail, so no path sends it twice.
 * - `media`: files uploaded for mail (images, downloads), stored in the data folder and served at /media/….
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m005_content = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('campaigns').addColumn('format', 'text', (c) => c.notNull().defaultTo('text')).execute();
  await db.schema.alterTable('campaigns').addColumn('language', 'text', (c) => c.notNull().defaultTo('nl')).execute();
  await db.schema.alterTable('campaigns').addColumn('translation_of', 'text').execute();
  await db.schema.createIndex('campaigns_translation_of').on('campaigns').column('translation_of').execute();
  await db.schema.alterTable('purposes').addColumn('welcome', 'text').execute();
  await db.schema.alterTable('purposes').addColumn('item_url', 'text').execute();
  await db.schema
    .createTable('welcome_mails')
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('purpose_id', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('welcome_mails_pk', ['contact_id', 'purpose_id'])
    .execute();
  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
};
