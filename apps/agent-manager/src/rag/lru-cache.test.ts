import { expect, it } from 'vitest';
import { createLruCache } from './lru-cache.js';

it('counts entries by default and forgets the least recently used first', () => {
  const cache = createLruCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.get('a');
  cache.set('c', 3);
  expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
});

it('bounds the entries by their weight, keeping none heavier than the capacity', () => {
  const cache = createLruCache<string>(10, (v) => v.length);
  cache.set('a', 'xxxx');
  cache.set('b', 'yyyy');
  cache.set('c', 'zzzz');
  expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 'yyyy', 'zzzz']);
  // Replacing an entry releases its old weight.
  cache.set('b', 'y');
  cache.set('d', 'wwww');
  expect(cache.size).toBe(3);
  cache.set('e', 'x'.repeat(11));
  expect(cache.get('e')).toBeUndefined();
  expect(cache.size).toBe(3);
});
