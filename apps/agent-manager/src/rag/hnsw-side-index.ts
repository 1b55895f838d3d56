import { existsSync, renameSync, rmSync } from 'node:fs';
import usearch from 'usearch';
import { blobVec, type SqliteDb } from './sqlite-schema.js';

export interface HnswOptions {
  /**
   * usearch expansion_search. 64 gave recall@10 1.000 on reference/vector-stores.md's clustered
   * vectors, but 0.949–0.967 on the local embedder's at 123k chunks (bench agent-manager.rag),
   * at the edge of the 0.95 floor; 128 costs ~0.2 ms a search.
   */
  efSearch?: number;
  connectivity?: number;
  expansionAdd?: number;
  /**
   * While rows keep arriving, catch-up waits until this many are past the watermark
   * (AM_RAG_INDEX_DEFER_ROWS); default 0: never waits. See `deferring` below.
   */
  deferRows?: number;
  /** Rows that arrived this recently (ms) mean writes are still streaming in; default 1500. */
  quietMs?: number;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

/**
 * A usearch HNSW index over `chunks`, held by the process that searches, keyed by rowid. It
 * covers exactly the rows with rowid ≤ `watermark()` that existed when they were added; newer
 * rows are added in the background (`catchUp`) and callers search them exactly meanwhile.
 * Rows deleted later stay in the graph until a search finds them missing and calls `remove`.
 */
export interface HnswSideIndex {
  /** Nearest indexed keys by cosine distance (keys ≤ watermark), at most `n`. */
  search(query: Float32Array, n: number): { key: number; distance: number }[];
  watermark(): number;
  size(): number;
  remove(keys: readonly number[]): void;
  /** Starts adding rows past the watermark in small slices, unless already doing so. */
  catchUp(): void;
  /** Writes the index file and its watermark if anything changed since the last save. */
  save(): void;
  close(): void;
}

const WATERMARK_KEY = 'hnsw:watermark';
// Rows per setImmediate tick. One 50-row add at 384 dims costs 30–50 ms on the 2-core box, so
// slices start small, shrink when a tick runs past the budget and grow while ticks are cheap:
// catch-up at 100k rows then stalls the loop ≤ ~25 ms (one 44 ms outlier) at ~3k rows/s.
const SLICE_MAX = 50;
const SLICE_MIN = 5;
const TICK_BUDGET_MS = 10;
// Saving is synchronous and blocks the event loop (92 ms at 10k rows × 384 dims, 150 ms at
// 100k), so after a catch-up it happens only when a restart would otherwise redo a lot (a
// quarter of the index), or at most every ten minutes; close() always saves.
const SAVE_AFTER_FRACTION = 0.25;
const SAVE_AFTER_MS = 10 * 60_000;
const QUIET_MS = 1500;

export function openHnswSideIndex(opts: {
  s: SqliteDb;
  dim: number;
  indexPath: string;
  hnsw?: HnswOptions;
  logger?: Logger;
}): HnswSideIndex {
  const { s, dim, indexPath, logger } = opts;
  const fresh = () =>
    new usearch.Index({
      dimensions: dim,
      metric: usearch.MetricKind.Cos,
      quantization: usearch.ScalarKind.F32,
      connectivity: opts.hnsw?.connectivity ?? 16,
      expansion_add: opts.hnsw?.expansionAdd ?? 128,
      expansion_search: opts.hnsw?.efSearch ?? 128,
      multi: false,
    });

  let index = fresh();
  let watermark = 0;
  const saved = readMeta(s, WATERMARK_KEY);
  if (saved !== undefined && existsSync(indexPath)) {
    try {
      index.load(indexPath);
      if (index.dimensions() !== dim) {
        throw new Error(`index file has ${index.dimensions()} dims, store has ${dim}`);
      }
      watermark = Number(saved);
    } catch (err) {
      logger?.warn({ err, indexPath }, 'hnsw side index unreadable; rebuilding');
      index = fresh();
      watermark = 0;
    }
  }

  let running = false;
  let closed = false;
  let slice = SLICE_MIN;
  let changed = 0;
  let lastSave = Date.now();
  const deferRows = opts.hnsw?.deferRows ?? 0;
  const quietMs = opts.hnsw?.quietMs ?? QUIET_MS;
  // The newest rowid seen and when it changed; unknown until the first look.
  let newest: number | undefined;
  let newestSeenAt = 0;

  /**
   * Adding to the graph costs ~0.3 ms of CPU a row, as much as ingesting it: on a small box,
   * catching up while the workers write takes half their cores (ingest 3.5k → 9k chunks/s
   * without it). So while rows keep arriving and the tail is small, the graph waits, as
   * Qdrant leaves small segments unindexed: queries search the tail exactly meanwhile (slower,
   * never less recall), and catch-up runs once the writes pause or the tail reaches deferRows.
   */
  const deferring = () => {
    if (deferRows === 0) {
      return false;
    }
    const hi =
      (s.stmt('SELECT max(rowid) AS hi FROM chunks').get() as { hi: number | null }).hi ?? 0;
    const now = Date.now();
    if (newest !== undefined && hi !== newest) {
      newestSeenAt = now;
    }
    newest = hi;
    return now - newestSeenAt < quietMs && hi - watermark < deferRows;
  };

  const nextRows = () =>
    s
      .stmt('SELECT rowid, embedding FROM chunks WHERE rowid > ? ORDER BY rowid LIMIT ?')
      .all(BigInt(watermark), BigInt(slice)) as { rowid: number; embedding: Uint8Array }[];

  const addSlice = (rows: { rowid: number; embedding: Uint8Array }[]) => {
    // After a save whose meta write failed, the file can be ahead of the watermark: skip rows
    // already present instead of tripping usearch's duplicate-key error.
    const present = index.contains(rows.map((r) => BigInt(r.rowid))) as boolean[];
    const fresh = rows.filter((r, i) => !present[i] && r.embedding.byteLength === dim * 4);
    if (fresh.length > 0) {
      const vectors = new Float32Array(fresh.length * dim);
      for (const [i, r] of fresh.entries()) {
        vectors.set(blobVec(r.embedding), i * dim);
      }
      index.add(
        BigUint64Array.from(fresh, (r) => BigInt(r.rowid)),
        vectors,
      );
      changed += fresh.length;
    }
    watermark = rows[rows.length - 1]?.rowid ?? watermark;
  };

  const step = () => {
    if (closed) {
      return;
    }
    try {
      if (deferring()) {
        running = false;
        return;
      }
      const started = performance.now();
      const rows = nextRows();
      if (rows.length === 0) {
        running = false;
        const many = changed >= Math.max(1000, index.size() * SAVE_AFTER_FRACTION);
        if (many || (changed > 0 && Date.now() - lastSave >= SAVE_AFTER_MS)) {
          save();
        }
        return;
      }
      addSlice(rows);
      const took = performance.now() - started;
      slice =
        took > TICK_BUDGET_MS
          ? Math.max(SLICE_MIN, slice >> 1)
          : Math.min(SLICE_MAX, slice + (took < TICK_BUDGET_MS / 2 ? 5 : 0));
      setImmediate(step);
    } catch (err) {
      // Searches stay correct without the index (the tail is searched exactly), so a failed
      // slice stops the catch-up; the next search starts it again.
      running = false;
      logger?.warn({ err, watermark }, 'hnsw side index catch-up failed');
    }
  };

  const save = () => {
    if (changed === 0) {
      return;
    }
    const tmp = `${indexPath}.tmp-${process.pid}`;
    const at = watermark;
    try {
      index.save(tmp);
      // Rename and watermark under the write lock, so concurrent savers (one per searching
      // process) leave a file and a watermark from the same save.
      s.write(() => {
        renameSync(tmp, indexPath);
        s.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
          WATERMARK_KEY,
          String(at),
        );
      });
      changed = 0;
      lastSave = Date.now();
    } catch (err) {
      rmSync(tmp, { force: true });
      logger?.warn({ err, indexPath }, 'hnsw side index save failed');
    }
  };

  return {
    search(query, n) {
      const size = index.size();
      if (size === 0 || n <= 0) {
        return [];
      }
      // A copy: usearch reads the typed array from its buffer start, ignoring byteOffset.
      const m = index.search(query.slice(), Math.min(n, size), 0);
      const out: { key: number; distance: number }[] = [];
      for (let i = 0; i < m.keys.length; i++) {
        out.push({ key: Number(m.keys[i]), distance: m.distances[i] ?? 2 });
      }
      return out;
    },
    watermark: () => watermark,
    size: () => index.size(),
    remove(keys) {
      if (keys.length > 0) {
        index.remove(keys.map((k) => BigInt(k)));
        changed += keys.length;
      }
    },
    catchUp() {
      if (!running && !closed) {
        running = true;
        setImmediate(step);
      }
    },
    save,
    close() {
      if (!closed) {
        save();
        closed = true;
      }
    },
  };
}

function readMeta(s: SqliteDb, key: string): string | undefined {
  const row = s.stmt('SELECT value FROM meta WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  return row?.value;
}
