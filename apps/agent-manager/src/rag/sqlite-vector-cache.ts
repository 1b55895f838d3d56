import usearch from 'usearch';
import { createLruCache } from './lru-cache.js';
import type { SqliteDb } from './sqlite-schema.js';
import type { Ranked } from './store.js';

/**
 * The embeddings of `chunks` rows, held in process so that an exact search reads no BLOBs and
 * runs no vec_distance_cosine: at 100k rows × 384 dims, fetching 5,000 scattered rows' BLOBs
 * cost ~3.5 ms and the distances ~3 ms of a 6.7 ms filtered search. A search copies its rows
 * side by side into one reused buffer (a run of consecutive rows, as a document's chunks are, is
 * one copy) and ranks them with usearch's SIMD cosine: ~0.4 ms for 6,000 rows. The buffer is
 * reused because fresh memory is not free: first writes to 9 MB cost 30–90 ms in page faults
 * on this machine's VM.
 *
 * Rows never change once written (rowid AUTOINCREMENT: a replace writes new rowids and a rowid
 * is never reused), so a cached vector cannot be stale. Which rows a search ranks comes from SQL
 * (or from a list SQL gave at the current store generation), so deleted rows are never ranked;
 * rows missing from the cache (new ones, or never searched before) are loaded on demand.
 */
export interface VectorCache {
  /**
   * The top `k` of the rows `rowids()` lists by cosine similarity to `query`, as
   * `ORDER BY vec_distance_cosine(embedding, query), rowid` ranks them (scores equal to float32
   * rounding; ties may order differently). Rows gone from the table by the time they are loaded
   * are skipped. With a `listKey` (the filter), the list is kept for the next search of that key
   * at the same store generation, and `rowids` is not called then.
   */
  rank(query: Float32Array, k: number, rowids: () => readonly number[], listKey?: string): Ranked[];
  /** Keeps a complete list of the rows `listKey` admits, listed elsewhere, for `rank`. */
  remember(listKey: string, rowids: readonly number[]): void;
  /**
   * Reads the rows not held yet in the background, in slices (a search starts it too): the first
   * search of a filter then loads no scattered rows (~60 ms for 5,000 at 100k rows).
   */
  warm(): void;
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

/**
 * @param generation the store's generation: a kept row list is good only at the one it was
 *   read at
 */
export function createVectorCache(s: SqliteDb, dim: number, generation: () => string): VectorCache {
  let pages: Float32Array[] = [];
  // The rows recent searches' filters admitted, ascending, for the generation they were read at
  // (any commit, in any process, makes a list stale): a tenant's repeated filter skips listing
  // its rows in SQL (~0.5–1.7 ms for 5,000 rows at 100k). 32 MB, 8 bytes a row.
  const lists = createLruCache<{ generation: string; rowids: Float64Array }>(
    32 * 1024 * 1024,
    (list) => list.rowids.byteLength,
  );
  // The rows a search ranks, side by side, and their rowids: grown, never shrunk (see above).
  let scratch = new Float32Array(0);
  let scratchKeys = new Float64Array(0);
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

  const warm = () => {
    if (!warming && !closed) {
      warming = true;
      setImmediate(warmStep);
    }
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

  const load = (rowids: ArrayLike<number>) => {
    let missing: number[] = [];
    for (let i = 0; i < rowids.length; i++) {
      if (!slotOf[rowids[i] as number]) {
        missing.push(rowids[i] as number);
      }
    }
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
        missing = Array.from(rowids);
      }
    }
    const rows = s
      .stmt('SELECT rowid, embedding FROM chunks WHERE rowid IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(missing)) as { rowid: number; embedding: Uint8Array }[];
    for (const r of rows) {
      add(r.rowid, r.embedding);
    }
  };

  /** Copies the held rows among `rowids` (loading what is missing) into scratch; their count. */
  const gather = (rowids: ArrayLike<number>): number => {
    load(rowids);
    if (scratchKeys.length < rowids.length) {
      // Twice what is asked: pages never written are never faulted, and a slightly larger
      // filter next time must not pay for a new buffer again.
      const rows = Math.max(rowids.length, scratchKeys.length) * 2;
      scratch = new Float32Array(rows * dim);
      scratchKeys = new Float64Array(rows);
    }
    let n = 0;
    for (let i = 0; i < rowids.length; ) {
      const first = (slotOf[rowids[i] as number] ?? 0) - 1;
      if (first < 0) {
        i += 1;
        continue;
      }
      // The run of rows whose slots follow one another on one page: one copy.
      let end = first + 1;
      scratchKeys[n] = rowids[i] as number;
      for (i += 1; i < rowids.length; i += 1) {
        const slot = (slotOf[rowids[i] as number] ?? 0) - 1;
        if (slot !== end || slot % PAGE_ROWS === 0) {
          break;
        }
        scratchKeys[n + end - first] = rowids[i] as number;
        end += 1;
      }
      const base = (first % PAGE_ROWS) * dim;
      scratch.set(
        (pages[Math.floor(first / PAGE_ROWS)] as Float32Array).subarray(
          base,
          base + (end - first) * dim,
        ),
        n * dim,
      );
      n += end - first;
    }
    return n;
  };

  return {
    rank(query, k, rowids, listKey) {
      if (k <= 0) {
        return [];
      }
      let list: ArrayLike<number>;
      if (listKey === undefined) {
        list = rowids();
      } else {
        const at = generation();
        const kept = lists.get(listKey);
        if (kept?.generation === at) {
          list = kept.rowids;
        } else {
          const listed = Float64Array.from(rowids()).sort();
          lists.set(listKey, { generation: at, rowids: listed });
          list = listed;
        }
      }
      const n = gather(list);
      warm();
      return rankScratch(scratch.subarray(0, n * dim), scratchKeys, dim, query, k);
    },
    remember(listKey, rowids) {
      lists.set(listKey, { generation: generation(), rowids: Float64Array.from(rowids).sort() });
    },
    warm,
    size: () => used,
    close() {
      closed = true;
    },
  };
}

/**
 * The top `k` of `n` rows (`vectors`, row i at i × dim; its rowid at `keys[i]`) by cosine
 * similarity to `query`, best first, ties by rowid.
 */
function rankScratch(
  vectors: Float32Array,
  keys: Float64Array,
  dim: number,
  query: Float32Array,
  k: number,
): Ranked[] {
  const n = vectors.length / dim;
  const count = Math.min(k, n);
  if (count <= 0) {
    return [];
  }
  // One thread: the pool's hand-off costs more than it saves at these sizes.
  const m = usearch.exactSearch(vectors, query, dim, count, usearch.MetricKind.Cos, 1);
  const found = m.keys as BigUint64Array;
  const distances = m.distances as Float32Array;
  const out: Ranked[] = [];
  for (let i = 0; i < count; i++) {
    const row = Number(found[i]);
    if (row < n) {
      out.push({ key: keys[row] as number, score: 1 - (distances[i] as number) });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.key - b.key);
}
