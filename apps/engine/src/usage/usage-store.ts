import type { DatabaseSync } from 'node:sqlite';
import type { CacheState, GatewayConfig, QuotaState } from '@agentplane/contracts';

/** One LLM call's token counts (what the `usage` SSE event carries), recorded by /execute. */
export interface UsageRecord {
  task_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** The part of input_tokens served from the provider's prompt cache. */
  cache_hit_tokens: number;
  /** Defaults to now. */
  at?: Date;
}

/**
 * Per-call usage in the brain (table llm_usage) and the aggregates /rpc telemetry reports.
 *
 * @example
 * const usage = createUsageStore(brain.db);
 * usage.record({ task_id, model, input_tokens: 1200, output_tokens: 80, cache_hit_tokens: 1024 });
 * usage.quotaState(config.quotas).tokens_used; // today's input + output tokens
 */
export interface UsageStore {
  /** Returns the row id. */
  record(usage: UsageRecord): number;
  /**
   * Tokens (input + output) used in the current UTC day, and model calls in the last 60 s: the
   * rate the gateway's requests_per_minute limits is model requests, one usage row each.
   */
  quotaState(quotas: GatewayConfig['quotas'], now?: Date): QuotaState;
  /** Hit ratio = cache_hit_tokens / input_tokens over every recorded call. */
  cacheState(promptCache: GatewayConfig['prompt_cache'], now?: Date): CacheState;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function createUsageStore(db: DatabaseSync): UsageStore {
  const insert = db.prepare(
    `INSERT INTO llm_usage (task_id, model, input_tokens, output_tokens, cache_hit_tokens, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const tokensSince = db.prepare(
    'SELECT coalesce(sum(input_tokens + output_tokens), 0) AS n FROM llm_usage WHERE created_at >= ?',
  );
  const callsSince = db.prepare('SELECT count(*) AS n FROM llm_usage WHERE created_at > ?');
  const cacheTotals = db.prepare(
    `SELECT count(*) AS calls, coalesce(sum(input_tokens), 0) AS input,
            coalesce(sum(cache_hit_tokens), 0) AS hits, min(created_at) AS first
     FROM llm_usage`,
  );
  return {
    record(u) {
      const at = (u.at ?? new Date()).getTime();
      const row = insert.run(
        u.task_id,
        u.model,
        u.input_tokens,
        u.output_tokens,
        u.cache_hit_tokens,
        at,
      );
      return Number(row.lastInsertRowid);
    },
    quotaState(quotas, now = new Date()) {
      const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
      const used = tokensSince.get(dayStart);
      const recent = callsSince.get(now.getTime() - MINUTE_MS);
      return {
        day: new Date(dayStart).toISOString().slice(0, 10),
        tokens_used: Number(used?.n ?? 0),
        tokens_per_day: quotas.tokens_per_day,
        requests_last_minute: Number(recent?.n ?? 0),
        requests_per_minute: quotas.requests_per_minute,
        resets_at: new Date(dayStart + DAY_MS).toISOString(),
      };
    },
    cacheState(promptCache, now = new Date()) {
      const row = cacheTotals.get();
      const input = Number(row?.input ?? 0);
      const hits = Number(row?.hits ?? 0);
      const first = row?.first;
      return {
        enabled: promptCache.enabled,
        calls: Number(row?.calls ?? 0),
        input_tokens: input,
        cache_hit_tokens: hits,
        // Clamped: a provider reporting more cached than input tokens must not break the schema.
        hit_ratio: input === 0 ? 0 : Math.min(1, hits / input),
        since: new Date(typeof first === 'number' ? first : now.getTime()).toISOString(),
      };
    },
  };
}
