import { describe, expect, it } from 'vitest';
import { createBatcher } from './batch.js';

describe('createBatcher', () => {
  it('runs the calls of one turn as one batch, in order, and later calls in another', async () => {
    const batches: number[][] = [];
    const load = createBatcher(async (keys: number[]) => {
      batches.push(keys);
      return keys.map((k) => k * 10);
    });
    expect(await Promise.all([load(1), load(2), load(3)])).toEqual([10, 20, 30]);
    expect(await load(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('splits at maxBatch', async () => {
    const batches: number[][] = [];
    const load = createBatcher(async (keys: number[]) => {
      batches.push(keys);
      return keys;
    }, 2);
    expect(await Promise.all([load(1), load(2), load(3)])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('fails every call of a failed batch, and only those', async () => {
    let fail = true;
    const load = createBatcher(async (keys: string[]) => {
      if (fail) {
        throw new Error('db down');
      }
      return keys;
    });
    const results = await Promise.allSettled([load('a'), load('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await load('c')).toBe('c');
  });
});
