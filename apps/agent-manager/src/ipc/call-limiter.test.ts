import { describe, expect, it } from 'vitest';
import { createCallLimiter } from './call-limiter.js';

describe('createCallLimiter', () => {
  it('runs at most `limit` calls of all wrapped objects at once, the rest in order', async () => {
    const limiter = createCallLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const slow = {
      async run(n: number) {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        order.push(n);
        return n * 2;
      },
    };
    const a = limiter.wrap(slow);
    const b = limiter.wrap(slow);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => (n % 2 ? a : b).run(n)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(limiter.waiting()).toBe(0);
  });

  it('frees the slot of a call that throws, and keeps its error', async () => {
    const limiter = createCallLimiter(1);
    const impl = limiter.wrap({
      async fail(): Promise<never> {
        throw new Error('boom');
      },
      async ok() {
        return 'ok';
      },
    });
    await expect(impl.fail()).rejects.toThrow('boom');
    expect(await impl.ok()).toBe('ok');
  });
});
