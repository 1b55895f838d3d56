import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createSealer, generateKey, sha256Hex } from './secrets.js';

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

  it('compares in constant time by digest', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(sha256Hex('a')).toHaveLength(64);
  });
});
