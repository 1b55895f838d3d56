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
  /** A Postgres session ended under a pooled connection (logged; the query in flight fails). */
  onConnectionError: (error: Error) => void;
}

export interface FleetDb {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

// int8 (bigserial ids, count(*)) as string, timestamptz as Date: node-postgres's defaults, kept
// explicit so PGlite (testkit's dialect) and pg agree.

/** Connects, runs the migrations, and returns a Kysely scoped to orchestratord's schema. */
export async function openFleetDb(options: OpenDbOptions): Promise<FleetDb> {
  let root: Kysely<Database>;
  let kind: FleetDb['kind'];
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
    await migrate(root);
  } catch (error) {
    await root.destroy();
    throw error;
  }
  return { db: root.withSchema(DB_SCHEMA), kind, close: () => root.destroy() };
}
