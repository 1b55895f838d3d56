/** A secret, or a thunk read on every request (a rotated key takes effect on the next call). */
export type Secret = string | (() => string);

const read = (secret: Secret): string => (typeof secret === 'function' ? secret() : secret);

/**
 * The per-request headers of a service client: the caller's own headers, then the keys it was
 * given (a key always wins, so a stray header cannot replace it).
 */
export function headersWith(
  keys: Readonly<Record<string, Secret | undefined>>,
  extra: (() => Record<string, string>) | undefined,
): () => Record<string, string> {
  return () => {
    const headers = { ...extra?.() };
    for (const [name, secret] of Object.entries(keys)) {
      if (secret !== undefined) {
        headers[name] = read(secret);
      }
    }
    return headers;
  };
}
