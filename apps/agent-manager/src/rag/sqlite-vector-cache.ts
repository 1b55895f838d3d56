import type { SqliteDb } from './sqlite-schema.js';
import type { Ranked } from './store.js';

/**
 * The embeddings of `chunks` rows, held in process so that an exact search reads no BLOBs and
 * runs no vec_distance_cosine: at 100k rows × 384 dims, fetching 5,000 scattered rows' BLOBs
 * cost ~3.5 ms and the distances ~3 ms of a 6.7 ms filtered search.
 *
 * Rows never change once written (rowid AUTOINCREMENT: a replace writes new rowids and a rowid
 * is never reused), so a cached vector cannot be stale. Which rows a search ranks always comes
 * from SQL, so deleted rows are never ranked; rows missing from the cache (new ones, or never
 * searched before) are loaded on demand.
 */
export interface VectorCache {
  /**
   * The top `k` of `rowids` by cosine similarity to `query`, bit for bit as
   * `ORDER BY vec_distance_cosine(embedding, query), rowid` ranks them. Rows gone from the table
   * by the time they are loaded are skipped.
   */
  rank(query: Float32Array, rowids: readonly number[], k: number): Ranked[];
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

const fr = Math.fround;

export function createVectorCache(s: SqliteDb, dim: number): VectorCache {
  let pages: Float32Array[] = [];
  // sqrt of each row's squared norm, summed in float32 in vec_distance_cosine's order.
  let norms = new Float64Array(PAGE_ROWS);
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
    norms = new Float64Array(PAGE_ROWS);
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
    if (slot >= norms.length) {
      const grown = new Float64Array(norms.length * 2);
      grown.set(norms);
      norms = grown;
    }
    const arena = pages[page] as Float32Array;
    const base = (slot & (PAGE_ROWS - 1)) * dim;
    // node:sqlite blobs are not 4-byte aligned: copy bytes, then read them as float32.
    new Uint8Array(arena.buffer, base * 4, dim * 4).set(blob);
    let sq = 0;
    for (let i = 0; i < dim; i++) {
      const x = arena[base + i] as number;
      sq = fr(sq + fr(x * x));
    }
    norms[slot] = Math.sqrt(sq);
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

  return {
    rank(query, rowids, k) {
      if (k <= 0 || rowids.length === 0) {
        return [];
      }
      load(rowids);
      if (!warming && !closed) {
        warming = true;
        setImmediate(warmStep);
      }
      const slots = new Int32Array(rowids.length);
      const keys = new Float64Array(rowids.length);
      let n = 0;
      for (const r of rowids) {
        const slot = slotOf[r] ?? 0;
        if (slot !== 0) {
          slots[n] = slot - 1;
          keys[n++] = r;
        }
      }
      const dists = distances(pages, norms, dim, query, slots, n);
      return topK(dists, keys, n, k);
    },
    size: () => used,
    close() {
      closed = true;
    },
  };
}

/**
 * vec_distance_cosine for each slot, reproduced exactly: the dot product summed in float32 in
 * index order (Math.fround on each product and sum is float32 arithmetic), divided in double by
 * the product of the norms' square roots, rounded to float32. Four rows at a time: each row's
 * sum keeps its own order, while the four independent chains hide the add latency.
 */
function distances(
  pages: readonly Float32Array[],
  norms: Float64Array,
  dim: number,
  query: Float32Array,
  slots: Int32Array,
  n: number,
): Float32Array {
  let qsq = 0;
  for (let i = 0; i < dim; i++) {
    const x = query[i] as number;
    qsq = fr(qsq + fr(x * x));
  }
  const qnorm = Math.sqrt(qsq);
  const out = new Float32Array(n);
  const at = (slot: number) => (slot & (PAGE_ROWS - 1)) * dim;
  const pageOf = (slot: number) => pages[slot >> 10] as Float32Array;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const s0 = slots[j] as number;
    const s1 = slots[j + 1] as number;
    const s2 = slots[j + 2] as number;
    const s3 = slots[j + 3] as number;
    const p0 = pageOf(s0);
    const p1 = pageOf(s1);
    const p2 = pageOf(s2);
    const p3 = pageOf(s3);
    const b0 = at(s0);
    const b1 = at(s1);
    const b2 = at(s2);
    const b3 = at(s3);
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let i = 0; i < dim; i++) {
      const q = query[i] as number;
      d0 = fr(d0 + fr((p0[b0 + i] as number) * q));
      d1 = fr(d1 + fr((p1[b1 + i] as number) * q));
      d2 = fr(d2 + fr((p2[b2 + i] as number) * q));
      d3 = fr(d3 + fr((p3[b3 + i] as number) * q));
    }
    out[j] = 1 - d0 / ((norms[s0] as number) * qnorm);
    out[j + 1] = 1 - d1 / ((norms[s1] as number) * qnorm);
    out[j + 2] = 1 - d2 / ((norms[s2] as number) * qnorm);
    out[j + 3] = 1 - d3 / ((norms[s3] as number) * qnorm);
  }
  for (; j < n; j++) {
    const s0 = slots[j] as number;
    const p0 = pageOf(s0);
    const b0 = at(s0);
    let d0 = 0;
    for (let i = 0; i < dim; i++) {
      d0 = fr(d0 + fr((p0[b0 + i] as number) * (query[i] as number)));
    }
    out[j] = 1 - d0 / ((norms[s0] as number) * qnorm);
  }
  return out;
}

/** The k smallest (distance, rowid) pairs, ascending, via a bounded max-heap. */
function topK(dists: Float32Array, keys: Float64Array, n: number, k: number): Ranked[] {
  const heap: number[] = [];
  // a ranks after b: larger distance, or the same distance and a larger rowid
  const after = (a: number, b: number) =>
    (dists[a] as number) > (dists[b] as number) ||
    (dists[a] === dists[b] && (keys[a] as number) > (keys[b] as number));
  const swap = (i: number, j: number) => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!after(heap[c] as number, heap[p] as number)) {
          break;
        }
        swap(c, p);
        c = p;
      }
    } else if (after(heap[0] as number, i)) {
      heap[0] = i;
      for (let p = 0; ; ) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && after(heap[l] as number, heap[m] as number)) {
          m = l;
        }
        if (r < heap.length && after(heap[r] as number, heap[m] as number)) {
          m = r;
        }
        if (m === p) {
          break;
        }
        swap(p, m);
        p = m;
      }
    }
  }
  heap.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
  return heap.map((i) => ({ key: keys[i] as number, score: 1 - (dists[i] as number) }));
}
