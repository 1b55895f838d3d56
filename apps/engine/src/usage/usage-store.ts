import type { DatabaseSync } from 'node:sqlite';
import type { CacheState, GatewayConfig, QuotaState } from '@agentplane/contracts/engine';

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
 * The store is the table's only writer (one per brain, made at start): quotaState reads the
 * table once, then counts what record() adds, so a row inserted by anything else is not seen
 * until the next day (or an earlier `now`) makes it read the table again.
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

/**
 * What quotaState reports, kept in memory: summing today's rows on every /execute is a range
 * scan that grows all day, and even a one-row query costs a read transaction on a brain whose
 * WAL just changed (both were measurable on every request's path to its first event).
 */
interface QuotaMirror {
  dayStart: number;
  /** input + output tokens of the rows with created_at >= dayStart. */
  tokens: number;
  /** created_at of the rows after `asOf - 60 s`, ascending (from index `head` on). */
  calls: number[];
  head: number;
  /** The latest `now` it answered for; an earlier one is read from the table instead. */
  asOf: number;
}

export function createUsageStore(db: DatabaseSync): UsageStore {
  const insert = db.prepare(
    `INSERT INTO llm_usage (task_id, model, input_tokens, output_tokens, cache_hit_tokens, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const tokensSince = db.prepare(
    'SELECT coalesce(sum(input_tokens + output_tokens), 0) AS n FROM llm_usage WHERE created_at >= ?',
  );
  const callTimesSince = db.prepare(
    'SELECT created_at AS at FROM llm_usage WHERE created_at > ? ORDER BY created_at',
  );
  const cacheTotals = db.prepare(
    `SELECT count(*) AS calls, coalesce(sum(input_tokens), 0) AS input,
            coalesce(sum(cache_hit_tokens), 0) AS hits, min(created_at) AS first
     FROM llm_usage`,
  );
  let mirror: QuotaMirror | undefined;

  const readMirror = (now: number, dayStart: number): QuotaMirror => ({
    dayStart,
    tokens: Number(tokensSince.get(dayStart)?.n ?? 0),
    calls: callTimesSince.all(now - MINUTE_MS).map((row) => Number(row.at)),
    head: 0,
    asOf: now,
  });

  const dropOldCalls = (m: QuotaMirror, now: number) => {
    while (m.head < m.calls.length && (m.calls[m.head] as number) <= now - MINUTE_MS) {
      m.head += 1;
    }
    if (m.head > 1024) {
      m.calls = m.calls.slice(m.head);
      m.head = 0;
    }
  };

  const count = (m: QuotaMirror, at: number, tokens: number) => {
    if (at >= m.dayStart) {
      m.tokens += tokens;
    }
    if (at > m.asOf - MINUTE_MS) {
      let i = m.calls.length;
      while (i > m.head && (m.calls[i - 1] as number) > at) {
        i -= 1;
      }
      m.calls.splice(i, 0, at);
    }
  };

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
      if (mirror !== undefined) {
        count(mirror, at, u.input_tokens + u.output_tokens);
      }
      return Number(row.lastInsertRowid);
    },
    quotaState(quotas, now = new Date()) {
      const t = now.getTime();
      const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
      if (mirror === undefined || mirror.dayStart !== dayStart || t < mirror.asOf) {
        mirror = readMirror(t, dayStart);
      } else {
        mirror.asOf = t;
        dropOldCalls(mirror, t);
      }
      return {
        day: new Date(dayStart).toISOString().slice(0, 10),
        tokens_used: mirror.tokens,
        tokens_per_day: quotas.tokens_per_day,
        requests_last_minute: mirror.calls.length - mirror.head,
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
