import { DB_SCHEMA } from '../db/schema.js';

// The statements a worker runs on every step, as SQL text: built by Kysely per call they cost
// more CPU (building, the schema plugin, compiling) than the round trip (11% of a busy
// worker's time). Parameters are numbered; tables are in agent-manager's schema.

const t = (table: string) => `"${DB_SCHEMA}"."${table}"`;

/** `column` (jsonb usage) plus the usage in $a, $b, $c. */
const plusUsage = (column: string, a: number) => `jsonb_build_object(
  'input_tokens', coalesce((${column}->>'input_tokens')::bigint, 0) + $${a}::bigint,
  'output_tokens', coalesce((${column}->>'output_tokens')::bigint, 0) + $${a + 1}::bigint,
  'cache_hit_tokens', coalesce((${column}->>'cache_hit_tokens')::bigint, 0) + $${a + 2}::bigint)`;

/** $1 run, $2 attempt, $3 pending (JSON): the model's answer, before any tool runs. */
export const SAVE_PENDING = `UPDATE ${t('runs')} SET pending = $3::jsonb
WHERE id = $1 AND attempt = $2 AND status = 'running'`;

/**
 * $1 run, $2 attempt, $3-$5 usage, $6 step id, $7 status, $8 output, $9 messages, $10 tool
 * calls, $11 usage (JSON), $12 started at, $13 duration ms. One row back when the claim held.
 */
export const SAVE_STEP = `WITH r AS (
  UPDATE ${t('runs')} SET pending = NULL, usage = ${plusUsage('usage', 3)}
  WHERE id = $1 AND attempt = $2 AND status = 'running'
  RETURNING agent_id
), s AS (
  INSERT INTO ${t('steps')}
    (agent_id, step_id, run_id, status, output, messages, tool_calls, usage, started_at, duration_ms)
  SELECT r.agent_id, $6::int, $1, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::timestamptz, $13::int
  FROM r
  RETURNING agent_id
)
UPDATE ${t('agents')} SET step_count = $6::int, usage = ${plusUsage(`${t('agents')}.usage`, 3)},
  updated_at = now()
FROM s WHERE ${t('agents')}.id = s.agent_id
RETURNING ${t('agents')}.id`;

/** $1 agent, $2 call id, $3 tool, $4 output (JSON or null), $5 error (JSON or null), $6 ms. */
export const RECORD_TOOL_RESULT = `INSERT INTO ${t('tool_results')}
  (agent_id, tool_call_id, tool, output, error, duration_ms)
VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::int)
ON CONFLICT (agent_id, tool_call_id) DO NOTHING`;
