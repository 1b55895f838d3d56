import { randomBytes } from 'node:crypto';
import { probeRedis, requireService } from '@agentplane/testkit';
import { describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from './rate-limiter.js';

// The Redis limiter is what several orchestrator replicas share: two limiters on one Redis
// draw from one budget.

describe('redis rate limiter', () => {
  it('shares one sliding window across replicas and hints when to retry', async (ctx) => {
    const redis = requireService(await probeRedis(process.env.REDIS_URL), ctx);
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const t = 60_000 * 1000;
    const replicaA = createRedisRateLimiter(redis, prefix, () => t);
    const replicaB = createRedisRateLimiter(redis, prefix, () => t + 10);
    try {
      const decisions = [];
      for (let i = 0; i < 6; i++) {
        decisions.push(await (i % 2 === 0 ? replicaA : replicaB).take('p', 4, 60_000));
      }
      expect(decisions.map((d) => d.ok)).toEqual([true, true, true, true, false, false]);
      expect(decisions[4]?.retryAfterS).toBeGreaterThanOrEqual(1);
      // Keys expire on their own: nothing accumulates in Redis.
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBe(1);
      expect(await redis.pttl(keys[0] ?? '')).toBeGreaterThan(0);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) {
        await redis.del(...keys);
      }
      await redis.quit();
    }
  });
});
