import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  createSealer,
  generateKey,
  sha256Hex,
  withOpenCache,
} from './secrets.js';

describe('secrets', () => {
  it('generates prefixed keys that never repeat', () => {
    const a = generateKey('sk');
    expect(a).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(generateKey('sk')).not.toBe(a);
    expect(generateKey('pk')).toMatch(/^pk-/);
  });

  it('seals and opens, bound to its aad and key', () => {
    const sealer = createSealer(randomBytes(32));
    const sealed = sealer.seal('sk-secret', 'engine-1');
    expect(sealed).not.toContain('sk-secret');
    expect(sealer.open(sealed, 'engine-1')).toBe('sk-secret');
    expect(() => sealer.open(sealed, 'engine-2')).toThrow();
    expect(() => createSealer(randomBytes(32)).open(sealed, 'engine-1')).toThrow();
    const tampered = Buffer.from(sealed, 'base64');
    tampered.writeUInt8((tampered.at(-1) ?? 0) ^ 1, tampered.length - 1);
    expect(() => sealer.open(tampered.toString('base64'), 'engine-1')).toThrow();
  });

  it('opens through its cache exactly as without it, and evicts the least recent', () => {
    const sealer = withOpenCache(createSealer(randomBytes(32)), 2);
    const a = sealer.seal('sk-a', 'engine-a');
    const b = sealer.seal('sk-b', 'engine-b');
    const c = sealer.seal('sk-c', 'engine-c');
    expect(sealer.open(a, 'engine-a')).toBe('sk-a');
    expect(sealer.open(a, 'engine-a')).toBe('sk-a');
    // A cached ciphertext under another aad is still refused.
    expect(() => sealer.open(a, 'engine-b')).toThrow();
    expect(sealer.open(b, 'engine-b')).toBe('sk-b');
    expect(sealer.open(a, 'engine-a')).toBe('sk-a');
    expect(sealer.open(c, 'engine-c')).toBe('sk-c');
    expect(sealer.open(b, 'engine-b')).toBe('sk-b');
    // A rotated key is a new ciphertext: opened afresh.
    const rotated = sealer.seal('sk-a2', 'engine-a');
    expect(sealer.open(rotated, 'engine-a')).toBe('sk-a2');
  });

  it('compares in constant time by digest', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(sha256Hex('a')).toHaveLength(64);
  });
});
