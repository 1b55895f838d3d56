import { type HnswOptions, type HnswSideIndex, openHnswSideIndex } from './hnsw-side-index.js';
import { sqliteJobs } from './sqlite-jobs.js';
import {
  DOC_COLUMNS,
  type DocRow,
  deleteChunkRows,
  hydrateHits,
  insertChunkRows,
  toDocument,
} from './sqlite-rows.js';
import { sqliteScan } from './sqlite-scan.js';
import { blobVec, openSqliteDb, vecBlob } from './sqlite-schema.js';
import { annRank, countMatching, exactRank, textRank } from './sqlite-search.js';
import { createTermStats } from './sqlite-term-stats.js';
import { startTextRanker } from './sqlite-text-ranker.js';
import { createVectorCache } from './sqlite-vector-cache.js';
import type { VectorStore } from './store.js';

export interface SqliteStoreOptions {
  /** the SQLite file; the HNSW side index is kept beside it as `<path>.hnsw` */
  path: string;
  dim: number;
  logger?: { warn(obj: object, msg: string): void };
  hnsw?: HnswOptions;
  /**
   * Rank exact searches over in-process copies of the embeddings (default true): ~4 bytes × dim
   * per row searched (150 MB at 100k × 384), filled on demand. false ranks in SQL instead.
   */
  vectorCache?: boolean;
  /** The full-text thread's entry (rag-text-thread): FTS5 ranks beside the vector search. */
  textThread?: URL | undefined;
}

/** The embedded store, plus the state of its in-process HNSW side index. */
export type SqliteStore = VectorStore & {
  /** `indexed`: vectors in the side index; `lag`: rows not yet in it (searched exactly). */
  indexStats(): { indexed: number; lag: number };
  /**
   * Opens the HNSW side index now and lets it and the vector cache catch up in the background
   * (else the first searches start them): the querying process calls it at start.
   */
  startIndexing(): void;
};

/**
 * The embedded RAG store: one SQLite file (WAL, shared by the API and worker processes) with
 * sqlite-vec for exact cosine, FTS5 for text and a usearch HNSW side index for `annSearch`.
 *
 * ```ts
 * const store = await openSqliteStore({ path: '/data/rag.db', dim: 384 });
 * const hits = await store.exactSearch(query, 10, { collection: 'rag', metadata: { tenant: 't1' } });
 * ```
 */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const { dim } = opts;
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new Error(`dim must be a positive integer, got ${dim}`);
  }
  const s = openSqliteDb(opts.path, dim);
  let side: HnswSideIndex | undefined;
  let indexing: NodeJS.Timeout | undefined;
  const generation = () => {
    // data_version moves on other connections' commits only; our own are counted locally.
    const row = s.stmt('PRAGMA data_version').get() as { data_version: number };
    return `${row.data_version}.${s.localCommits()}`;
  };
  const cache = opts.vectorCache === false ? undefined : createVectorCache(s, dim, generation);
  const terms = createTermStats(s, generation);
  const text = opts.textThread
    ? startTextRanker({
        entry: opts.textThread,
        path: opts.path,
        dim,
        fallback: (words, k, filter) => textRank(s, terms, words, k, filter),
        onError: (err) => opts.logger?.warn({ err }, 'full-text thread failed: ranking in process'),
      })
    : undefined;
  // Built on the first annSearch: the worker processes that only ingest never pay for it.
  const sideIndex = () => {
    side ??= openHnswSideIndex({
      s,
      dim,
      indexPath: `${opts.path}.hnsw`,
      ...(opts.hnsw ? { hnsw: opts.hnsw } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    return side;
  };
  const putCache = (entries: ReadonlyMap<string, Float32Array> | undefined) => {
    const put = s.stmt('INSERT OR REPLACE INTO embed_cache (hash, vec) VALUES (?, ?)');
    for (const [hash, vec] of entries ?? []) {
      put.run(hash, vecBlob(vec));
    }
  };
  const checkQuery = (q: Float32Array) => {
    if (q.length !== dim) {
      throw new Error(`query has ${q.length} dims, store has ${dim}`);
    }
    return q;
  };

  const replaceDocuments: VectorStore['replaceDocuments'] = async (items, cache) => {
    s.write(() => {
      for (const { doc, chunks } of items) {
        deleteChunkRows(s, 'doc_id = ?', [doc.id]);
        insertChunkRows(s, dim, doc.collection, doc.id, chunks, doc.date);
        s.stmt(
          `INSERT OR REPLACE INTO docs (id, collection, source, content_hash, metadata, date,
             chunks, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          doc.id,
          doc.collection,
          doc.source,
          doc.contentHash,
          JSON.stringify(doc.metadata),
          doc.date ?? null,
          BigInt(chunks.length),
          BigInt(Date.now()),
        );
      }
      putCache(cache);
    });
  };

  return {
    kind: 'sqlite',
    dim,

    async replaceDocument(doc, chunks) {
      await replaceDocuments([{ doc, chunks }]);
    },

    replaceDocuments,

    async getDocument(id) {
      const row = s.stmt(`SELECT ${DOC_COLUMNS} FROM docs WHERE id = ?`).get(id) as
        | DocRow
        | undefined;
      return row && toDocument(row);
    },

    async deleteDocument(id) {
      return s.write(() => {
        deleteChunkRows(s, 'doc_id = ?', [id]);
        return Number(s.stmt('DELETE FROM docs WHERE id = ?').run(id).changes) > 0;
      });
    },

    async insertEntries(entries) {
      if (entries.length > 0) {
        s.write(() => insertChunkRows(s, dim, 'memory', null, entries));
      }
    },

    async deleteEntry(id) {
      return s.write(() => deleteChunkRows(s, "id = ? AND collection = 'memory'", [id]) > 0);
    },

    async purgeExpired(now) {
      return s.write(() =>
        deleteChunkRows(s, 'expires_at IS NOT NULL AND expires_at <= ?', [BigInt(Math.floor(now))]),
      );
    },

    async exactRank(query, k, filter) {
      return exactRank(s, cache, checkQuery(query), k, filter);
    },
    async annRank(query, k, filter) {
      return annRank(s, cache, sideIndex(), checkQuery(query), k, filter);
    },
    async textRank(words, k, filter) {
      return text ? text.rank(words, k, filter) : textRank(s, terms, words, k, filter);
    },
    async hydrate(ranked) {
      return hydrateHits(s, ranked);
    },
    async exactSearch(query, k, filter) {
      return hydrateHits(s, exactRank(s, cache, checkQuery(query), k, filter));
    },
    async annSearch(query, k, filter) {
      return hydrateHits(s, annRank(s, cache, sideIndex(), checkQuery(query), k, filter));
    },
    async textSearch(text, k, filter) {
      return hydrateHits(s, textRank(s, terms, text, k, filter));
    },
    async countMatching(filter, cap) {
      return countMatching(s, cache, filter, cap);
    },

    async cachedEmbeddings(hashes) {
      const out = new Map<string, Float32Array>();
      if (hashes.length === 0) {
        return out;
      }
      const rows = s
        .stmt('SELECT hash, vec FROM embed_cache WHERE hash IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(hashes)) as { hash: string; vec: Uint8Array }[];
      for (const r of rows) {
        out.set(r.hash, blobVec(r.vec));
      }
      return out;
    },
    async cacheEmbeddings(entries) {
      if (entries.size === 0) {
        return;
      }
      s.write(() => putCache(entries));
    },

    async generation() {
      return generation();
    },

    ...sqliteScan(s),

    async getMeta(key) {
      const row = s.stmt('SELECT value FROM meta WHERE key = ?').get(key) as
        | { value: string }
        | undefined;
      return row?.value;
    },
    async setMeta(key, value) {
      s.write(() =>
        s.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value),
      );
    },

    ...sqliteJobs(s),

    startIndexing() {
      const catchUp = () => {
        sideIndex().catchUp();
        cache?.warm();
      };
      catchUp();
      // New rows come from other processes (the ingest workers): look for them every second.
      indexing ??= setInterval(catchUp, 1000);
      indexing.unref();
    },

    indexStats() {
      const watermark = side?.watermark() ?? 0;
      const row = s
        .stmt('SELECT count(*) AS n FROM chunks WHERE rowid > ?')
        .get(BigInt(watermark)) as {
        n: number;
      };
      return { indexed: side?.size() ?? 0, lag: row.n };
    },

    async close() {
      clearInterval(indexing);
      await text?.close();
      side?.close();
      cache?.close();
      s.db.close();
    },
  };
}
