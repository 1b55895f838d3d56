import { mkdirSync } from 'node:fs';
import { createPgPool } from '@agentplane/backends/postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { migrate } from './migrations.js';
import { type Database, DB_SCHEMA } from './schema.js';

export interface OpenDbOptions {
  /** Postgres; absent → PGlite under `dataDir` (the embedded default). */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Run the migrations (the API process does; workers connect to a migrated database). */
  migrate: boolean;
  /** A Postgres session ended under a pooled connection (logged; the query in flight fails). */
  onConnectionError: (error: Error) => void;
}

export interface AgentDb {
  db: Kysely<Database>;
  /** The unscoped connection (the db.query tool reads the embedded database through it). */
  root: Kysely<unknown>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Connects (and migrates), returning a Kysely scoped to agent-manager's schema. */
export async function openAgentDb(options: OpenDbOptions): Promise<AgentDb> {
  let root: Kysely<Database>;
  let kind: AgentDb['kind'];
  if (options.databaseUrl !== undefined) {
    const pool = createPgPool(
      { connectionString: options.databaseUrl, max: options.poolSize ?? 10 },
      options.onConnectionError,
    );
    root = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    // Loaded only on the embedded path: production never pays for the WASM Postgres.
    const { createPgliteKysely, openPglite } = await import('@agentplane/backends/pglite');
    mkdirSync(options.dataDir, { recursive: true });
    root = createPgliteKysely<Database>(await openPglite({ dataDir: `${options.dataDir}/pg` }));
    kind = 'pglite';
  }
  try {
    if (options.migrate) {
      await migrate(root);
    }
  } catch (error) {
    await root.destroy();
    throw error;
  }
  return {
    db: root.withSchema(DB_SCHEMA),
    root: root as Kysely<unknown>,
    kind,
    close: () => root.destroy(),
  };
}
