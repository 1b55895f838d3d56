import { type AgentTool, builtinDefinition } from './agent-tool.js';
import type { ReadOnlySql } from './read-only-query.js';

export interface DbQueryLimits {
  /** statement_timeout of the statement. */
  timeoutMs: number;
  /** Rows returned at most (`truncated` says there were more). */
  maxRows: number;
}

/** `db.query`: one read-only SQL statement through `sql`. */
export function dbQueryTool(sql: ReadOnlySql, limits: DbQueryLimits): AgentTool {
  return {
    capability: 'db',
    sideEffecting: false,
    definition: builtinDefinition({
      name: 'db.query',
      description:
        'Runs one read-only SQL statement (PostgreSQL) and returns columns and rows. Use $1, $2… ' +
        'placeholders with `params`. Writes are refused.',
      input_schema: {
        type: 'object',
        properties: {
          sql: { type: 'string', minLength: 1, maxLength: 100_000 },
          params: {
            type: 'array',
            maxItems: 100,
            items: { type: ['string', 'number', 'boolean', 'null'] },
            default: [],
          },
        },
        required: ['sql'],
        additionalProperties: false,
      },
      // The statement_timeout ends the statement first; this bounds connecting as well.
      timeout_ms: limits.timeoutMs + 5_000,
    }),
    async run(input, ctx) {
      const params = Array.isArray(input.params) ? input.params : [];
      return sql.query(String(input.sql), params, { ...limits, signal: ctx.signal });
    },
  };
}
