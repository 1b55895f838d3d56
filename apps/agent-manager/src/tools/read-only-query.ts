import { ToolError } from './agent-tool.js';

/** What db.query returns: column names and rows as arrays in that order. */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
  /** More rows than `maxRows` were there; only the first `maxRows` are returned. */
  truncated: boolean;
}

export interface SqlLimits {
  /** Postgres `statement_timeout` for the statement (SET LOCAL). */
  timeoutMs: number;
  maxRows: number;
  signal?: AbortSignal;
}

/**
 * A database that answers one read-only statement at a time.
 *
 * ```ts
 * const sql = createSqlRunner({ url: 'postgres://reader@db/app' });
 * const { columns, rows, truncated } = await sql.query('SELECT * FROM t WHERE id = $1', [7], {
 *   timeoutMs: 5000, maxRows: 100, signal });
 * ```
 * Refusals are ToolErrors: READ_ONLY (a write, SQLSTATE 25006), MULTIPLE_STATEMENTS, TIMEOUT
 * (57014), INVALID_INPUT (the statement's own error), UPSTREAM_ERROR (the database's failure).
 */
export interface ReadOnlySql {
  query(sql: string, params: readonly unknown[], limits: SqlLimits): Promise<SqlResult>;
}

/** One connection, held for the whole exchange; `query` always uses the extended protocol. */
export interface SqlSession {
  /**
   * The caller holds a transaction open around the exchange (and rolls it back): the exchange
   * then makes it read-only instead of beginning and ending one itself.
   */
  inTransaction?: boolean;
  query(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ columns: string[]; rows: unknown[][] }>;
}

// The extended protocol refuses a string holding several statements; Postgres says so with
// this message (SQLSTATE 42601, shared with plain syntax errors).
const MULTIPLE = /cannot insert multiple commands into a prepared statement/i;
// Statements a READ ONLY transaction still lets through that act outside the database.
const REFUSED_FIRST_WORD = /^(copy|call|do)\b/i;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The statement without leading comments and trailing semicolons; refused when it is none. */
function prepare(sql: string): string {
  const text = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '').replace(/[\s;]+$/, '');
  if (text === '') {
    throw new ToolError('INVALID_INPUT', 'empty SQL statement');
  }
  if (REFUSED_FIRST_WORD.test(text)) {
    throw new ToolError(
      'READ_ONLY',
      'db.query runs SELECT-like statements only (no COPY, CALL or DO)',
    );
  }
  return text;
}

/** A database error as the tool's error. */
export function toToolError(err: unknown): ToolError {
  if (err instanceof ToolError) {
    return err;
  }
  const state = sqlState(err);
  const message = err instanceof Error ? err.message : String(err);
  const details = state === undefined ? undefined : { sqlstate: state };
  if (state === '25006') {
    return new ToolError('READ_ONLY', `db.query is read-only: ${message}`, details, { cause: err });
  }
  if (state === '57014') {
    return new ToolError('TIMEOUT', `db.query: ${message}`, details, { cause: err });
  }
  if (state === '42601' && MULTIPLE.test(message)) {
    return new ToolError(
      'MULTIPLE_STATEMENTS',
      'db.query runs exactly one SQL statement',
      details,
      {
        cause: err,
      },
    );
  }
  // Classes 22 (data), 42 (syntax, undefined table…), 0A (not supported): the statement's fault.
  if (state !== undefined && /^(22|42|0A)/.test(state)) {
    return new ToolError('INVALID_INPUT', `db.query: ${message}`, details, { cause: err });
  }
  return new ToolError('UPSTREAM_ERROR', `db.query failed: ${message}`, details, { cause: err });
}

/** DECLARE refuses what is not a query (INSERT, SHOW, data-modifying WITH): run it as is then. */
function notCursorable(err: unknown): boolean {
  const state = sqlState(err);
  const message = err instanceof Error ? err.message : '';
  return (state === '42601' && !MULTIPLE.test(message)) || state === '0A000';
}

/**
 * The protocol both runners share: a READ ONLY transaction with a statement_timeout, the
 * statement behind a cursor so at most maxRows + 1 rows ever leave the database, always rolled
 * back. A statement DECLARE refuses runs as is inside a savepoint, so a write still meets the
 * read-only transaction (25006) and `SHOW`/`EXPLAIN` still work.
 */
export async function readOnlyQuery(
  session: SqlSession,
  sql: string,
  params: readonly unknown[],
  limits: SqlLimits,
  role?: string,
): Promise<SqlResult> {
  const statement = prepare(sql);
  const timeoutMs = Math.max(1, Math.floor(limits.timeoutMs));
  const maxRows = Math.max(0, Math.floor(limits.maxRows));
  limits.signal?.throwIfAborted();
  await session.query(
    session.inTransaction ? 'SET TRANSACTION READ ONLY' : 'BEGIN TRANSACTION READ ONLY',
  );
  try {
    await session.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
    if (role !== undefined) {
      // A role name from our config, never from the caller; quoted as an identifier.
      await session.query(`SET LOCAL ROLE "${role.replaceAll('"', '""')}"`);
    }
    await session.query('SAVEPOINT db_query');
    let result: { columns: string[]; rows: unknown[][] };
    try {
      await session.query(`DECLARE db_query_cursor NO SCROLL CURSOR FOR ${statement}`, params);
      limits.signal?.throwIfAborted();
      result = await session.query(`FETCH FORWARD ${maxRows + 1} FROM db_query_cursor`);
    } catch (err) {
      if (!notCursorable(err)) {
        throw err;
      }
      await session.query('ROLLBACK TO SAVEPOINT db_query');
      result = await session.query(statement, params);
    }
    return {
      columns: result.columns,
      rows: result.rows.slice(0, maxRows),
      truncated: result.rows.length > maxRows,
    };
  } catch (err) {
    if (limits.signal?.aborted) {
      throw limits.signal.reason;
    }
    throw toToolError(err);
  } finally {
    if (!session.inTransaction) {
      await session.query('ROLLBACK').catch(() => {});
    }
  }
}
