import { expect, test } from 'vitest';
import { isPinned, normaliseDigest } from './digest.js';

const hex = 'ab'.repeat(32);

test('normaliseDigest accepts sha256:… and repo@sha256:…, nothing else', () => {
  expect(normaliseDigest(`sha256:${hex}`)).toBe(`sha256:${hex}`);
  expect(normaliseDigest(`ghcr.io/o/r/img@sha256:${hex.toUpperCase()}`)).toBe(`sha256:${hex}`);
  expect(normaliseDigest('localhost:5000/img:dev')).toBeUndefined();
  expect(normaliseDigest('unknown')).toBeUndefined();
  expect(normaliseDigest(undefined)).toBeUndefined();
});

test('isPinned is true only for a reference with a digest', () => {
  expect(isPinned(`localhost/x@sha256:${hex}`)).toBe(true);
  expect(isPinned('localhost/x:dev')).toBe(false);
  expect(isPinned(`sha256:${hex}`)).toBe(false);
});
