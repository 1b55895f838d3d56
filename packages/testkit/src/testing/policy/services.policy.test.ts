import { expect } from 'vitest';
import { test } from '../../fixtures.js';

test('uses redis', ({ redis }) => {
  expect(redis.prefix).toBeTruthy();
});

test('uses docker', ({ docker }) => {
  expect(docker).toBeTruthy();
});

test('uses nothing', () => {
  expect(1).toBe(1);
});
