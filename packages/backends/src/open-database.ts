import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import { createPgPool } from './postgres.js';

export interface OpenDatabaseOptions {
  /** Postgres; absent → PGlite under `<dataDir>/pg` (the embedded default). */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** A Postgres session ended under a pooled connection (logged; the query in flight fails). */
  onConnectionError: (error: Error) => void;
}

export interface OpenedDatabase<DB> {
  db: Kysely<DB>;
  kind: 'postgres' | 'pglite';
}

/**
 * A service's database, chosen once at start: Postgres at `databaseUrl`, else PGlite on disk.
 * The caller migrates and scopes it (`withSchema`); `db.destroy()` closes either.
 */
export async function openDatabase<DB>(options: OpenDatabaseOptions): Promise<OpenedDatabase<DB>> {
  if (options.databaseUrl !== undefined) {
    const pool = createPgPool(
      { connectionString: options.databaseUrl, max: options.poolSize ?? 10 },
      options.onConnectionError,
    );
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
  }
  // Loaded only on the embedded path: production never pays for the WASM Postgres.
  const { createPgliteKysely, openPglite } = await import('./pglite.js');
  mkdirSync(options.dataDir, { recursive: true });
  const pglite = await openPglite({ dataDir: `${options.dataDir}/pg` });
  return { db: createPgliteKysely<DB>(pglite), kind: 'pglite' };
}
