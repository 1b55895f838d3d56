import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

describe('keyed mutex', () => {
  it('runs operations on one key one at a time, in order, across failures', async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const op = (name: string, fail = false) =>
      mutex.run('a', async () => {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name}:end`);
        if (fail) {
          throw new Error(name);
        }
        return name;
      });
    const results = await Promise.allSettled([op('1'), op('2', true), op('3')]);
    expect(log).toEqual(['1:start', '1:end', '2:start', '2:end', '3:start', '3:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(mutex.busy('a')).toBe(false);
  });

  it('lets different keys run concurrently', async () => {
    const mutex = createKeyedMutex();
    let inFlight = 0;
    let peak = 0;
    const op = (key: string) =>
      mutex.run(key, async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      });
    await Promise.all([op('a'), op('b'), op('c')]);
    expect(peak).toBe(3);
  });
});
