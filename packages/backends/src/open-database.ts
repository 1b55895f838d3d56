import { mkdirSync } from 'node:fs';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { createPgPool } from './postgres.js';

export interface OpenDatabaseOptions {
  /** Postgres; absent → PGlite under `<dataDir>/pg` (the embedded default). */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** A Postgres session ended under a pooled connection (logged; the query in flight fails). */
  onConnectionError: (error: Error) => void;
  /**
   * Run PGlite in a worker thread whose `entry` (a file calling servePgliteThread) is here,
   * instead of on the caller's thread (`execArgv`: the thread's Node flags, default this
   * process's); ignored with Postgres.
   */
  pgliteThread?: { entry: URL; execArgv?: string[] };
  /** Postgres settings for PGlite (`shared_buffers`…); ignored with Postgres. */
  pgliteSettings?: Record<string, string>;
  /**
   * Create a fresh PGlite cluster in a child process running `entry` (a file calling
   * servePgliteInit; see pglite-init.ts for why); absent → initdb runs in this process.
   */
  pgliteInit?: { entry: URL; execArgv?: string[] };
}

export interface OpenedDatabase<DB> {
  db: Kysely<DB>;
  /**
   * The same database for work that can wait (a service's background workers): on a threaded
   * PGlite its statements queue behind `db`'s; otherwise it is `db`. Closed with `db`.
   */
  background: Kysely<DB>;
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
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, background: db, kind: 'postgres' };
  }
  mkdirSync(options.dataDir, { recursive: true });
  if (options.pgliteInit !== undefined) {
    const { initPgliteInChild } = await import('./pglite-init.js');
    await initPgliteInChild({
      dataDir: `${options.dataDir}/pg`,
      settings: options.pgliteSettings,
      ...options.pgliteInit,
    });
  }
  // Loaded only on the embedded path: production never pays for the WASM Postgres.
  if (options.pgliteThread !== undefined) {
    const { openThreadedPglite } = await import('./threaded-pglite.js');
    const threaded = await openThreadedPglite({
      dataDir: `${options.dataDir}/pg`,
      settings: options.pgliteSettings,
      ...options.pgliteThread,
    });
    const on = (lane: 'foreground' | 'background') =>
      new Kysely<DB>({ dialect: new PGliteDialect({ pglite: threaded.lane(lane) }) });
    return { db: on('foreground'), background: on('background'), kind: 'pglite' };
  }
  const { createPgliteKysely, openPglite } = await import('./pglite.js');
  const pglite = await openPglite({
    dataDir: `${options.dataDir}/pg`,
    settings: options.pgliteSettings,
  });
  const db = createPgliteKysely<DB>(pglite);
  return { db, background: db, kind: 'pglite' };
}
