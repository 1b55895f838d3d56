/**
 * Coalesces the calls made in one turn of the event loop into ONE `run` of all their keys:
 * under load many requests are parsed in the same poll phase, and each database round trip costs
 * the process two socket syscalls and a result parse, whatever its row count. The batch runs on
 * `setImmediate` (after the poll phase), so a lone call waits for nothing but the current turn.
 * `run` answers one result per key, in order; its failure fails every call of the batch.
 */
export function createBatcher<K, V>(
  run: (keys: K[]) => Promise<V[]>,
  maxBatch = 256,
): (key: K) => Promise<V> {
  let keys: K[] = [];
  let waiters: { resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    if (keys.length === 0) {
      return;
    }
    const batchKeys = keys;
    const batchWaiters = waiters;
    keys = [];
    waiters = [];
    run(batchKeys).then(
      (values) => {
        for (let i = 0; i < batchWaiters.length; i++) {
          batchWaiters[i]?.resolve(values[i] as V);
        }
      },
      (error: unknown) => {
        for (const w of batchWaiters) {
          w.reject(error);
        }
      },
    );
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      if (keys.length === 0) {
        setImmediate(flush);
      } else if (keys.length >= maxBatch) {
        flush();
        setImmediate(flush);
      }
      keys.push(key);
      waiters.push({ resolve, reject });
    });
}
