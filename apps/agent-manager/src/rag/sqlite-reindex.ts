import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Embedder } from './embedder.js';
import { copyReembedded, type ReindexStats, type StoreSummary } from './reindex.js';
import { openSqliteStore } from './sqlite-store.js';

/** The store file's recorded embedder and row count; undefined when there is no store yet. */
export function peekSqliteStore(path: string): StoreSummary | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  // Plain node:sqlite without sqlite-vec: `meta` and `chunks` are ordinary tables.
  const db = new DatabaseSync(path, { timeout: 5000 });
  try {
    const made = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    if (made.get() === undefined) {
      return undefined;
    }
    const row = db.prepare("SELECT value FROM meta WHERE key = 'embedder'").get() as
      | { value: string }
      | undefined;
    const { n } = db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number };
    return { embedder: row?.value, chunks: n };
  } finally {
    db.close();
  }
}

export interface ReindexSqliteOptions {
  /** the store file; its HNSW side index sits beside it */
  path: string;
  /** the dimension the file was built with */
  fromDim: number;
  embedder: Embedder;
  logger: Parameters<typeof copyReembedded>[0]['logger'];
}

/**
 * Re-embeds the store file with `embedder`: builds a new file at `<path>.reindex` and renames it
 * over the old one only once complete, so a failure (or a crash) midway leaves the old file
 * intact and usable with the old embedder. The old HNSW side index is deleted, to be rebuilt.
 * Nothing else may have the file open: leaving WAL mode before the swap fails if it is.
 */
export async function reindexSqliteStore(opts: ReindexSqliteOptions): Promise<ReindexStats> {
  const { path, embedder } = opts;
  const next = `${path}.reindex`;
  removeStoreFiles(next);
  try {
    const from = await openSqliteStore({ path, dim: opts.fromDim, vectorCache: false });
    let stats: ReindexStats;
    try {
      const to = await openSqliteStore({ path: next, dim: embedder.dim, vectorCache: false });
      try {
        stats = await copyReembedded({ from, to, embedder, logger: opts.logger });
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
    // A -wal beside the renamed file would be replayed into it (it belongs to the old one), so
    // both files leave WAL mode first, which checkpoints and deletes their -wal and -shm.
    leaveWal(next);
    leaveWal(path);
    // Before the rename, so nothing can fail once the new file is in place; a crash in between
    // costs the old store a rebuild of its side index, nothing more.
    removeSideIndex(path);
    renameSync(next, path);
    return stats;
  } catch (err) {
    removeStoreFiles(next);
    throw err;
  }
}

function leaveWal(path: string): void {
  const db = new DatabaseSync(path, { timeout: 5000 });
  try {
    db.exec('PRAGMA journal_mode = DELETE');
  } catch (err) {
    throw new Error(
      `cannot re-index ${path} while another process has it open (stop the workers): ${String(err)}`,
      { cause: err },
    );
  } finally {
    db.close();
  }
}

function removeStoreFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    rmSync(`${path}${suffix}`, { force: true });
  }
  removeSideIndex(path);
}

/** The side index and its save temporaries (`<path>.hnsw`, `<path>.hnsw.tmp-<pid>`). */
function removeSideIndex(path: string): void {
  const prefix = `${basename(path)}.hnsw`;
  for (const name of readdirSync(dirname(path))) {
    if (name === prefix || name.startsWith(`${prefix}.tmp-`)) {
      rmSync(join(dirname(path), name), { force: true });
    }
  }
}
