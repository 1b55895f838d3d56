/** What replaces a secret in logs. */
export const CENSOR = '[redacted]';

/**
 * Key names whose values are secrets: `*_KEY`/`*key` (ENGINE_KEY, apiKey, x-engine-key),
 * password, secret, token (but not `max_tokens`), authorization and cookies. pino's redact paths
 * cannot express suffix patterns, so logged objects are also scrubbed by key name.
 */
const SECRET_KEY = /(key|password|passwd|secret|(^|[_-])token|authorization|cookie)$/i;

// Bounded so a huge or cyclic object cannot make a log call expensive.
const MAX_DEPTH = 4;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns `obj` with the values of secret-named keys replaced by `[redacted]`, copying only the
 * objects that change (the common case allocates nothing). Errors, arrays of scalars and class
 * instances are left to pino's serializers.
 */
export function scrubSecrets<T>(obj: T, depth = 0): T {
  if (depth >= MAX_DEPTH) {
    return obj;
  }
  if (Array.isArray(obj)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < obj.length; i++) {
      const next = scrubSecrets(obj[i], depth + 1);
      if (next !== obj[i]) {
        out ??= obj.slice();
        out[i] = next;
      }
    }
    return (out ?? obj) as T;
  }
  if (!isPlainObject(obj)) {
    return obj;
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    let next: unknown;
    if (isSecretKey(key)) {
      next = value === undefined || value === null ? value : CENSOR;
    } else {
      next = scrubSecrets(value, depth + 1);
    }
    if (next !== value) {
      out ??= { ...obj };
      out[key] = next;
    }
  }
  return (out ?? obj) as T;
}
