import type { Redis } from 'ioredis';

export interface RateDecision {
  ok: boolean;
  /** Seconds until a retry can succeed (when !ok). */
  retryAfterS: number;
}

/** `limit` events per `windowMs`, sliding: shared by all replicas when backed by Redis. */
export interface RateLimiter {
  take(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/**
 * The sliding-window estimate (previous window weighted by how much of it still overlaps, plus
 * the current one): O(1) memory per key, at most a few % over the exact count at window edges.
 */
function decide(
  prev: number,
  curr: number,
  limit: number,
  windowMs: number,
  elapsed: number,
): RateDecision {
  const estimate = prev * (1 - elapsed / windowMs) + curr;
  if (estimate < limit) {
    return { ok: true, retryAfterS: 0 };
  }
  // When does the decaying previous window free a slot? If the current one is full alone,
  // only when it becomes the previous one and decays in turn.
  let waitMs: number;
  if (curr >= limit || prev === 0) {
    waitMs = windowMs - elapsed + windowMs * (1 - (limit - 1) / Math.max(curr, 1));
  } else {
    waitMs = windowMs * (1 - (limit - curr) / prev) - elapsed;
  }
  return { ok: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; prev: number; curr: number }>();
  return {
    async take(key, limit, windowMs) {
      const t = now();
      const start = t - (t % windowMs);
      let w = windows.get(key);
      if (w === undefined) {
        w = { start, prev: 0, curr: 0 };
        windows.set(key, w);
      } else if (w.start !== start) {
        w.prev = w.start === start - windowMs ? w.curr : 0;
        w.curr = 0;
        w.start = start;
      }
      const decision = decide(w.prev, w.curr, limit, windowMs, t - start);
      if (decision.ok) {
        w.curr++;
      }
      return decision;
    },
    async close() {},
  };
}

// Counts live in two keys per window; the script reads both and increments atomically.
const SCRIPT = `
local curr = tonumber(redis.call('GET', KEYS[1]) or '0')
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
if prev * (1 - elapsed / window) + curr < limit then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return {1, curr, prev}
end
return {0, curr, prev}
`;

export function createRedisRateLimiter(
  redis: Redis,
  prefix: string,
  now: () => number = Date.now,
): RateLimiter {
  return {
    async take(key, limit, windowMs) {
      const t = now();
      const start = t - (t % windowMs);
      const [allowed, curr, prev] = (await redis.eval(
        SCRIPT,
        2,
        `${prefix}rl:${key}:${start}`,
        `${prefix}rl:${key}:${start - windowMs}`,
        limit,
        windowMs,
        t - start,
      )) as [number, number, number];
      if (allowed === 1) {
        return { ok: true, retryAfterS: 0 };
      }
      return decide(prev, curr, limit, windowMs, t - start);
    },
    async close() {
      await redis.quit();
    },
  };
}
