/** A bounded map that forgets the least recently used entry first (Map keeps insertion order). */
export interface LruCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  clear(): void;
  readonly size: number;
}

/**
 * @param capacity the most the entries may weigh together
 * @param weigh an entry's weight: 1 by default, so `capacity` counts entries; an entry heavier
 *   than `capacity` is not kept
 */
export function createLruCache<V>(
  capacity: number,
  weigh: (value: V) => number = () => 1,
): LruCache<V> {
  const entries = new Map<string, V>();
  let total = 0;
  const drop = (key: string) => {
    const value = entries.get(key);
    if (value !== undefined) {
      entries.delete(key);
      total -= weigh(value);
    }
  };
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      drop(key);
      const weight = weigh(value);
      if (weight > capacity) {
        return;
      }
      entries.set(key, value);
      total += weight;
      for (const oldest of entries.keys()) {
        if (total <= capacity) {
          break;
        }
        drop(oldest);
      }
    },
    clear() {
      entries.clear();
      total = 0;
    },
    get size() {
      return entries.size;
    },
  };
}
