import { createPgPool } from '@agentplane/backends/postgres';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { ToolError } from './agent-tool.js';
import {
  type ReadOnlySql,
  readOnlyQuery,
  type SqlLimits,
  type SqlResult,
  type SqlSession,
  toToolError,
} from './read-only-query.js';

export type { ReadOnlySql } from './read-only-query.js';

/** A ReadOnlySql that owns a connection pool: close it on shutdown. */
export interface ClosableSql extends ReadOnlySql {
  close(): Promise<void>;
}

export type SqlRunnerOptions<DB> = {
  /** The role every statement runs as (SET LOCAL ROLE), e.g. DB_QUERY_ROLE. */
  role?: string;
} & (
  | {
      /** A Postgres URL; a pool of its own is opened (best: a role with SELECT grants only). */
      url: string;
      poolSize?: number;
      onConnectionError?: (error: Error) => void;
    }
  | {
      /** An existing Kysely (the embedded PGlite); not closed by `close()`. */
      kysely: Kysely<DB>;
    }
);

function pgSession(client: pg.PoolClient): SqlSession {
  return {
    async query(text, params) {
      // queryMode 'extended': Postgres then refuses a string with several statements, even
      // without parameters (the simple protocol would run them all).
      const result = await client.query({
        text,
        values: params === undefined ? [] : [...params],
        rowMode: 'array',
        queryMode: 'extended',
      } as pg.QueryConfig & { queryMode: 'extended' });
      return {
        columns: (result.fields ?? []).map((f) => f.name),
        rows: result.rows as unknown[][],
      };
    },
  };
}

function kyselySession<DB>(db: Kysely<DB>): SqlSession {
  return {
    async query(text, params) {
      // PGlite's query() is the extended protocol too. The dialect returns rows as objects, so
      // the columns are the first row's keys (two columns with one name collapse into one).
      const result = await db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(text, params === undefined ? [] : [...params]),
      );
      const columns = result.rows[0] === undefined ? [] : Object.keys(result.rows[0]);
      return { columns, rows: result.rows.map((row) => columns.map((c) => row[c])) };
    },
  };
}

/** Thrown to end a Kysely transaction by rolling it back, carrying what it computed. */
class RolledBack {
  constructor(readonly result: SqlResult) {}
}

/**
 * The read-only exchange inside a Kysely transaction: on PGlite that is the one way to keep
 * other users of the instance (the service's own checkpoints) from running their statements
 * inside ours, where they would meet READ ONLY or be rolled back with it. The exchange makes
 * Kysely's transaction read-only; the rollback is Kysely's.
 */
function inOwnTransaction<DB>(
  db: Kysely<DB>,
  sql: string,
  params: readonly unknown[],
  limits: SqlLimits,
  role: string | undefined,
): Promise<SqlResult> {
  return db
    .transaction()
    .execute(async (tx) => {
      const session = { ...kyselySession(tx), inTransaction: true };
      throw new RolledBack(await readOnlyQuery(session, sql, params, limits, role));
    })
    .catch((outcome: unknown) => {
      if (outcome instanceof RolledBack) {
        return outcome.result;
      }
      throw outcome;
    });
}

/**
 * db.query's database: node-postgres from a URL (every session defaults to read-only as well)
 * or an existing Kysely, e.g. the embedded PGlite. Both run one statement per call under the
 * same read-only protocol (read-only-query.ts).
 */
export function createSqlRunner<DB>(options: SqlRunnerOptions<DB>): ClosableSql {
  if ('kysely' in options) {
    const db = options.kysely;
    return {
      query: (sql, params, limits) => inOwnTransaction(db, sql, params, limits, options.role),
      async close() {},
    };
  }
  const pool = createPgPool(
    {
      connectionString: options.url,
      max: options.poolSize ?? 4,
      application_name: 'agent-manager-db-query',
      options: '-c default_transaction_read_only=on',
    },
    options.onConnectionError ?? (() => {}),
  );
  return {
    async query(sql, params, limits) {
      const client = await pool.connect().catch((err: unknown) => {
        throw new ToolError('UPSTREAM_ERROR', `db.query cannot connect: ${(err as Error).message}`);
      });
      let broken = false;
      try {
        return await readOnlyQuery(pgSession(client), sql, params, limits, options.role);
      } catch (err) {
        // Cancelled mid-statement: the connection may still be busy; drop it from the pool.
        broken = limits.signal?.aborted === true;
        throw broken ? err : toToolError(err);
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
