import type { AnyKysely, PgSchema } from '@agentplane/testkit';
import type { Kysely } from 'kysely';
import { MIGRATION_KEY, migrate } from './migrations.js';
import { type Database, DB_SCHEMA } from './schema.js';

/** The testkit's `pg` fixture built from agent-manager's migrations, and its scoped Kysely. */
export const withSchema = {
  schema: { key: ['agent-manager', ...MIGRATION_KEY], migrate } satisfies PgSchema,
  scoped: (db: AnyKysely): Kysely<Database> => (db as Kysely<Database>).withSchema(DB_SCHEMA),
};
