/**
 * At most `limit` calls at once across every object it wraps; the others wait their turn in
 * order. The embedded path puts workers' database calls behind one: PGlite runs one statement
 * at a time, so without it a burst of worker writes queues ahead of the API's own reads, and
 * `GET /agents/{id}` waits behind hundreds of checkpoints.
 */
export function createCallLimiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = (): Promise<void> | undefined => {
    if (active < limit) {
      active += 1;
      return undefined;
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  // The slot passes straight to the next waiter (`active` unchanged).
  const release = () => {
    const next = waiting.shift();
    if (next) {
      next();
    } else {
      active -= 1;
    }
  };
  return {
    /** The same methods, each taking a slot for the whole call. */
    wrap<T extends object>(impl: T): T {
      const limited: Record<string, unknown> = {};
      for (const [name, fn] of Object.entries(impl)) {
        if (typeof fn !== 'function') {
          continue;
        }
        limited[name] = async (...args: unknown[]) => {
          await acquire();
          try {
            return await fn.apply(impl, args);
          } finally {
            release();
          }
        };
      }
      return limited as T;
    },
    waiting: () => waiting.length,
  };
}
