import {
  createPartitionCache,
  DEFAULT_PARTITION_CACHE_BYTES,
  type Partition,
  rankPartition,
} from './sqlite-partitions.js';
import type { SqliteDb } from './sqlite-schema.js';
import type { Ranked } from './store.js';

/**
 * The embeddings of `chunks` rows, held in process so that an exact search reads no BLOBs and
 * runs no vec_distance_cosine: at 100k rows × 384 dims, fetching 5,000 scattered rows' BLOBs
 * cost ~3.5 ms and the distances ~3 ms of a 6.7 ms filtered search.
 *
 * Rows never change once written (rowid AUTOINCREMENT: a replace writes new rowids and a rowid
 * is never reused), so a cached vector cannot be stale. Which rows a search ranks comes from SQL
 * (or from a partition gathered at the current store generation), so deleted rows are never ranked; rows missing from the cache (new ones, or never
 * searched before) are loaded on demand.
 */
export interface VectorCache {
  /**
   * The top `k` of the rows `rowids()` lists by cosine similarity to `query`, as
   * `ORDER BY vec_distance_cosine(embedding, query), rowid` ranks them (scores equal to float32
   * rounding). Rows gone from the table by the time they are loaded are skipped. With a
   * `partition` key (the filter), the rows and their vectors are kept for the next search of
   * that key at the same store generation, and `rowids` is not called then.
   */
  rank(
    query: Float32Array,
    k: number,
    rowids: () => readonly number[],
    partition?: string,
  ): Ranked[];
  /** Vectors held (live rows plus deleted ones not yet dropped by a compaction). */
  size(): number;
  /** Stops the background fill. */
  close(): void;
}

// Rows per arena page: pages are added, never copied, so growing never holds two arenas.
const PAGE_ROWS = 1024;
// A compaction (start over) once deleted rows could make up half of what is held.
const COMPACT_SLACK = 2;
// Rows per background fill tick: ~16 µs a row, so a tick holds the event loop ~8 ms.
const WARM_SLICE = 500;

export interface VectorCacheOptions {
  /** the store's generation: a kept partition is good only at the one it was gathered at */
  generation: () => string;
  /** bytes of partitions kept; 0 keeps none; default 256 MB */
  partitionBytes?: number | undefined;
}

export function createVectorCache(s: SqliteDb, dim: number, opts: VectorCacheOptions): VectorCache {
  let pages: Float32Array[] = [];
  const partitions = createPartitionCache(opts.partitionBytes ?? DEFAULT_PARTITION_CACHE_BYTES);
  // slot + 1 by rowid; 0 = not held. Rowids only grow, so this is indexed directly.
  let slotOf = new Int32Array(1024);
  let used = 0;
  let liveAtLastCount = 0;

  // Background fill, in rowid order: loading 5,000 scattered rows on demand costs ~60 ms at
  // 100k rows (all 100k: 1.6 s), so after the first search the rest is read in slices.
  let warmedTo = 0;
  let warming = false;
  let closed = false;
  const reset = () => {
    pages = [];
    slotOf = new Int32Array(slotOf.length);
    used = 0;
    warmedTo = 0;
  };
  const warmStep = () => {
    if (closed) {
      warming = false;
      return;
    }
    try {
      const rows = s
        .stmt('SELECT rowid, embedding FROM chunks WHERE rowid > ? ORDER BY rowid LIMIT ?')
        .all(BigInt(warmedTo), BigInt(WARM_SLICE)) as { rowid: number; embedding: Uint8Array }[];
      for (const r of rows) {
        add(r.rowid, r.embedding);
      }
      warmedTo = rows[rows.length - 1]?.rowid ?? warmedTo;
      if (rows.length === WARM_SLICE) {
        setImmediate(warmStep);
        return;
      }
    } catch {
      // Searches load what they miss anyway; the next one starts the fill again.
    }
    warming = false;
  };

  const add = (rowid: number, blob: Uint8Array) => {
    if (blob.byteLength !== dim * 4 || (slotOf[rowid] ?? 0) !== 0) {
      return;
    }
    const slot = used++;
    const page = slot >> 10;
    if (page === pages.length) {
      pages.push(new Float32Array(PAGE_ROWS * dim));
    }
    const arena = pages[page] as Float32Array;
    const base = (slot & (PAGE_ROWS - 1)) * dim;
    // node:sqlite blobs are not 4-byte aligned: copy bytes, then read them as float32.
    new Uint8Array(arena.buffer, base * 4, dim * 4).set(blob);
    if (rowid >= slotOf.length) {
      let n = slotOf.length;
      while (n <= rowid) {
        n *= 2;
      }
      const grown = new Int32Array(n);
      grown.set(slotOf);
      slotOf = grown;
    }
    slotOf[rowid] = slot + 1;
  };

  const load = (rowids: readonly number[]) => {
    let missing = rowids.filter((r) => !(slotOf[r] ?? 0));
    if (missing.length === 0) {
      return;
    }
    // Deleted rows stay held until this: before growing past what the live table justifies,
    // drop everything and start over (counting only then: count(*) walks the table).
    if (used + missing.length > Math.max(PAGE_ROWS, liveAtLastCount * COMPACT_SLACK)) {
      const row = s.stmt('SELECT count(*) AS n FROM chunks').get() as { n: number };
      liveAtLastCount = row.n;
      if (used + missing.length > Math.max(PAGE_ROWS, row.n * COMPACT_SLACK)) {
        reset();
        missing = [...rowids];
      }
    }
    const rows = s
      .stmt('SELECT rowid, embedding FROM chunks WHERE rowid IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(missing)) as { rowid: number; embedding: Uint8Array }[];
    for (const r of rows) {
      add(r.rowid, r.embedding);
    }
  };

  /** The held rows among `rowids` (loading what is missing), copied side by side. */
  const gather = (rowids: readonly number[]): Partition => {
    load(rowids);
    const vectors = new Float32Array(rowids.length * dim);
    const keys = new Float64Array(rowids.length);
    let n = 0;
    for (const r of rowids) {
      const slot = (slotOf[r] ?? 0) - 1;
      if (slot >= 0) {
        const base = (slot & (PAGE_ROWS - 1)) * dim;
        vectors.set((pages[slot >> 10] as Float32Array).subarray(base, base + dim), n * dim);
        keys[n++] = r;
      }
    }
    return n === rowids.length
      ? { vectors, keys }
      : { vectors: vectors.slice(0, n * dim), keys: keys.slice(0, n) };
  };

  return {
    rank(query, k, rowids, key) {
      if (k <= 0) {
        return [];
      }
      const generation = key === undefined ? undefined : opts.generation();
      let p = key === undefined ? undefined : partitions.get(key, generation as string);
      if (p === undefined) {
        p = gather(rowids());
        if (key !== undefined) {
          partitions.set(key, generation as string, p);
        }
      }
      if (!warming && !closed) {
        warming = true;
        setImmediate(warmStep);
      }
      return rankPartition(p, dim, query, k);
    },
    size: () => used,
    close() {
      closed = true;
    },
  };
}
