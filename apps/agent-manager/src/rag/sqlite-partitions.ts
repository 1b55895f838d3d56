import usearch from 'usearch';
import type { Ranked } from './store.js';

export const DEFAULT_PARTITION_CACHE_BYTES = 256 * 1024 * 1024;

/** The vectors of some rows, side by side (row i at i × dim), and the rowid of each. */
export interface Partition {
  vectors: Float32Array;
  keys: Float64Array;
}

/**
 * The top `k` rows of `p` by cosine similarity to `query`, best first, ties by rowid. usearch's
 * SIMD kernel ranks 6,000 rows × 384 dims in ~0.36 ms, against ~2.8 ms for a float32 loop in JS.
 */
export function rankPartition(p: Partition, dim: number, query: Float32Array, k: number): Ranked[] {
  const n = p.keys.length;
  const count = Math.min(k, n);
  if (count <= 0) {
    return [];
  }
  // One thread: the pool's hand-off costs more than it saves at these sizes.
  const m = usearch.exactSearch(p.vectors, query, dim, count, usearch.MetricKind.Cos, 1);
  const keys = m.keys as BigUint64Array;
  const distances = m.distances as Float32Array;
  const out: Ranked[] = [];
  for (let i = 0; i < count; i++) {
    const slot = Number(keys[i]);
    if (slot < n) {
      out.push({ key: p.keys[slot] as number, score: 1 - (distances[i] as number) });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.key - b.key);
}

/**
 * The partitions of recent exact searches, keyed by their filter and bounded in bytes (least
 * recently used first out). An entry is good for the store generation it was gathered at: any
 * commit, in any process, makes it stale. A tenant's repeated filtered queries then skip both
 * listing the admitted rows in SQL and copying their vectors.
 */
export function createPartitionCache(budgetBytes: number) {
  const entries = new Map<string, { generation: string; partition: Partition; bytes: number }>();
  let total = 0;
  const drop = (key: string) => {
    const known = entries.get(key);
    if (known) {
      entries.delete(key);
      total -= known.bytes;
    }
  };
  return {
    get(key: string, generation: string): Partition | undefined {
      const known = entries.get(key);
      if (known === undefined) {
        return undefined;
      }
      entries.delete(key);
      if (known.generation !== generation) {
        total -= known.bytes;
        return undefined;
      }
      entries.set(key, known);
      return known.partition;
    },
    set(key: string, generation: string, partition: Partition): void {
      const bytes = partition.vectors.byteLength + partition.keys.byteLength;
      drop(key);
      if (bytes > budgetBytes) {
        return;
      }
      entries.set(key, { generation, partition, bytes });
      total += bytes;
      for (const oldest of entries.keys()) {
        if (total <= budgetBytes) {
          break;
        }
        drop(oldest);
      }
    },
    bytes: () => total,
  };
}
export type PartitionCache = ReturnType<typeof createPartitionCache>;
