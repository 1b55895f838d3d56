import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { DB_SCHEMA } from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design (kysely's docs).
type AnyDb = Kysely<any>;

const ZERO_USAGE = sql`'{"input_tokens":0,"output_tokens":0,"cache_hit_tokens":0}'::jsonb`;

const migrations: Record<string, Migration> = {
  '001-agents': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('goal', 'text', (c) => c.notNull())
        .addColumn('capabilities', 'jsonb', (c) => c.notNull())
        .addColumn('max_steps', 'integer', (c) => c.notNull())
        .addColumn('resources', 'jsonb')
        .addColumn('agent', 'text')
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('request_hash', 'text')
        .addColumn('run_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('current_run_id', 'text')
        .addColumn('step_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('usage', 'jsonb', (c) => c.notNull().defaultTo(ZERO_USAGE))
        .addColumn('error', 'jsonb')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // A retried create finds its agent through this; the key is scoped to the API key.
        .addUniqueConstraint('agents_owner_idempotency', ['owner', 'idempotency_key'])
        .execute();
      // Listing is newest first, by id (ids sort by creation time), optionally by status.
      await db.schema
        .createIndex('agents_status_id')
        .on('agents')
        .columns(['status', 'id'])
        .execute();
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) =>
          c.notNull().references('agents.id').onDelete('cascade'),
        )
        .addColumn('run_no', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('ended_at', 'timestamptz')
        .addColumn('output', 'text')
        .addColumn('stop_reason', 'text')
        .addColumn('cancel_requested_by', 'text')
        .addColumn('cancelled_by', 'text')
        .addColumn('error', 'jsonb')
        .addColumn('pending', 'jsonb')
        .addColumn('usage', 'jsonb', (c) => c.notNull().defaultTo(ZERO_USAGE))
        .addUniqueConstraint('runs_agent_run_no', ['agent_id', 'run_no'])
        .execute();
      await db.schema
        .createTable('steps')
        .addColumn('agent_id', 'text', (c) =>
          c.notNull().references('agents.id').onDelete('cascade'),
        )
        .addColumn('step_id', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('messages', 'jsonb', (c) => c.notNull())
        .addColumn('tool_calls', 'jsonb', (c) => c.notNull())
        .addColumn('usage', 'jsonb', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('steps_pk', ['agent_id', 'step_id'])
        .execute();
      await db.schema
        .createTable('tool_results')
        .addColumn('agent_id', 'text', (c) =>
          c.notNull().references('agents.id').onDelete('cascade'),
        )
        .addColumn('tool_call_id', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('output', 'jsonb')
        .addColumn('error', 'jsonb')
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('tool_results_pk', ['agent_id', 'tool_call_id'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migration names, in order: part of the testkit template's cache key. */
export const MIGRATION_KEY = Object.keys(migrations);

/** Creates the schema and runs every pending migration (at start). */
export async function migrate(db: AnyDb): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(DB_SCHEMA)}`.execute(db);
  const migrator = new Migrator({
    db: db.withSchema(DB_SCHEMA),
    provider,
    migrationTableSchema: DB_SCHEMA,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`agent-manager migration ${failed} failed`, { cause: error });
  }
}
