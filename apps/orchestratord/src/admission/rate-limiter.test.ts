import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limiter.js';

describe('memory rate limiter', () => {
  it('admits up to the limit per window, then refuses with a retry hint', async () => {
    let t = 60_000 * 10;
    const limiter = createMemoryRateLimiter(() => t);
    for (let i = 0; i < 5; i++) {
      expect((await limiter.take('p', 5, 60_000)).ok).toBe(true);
    }
    const refused = await limiter.take('p', 5, 60_000);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterS).toBeLessThanOrEqual(120);
    expect((await limiter.take('other', 5, 60_000)).ok).toBe(true);
    // Half a window later the previous window still weighs 2.5 of 5: three more fit, not five.
    t += 90_000;
    let admitted = 0;
    for (let i = 0; i < 5; i++) {
      admitted += (await limiter.take('p', 5, 60_000)).ok ? 1 : 0;
    }
    expect(admitted).toBe(3);
    // Two windows later everything has decayed.
    t += 120_000;
    expect((await limiter.take('p', 5, 60_000)).ok).toBe(true);
  });
});
