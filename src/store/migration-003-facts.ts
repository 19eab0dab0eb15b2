/**
 * Migration 003_facts: the facts the send gate needs that 001 did not hold yet.
 * - `contacts.lead`: a prospect in a sales pipeline who never opted in (SCENARIOS B5).
 * The Kysely types of the new column are declared in store/relationships.ts (module augmentation of schema.ts).
 */
import type { Kysely } from 'kysely';
import type { Dialect } from './db.js';

export const m003_facts = async (db: Kysely<unknown>, _dialect: Dialect): Promise<void> => {
  await db.schema.alterTable('contacts').addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0)).execute();
};
