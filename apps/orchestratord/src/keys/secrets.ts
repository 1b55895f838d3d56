import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** A new random key: `pk-…` for products, `sk-…` for engines; 32 random bytes, base64url. */
export function generateKey(prefix: 'pk' | 'sk'): string {
  return `${prefix}-${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (as their SHA-256, so lengths never leak either). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

export interface Sealer {
  /** AES-256-GCM: base64 of iv(12) | tag(16) | ciphertext, authenticated with `aad`. */
  seal(plaintext: string, aad: string): string;
  /** Throws when the ciphertext, its tag or its aad (another engine's row) do not match. */
  open(sealed: string, aad: string): string;
}

/** `masterKey` is 32 bytes (ORCH_MASTER_KEY, parsed from hex or base64 by the config). */
export function createSealer(masterKey: Buffer): Sealer {
  if (masterKey.length !== 32) {
    throw new Error('the master key must be 32 bytes');
  }
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed, aad) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', masterKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * `sealer` whose `open` remembers the last result of up to `max` aads (engine ids): admit opens
 * the same engine key on every request, and a decipher costs more than the rest of a cached
 * lookup. A hit needs the very same ciphertext (a rotated key is a new one, opened afresh);
 * failures are not cached.
 */
export function withOpenCache(sealer: Sealer, max = 1024): Sealer {
  const opened = new Map<string, { sealed: string; plaintext: string }>();
  return {
    seal: sealer.seal,
    open(sealed, aad) {
      const hit = opened.get(aad);
      if (hit !== undefined && hit.sealed === sealed) {
        // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
        opened.delete(aad);
        opened.set(aad, hit);
        return hit.plaintext;
      }
      const plaintext = sealer.open(sealed, aad);
      opened.delete(aad);
      opened.set(aad, { sealed, plaintext });
      if (opened.size > max) {
        const oldest = opened.keys().next().value;
        if (oldest !== undefined) {
          opened.delete(oldest);
        }
      }
      return plaintext;
    },
  };
}
