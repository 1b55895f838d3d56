import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PGliteDialect } from 'kysely';

// Kysely 0.29 ships a PGlite dialect (kysely/dist/dialect/pglite). It already does what a
// hand-written one would: `query(sql, params, { rowMode: 'object' })`, a single connection
// serialised by Kysely's connection mutex, and transactions run inside `pglite.transaction()`
// so other users of the same instance cannot interleave statements into them. We re-export
// it rather than keep a second copy to maintain.
export { PGliteDialect };

export type EmbeddedPglite = PGlite;

export interface OpenPgliteOptions {
  /** Directory for the data files (e.g. `.data/pg`); in memory when omitted. */
  dataDir?: string;
  /** Start from a `dumpDataDir()` tarball, e.g. a migrated template. */
  loadDataDir?: Blob | File;
  /** Postgres settings (`-c name=value`) on top of PGlite's own start parameters. */
  settings?: Record<string, string>;
}

// PGlite parses int8 (count(*), bigserial ids) to a JS number, node-postgres to a string.
// The embedded default must return what production returns, so int8 stays a string here too.
const INT8_OID = 20;
const parsers = { [INT8_OID]: (value: string) => value };

/**
 * Opens PGlite with the pgvector extension loaded (still needs `CREATE EXTENSION vector`)
 * and node-postgres's int8-as-string parsing.
 */
export async function openPglite(options: OpenPgliteOptions = {}): Promise<EmbeddedPglite> {
  return PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    ...(options.settings === undefined ? {} : { startParams: startParams(options.settings) }),
    extensions: { vector },
    parsers,
  });
}

// PGlite replaces its defaults (single-user mode, fsync off, no parallel workers) with any
// startParams given, so settings are appended to them rather than passed alone.
function startParams(settings: Record<string, string>): string[] {
  const extra = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  return [...PGlite.defaultStartParams, ...extra];
}

/**
 * A Kysely over a PGlite instance. `db.destroy()` closes the instance.
 *
 * ```ts
 * const db = createPgliteKysely<Database>(await openPglite({ dataDir: '.data/pg' }));
 * ```
 */
export function createPgliteKysely<DB>(pglite: EmbeddedPglite): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
}
