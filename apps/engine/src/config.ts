import { baseServiceConfig, IntEnv, parseConfig } from '@agentplane/http-kit';
import { z } from 'zod';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 (64 chars)');

// Configuration only from the environment (seeds/engine-contract.md).
export const ConfigSchema = z.object({
  ...baseServiceConfig({ defaultPort: 8000 }),
  /** SHA-256 of the engine key; /execute and /rpc need a matching X-Engine-Key. */
  ENGINE_KEY_HASH: Sha256Hex.optional(),
  /** The brain (SQLite, WAL); default /data/brain.sqlite, a volume in containers. */
  SQLITE_DB_PATH: z.string().min(1).default('/data/brain.sqlite'),
  /** The read-only catalog: agents, skills, tools, core_soul.json; default /catalog. */
  CATALOG_DIR: z.string().min(1).default('/catalog'),
  /** Gateway config (model routing, quotas, tool allowlist); default /config/gateway.yaml. */
  GATEWAY_CONFIG_PATH: z.string().min(1).default('/config/gateway.yaml'),
  // The LLM, chosen once at start (agent-loop selectLlm; first match wins, none = the mock model).
  /** Any OpenAI-compatible endpoint, with LLM_API_KEY (may be empty for local servers). */
  LLM_BASE_URL: z.string().optional(),
  LLM_API_KEY: z.string().optional(),
  /** Vendor keys: their OpenAI-compatible endpoints. */
  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  GEMINI_API_KEY: z.string().optional(),
  /** Seconds a finished turn's events stay replayable (GET /execute/replay); default 300. */
  ENGINE_REPLAY_TTL_S: IntEnv.pipe(z.number().int().min(0).max(86_400)).default(300),
  /** Finished turns kept for replay at most (oldest dropped first); default 500. */
  ENGINE_REPLAY_MAX_RUNS: IntEnv.pipe(z.number().int().min(1).max(100_000)).default(500),
  /**
   * Events one turn may stream (and keep for replay) before it ends with thread.errored
   * EVENT_LIMIT, its output so far stored: a runaway model cannot fill the engine's memory.
   */
  ENGINE_MAX_EVENTS_PER_TURN: IntEnv.pipe(z.number().int().min(10).max(10_000_000)).default(
    100_000,
  ),
  /** Interval of the `heartbeat` event in a running turn's stream, in ms; default 15000. */
  ENGINE_HEARTBEAT_MS: IntEnv.pipe(z.number().int().min(10).max(600_000)).default(15_000),
  /** How long a tool call waits for a human's approval before it expires, in s; default 900. */
  ENGINE_HITL_TTL_S: IntEnv.pipe(
    z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600),
  ).default(900),
});
export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(ConfigSchema, env);
}
