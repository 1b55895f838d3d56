import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * Migrations and test schemas are untyped by design (kysely's own migration docs take
 * `Kysely<any>`): a repository test casts to its `Database` type where it wants types.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; the one place `any` is allowed here.
export type AnyKysely = Kysely<any>;

/** What a test database is built from: the migrations and a stable identity for them. */
export interface PgSchema {
  /**
   * Identity of the migration set, e.g. `'orchestratord'` plus the migration names. Part of
   * the template's name, so changing the migrations must change the key (list every
   * migration name and the template is rebuilt whenever one is added).
   */
  key: string | readonly string[];
  /** Brings an empty database up to date; run once per template, not per test file. */
  migrate: (db: AnyKysely) => Promise<void>;
}

export type DbVariantName = 'postgres' | 'pglite';

/** One isolated database for a test file. */
export interface PgTestDatabase {
  readonly variant: DbVariantName;
  /** `t_<16 hex>` on a server; `pglite_<16 hex>` for an in-memory PGlite. */
  readonly name: string;
  /** Connection string of this database; undefined for PGlite, which has none. */
  readonly url: string | undefined;
  readonly db: AnyKysely;
  /** Destroys the Kysely and drops the database (server) or closes the instance (PGlite). */
  close(): Promise<void>;
}

/** A schema with no migrations, for tests that only need a database. */
export const EMPTY_SCHEMA: PgSchema = { key: 'empty', migrate: async () => {} };

export function schemaHash(key: PgSchema['key']): string {
  const text = typeof key === 'string' ? key : JSON.stringify(key);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
