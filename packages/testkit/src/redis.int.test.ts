import { describe, expect } from 'vitest';
import { test } from './fixtures.js';
import { deleteKeysWithPrefix } from './redis.js';

// Sequential tests in one file: the second one checks what the first one left behind.
const seenPrefixes: string[] = [];

describe('redis fixture', () => {
  test('gives a client and a fresh prefix', async ({ redis }) => {
    expect(redis.prefix).toMatch(/^t:[0-9a-f]{16}:$/);
    expect(redis.key('jobs')).toBe(`${redis.prefix}jobs`);
    seenPrefixes.push(redis.prefix);
    await redis.client.set(redis.key('a'), '1');
    await redis.client.hset(redis.key('h'), 'f', 'v');
    await redis.client.rpush(redis.key('list'), 'x', 'y');
    expect(await redis.client.get(redis.key('a'))).toBe('1');
  });

  test('gives another test another prefix, and the last one was cleaned', async ({ redis }) => {
    const previous = seenPrefixes[0];
    expect(previous).toBeDefined();
    expect(redis.prefix).not.toBe(previous);
    const [, leftovers] = await redis.client.scan('0', 'MATCH', `${previous}*`, 'COUNT', 10_000);
    expect(leftovers).toEqual([]);
  });

  test('deleteKeysWithPrefix matches the prefix literally, not as a glob', async ({ redis }) => {
    const globby = redis.key('a*[b]?');
    await redis.client.set(`${globby}1`, 'matches');
    await redis.client.set(redis.key('aXbY1'), 'would match the glob a*[b]? but not the literal');
    expect(await deleteKeysWithPrefix(redis.client, globby)).toBe(1);
    expect(await redis.client.get(redis.key('aXbY1'))).not.toBeNull();
  });
});
