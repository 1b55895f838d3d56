/** Serializes async operations per key (one engine). */
export interface KeyedMutex {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Whether an operation on `key` is running or queued (in this process). */
  busy(key: string): boolean;
}

/**
 * In-process: a stop racing a wake runs one after the other, each seeing the state the previous
 * one left. Keys with nothing queued are dropped.
 */
export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn, fn);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) {
          tails.delete(key);
        }
      });
      return result;
    },
    busy(key: string): boolean {
      return tails.has(key);
    },
  };
}
