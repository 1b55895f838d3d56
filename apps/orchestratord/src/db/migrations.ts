import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { DB_SCHEMA, WARM_PRODUCT_ID } from './schema.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations are untyped by design (kysely's docs).
type AnyDb = Kysely<any>;

const migrations: Record<string, Migration> = {
  '001-fleet': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('products')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('policy', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('engines')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('product_id', 'uuid', (c) =>
          c.notNull().references('products.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('pool', 'text', (c) => c.notNull())
        .addColumn('host_port', 'integer', (c) => c.notNull())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('key_enc', 'text', (c) => c.notNull())
        .addColumn('prev_key_hash', 'text')
        .addColumn('prev_key_expires_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('last_health_at', 'timestamptz')
        .addColumn('last_admit_at', 'timestamptz')
        .addColumn('health_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('restart_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('restart_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_restart_at', 'timestamptz')
        .addColumn('boot_ms', 'double precision')
        // One engine per user of a product, and one engine per port of a pool: the database,
        // not a lock in our memory, is what makes concurrent provisions end in one engine.
        .addUniqueConstraint('engines_product_user', ['product_id', 'user_id'])
        .addUniqueConstraint('engines_pool_port', ['pool', 'host_port'])
        .execute();
      await db.schema
        .createIndex('engines_product_created')
        .on('engines')
        .columns(['product_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // No foreign keys: the log is append-only and outlives the engines it describes.
        .addColumn('product_id', 'uuid')
        .addColumn('engine_id', 'uuid')
        .addColumn('user_id', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision')
        .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .execute();
      await db.schema
        .createIndex('audit_product_id')
        .on('audit_log')
        .columns(['product_id', 'id'])
        .execute();
      await db.schema.createIndex('audit_at').on('audit_log').column('at').execute();
    },
  },
  '002-warm-pool': {
    async up(db: AnyDb) {
      // The warm pool's engines belong to this product until a provision claims one. Its key
      // hash is not hex, so no platform key can ever hash to it.
      await db
        .insertInto('products')
        .values({
          id: WARM_PRODUCT_ID,
          slug: '_warm-pool',
          display_name: 'Warm pool (engines booted ahead of provisions)',
          key_hash: '!no-platform-key',
          policy: '{}',
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  },
  '003-audit-transitions': {
    async up(db: AnyDb) {
      // The state machine writes both ends of each status change with its audit row, so a
      // trail can be checked against the transition table (null: no status changed).
      await db.schema
        .alterTable('audit_log')
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .execute();
    },
  },
  '004-task-queue': {
    async up(db: AnyDb) {
      // The /v1 data plane's queue: one row per task, its events in order, and sessions. The
      // queue lives here (not in Redis) so admission, dispatch and cancel are transactions with
      // the fleet's own rows, and a replica's crash loses nothing that was admitted.
      await db.schema
        .createTable('tasks')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('product_id', 'uuid', (c) =>
          c.notNull().references('products.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('session_id', 'uuid', (c) => c.notNull())
        .addColumn('pool', 'text', (c) => c.notNull())
        .addColumn('rank', 'smallint', (c) => c.notNull())
        .addColumn('queue_seq', 'bigserial', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('request', 'jsonb', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('correlation_id', 'text', (c) => c.notNull())
        .addColumn('enqueued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('started_at', 'timestamptz')
        .addColumn('finished_at', 'timestamptz')
        .addColumn('claimed_by', 'text')
        .addColumn('heartbeat_at', 'timestamptz')
        .addColumn('cancel_requested_at', 'timestamptz')
        .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('engine_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tokens_out', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('tasks_queue')
        .on('tasks')
        .columns(['pool', 'status', 'rank', 'queue_seq'])
        .execute();
      await db.schema
        .createTable('task_events')
        .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('data', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('task_events_pk', ['task_id', 'seq'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('product_id', 'uuid', (c) =>
          c.notNull().references('products.id').onDelete('cascade'),
        )
        .addColumn('id', 'uuid', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('turns', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tokens_used', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('sessions_pk', ['product_id', 'id'])
        .execute();
      // A pool's drain (shared by the replicas): no admission, no dispatch, then at the deadline
      // the in-flight tasks are cancelled. No row: admitting.
      await db.schema
        .createTable('pool_drains')
        .addColumn('pool', 'text', (c) => c.primaryKey())
        .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expired', 'boolean', (c) => c.notNull().defaultTo(false))
        .execute();
    },
  },
  '005-catalog': {
    async up(db: AnyDb) {
      // llama-orch's catalog: one row per engine image (id = what a task names as model_ref).
      // `image` is what engines run (source_url, else the digest); the provision check looks
      // entries up by it.
      await db.schema
        .createTable('catalog_models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('engine', 'text', (c) => c.notNull())
        .addColumn('image', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('model', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('verified_at', 'timestamptz')
        .execute();
      await db.schema
        .createIndex('catalog_models_image')
        .on('catalog_models')
        .column('image')
        .execute();
    },
  },
};

export const MIGRATION_NAMES = Object.keys(migrations);

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Creates the schema and brings it up to date; safe to run from several replicas at once. */
export async function migrate(db: AnyDb): Promise<void> {
  await sql`create schema if not exists ${sql.id(DB_SCHEMA)}`.execute(db);
  const migrator = new Migrator({
    db: db.withSchema(DB_SCHEMA),
    provider,
    migrationTableSchema: DB_SCHEMA,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`orchestratord migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
