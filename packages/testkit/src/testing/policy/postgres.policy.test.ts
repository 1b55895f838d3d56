import { expect } from 'vitest';
import { test } from '../../fixtures.js';

test('uses pg', ({ pg }) => {
  expect(pg.db).toBeTruthy();
});
