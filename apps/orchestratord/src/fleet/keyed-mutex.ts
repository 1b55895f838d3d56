/**
 * Serializes async operations per key (one engine): a stop racing a wake runs one after the
 * other, each seeing the state the previous one left. Keys with nothing queued are dropped.
 */
export function createKeyedMutex() {
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
    /** Whether an operation on `key` is running or queued. */
    busy(key: string): boolean {
      return tails.has(key);
    },
  };
}
export type KeyedMutex = ReturnType<typeof createKeyedMutex>;
