import { DatabaseSync, type StatementSync } from 'node:sqlite';
import * as sqliteVec from 'sqlite-vec';

/**
 * Column order matters for speed: SQLite reads a row's payload front to back and spills the tail
 * into overflow pages, so the columns a filtered scan touches (filters, then the embedding) come
 * before the long text ones.
 *
 * One contentless FTS5 table per collection (`fts_rag`, `fts_memory`): a text query filtered by
 * collection alone then needs no join to `chunks`, which at 100k rows cost 4 of 6.5 ms for
 * queries whose words match thousands of rows.
 *
 * `AUTOINCREMENT` (not a bare INTEGER PRIMARY KEY): the HNSW side index keys rows by rowid and
 * trusts "rowid > watermark" to find everything new. A bare rowid is reused after the highest
 * rows are deleted, which would hide new rows behind the watermark and serve a deleted row's
 * vector for them.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (
  id TEXT PRIMARY KEY,
  collection TEXT NOT NULL,
  source TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  metadata TEXT NOT NULL,
  date TEXT,
  chunks INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  collection TEXT NOT NULL,
  doc_id TEXT,
  ordinal INTEGER NOT NULL,
  date TEXT,
  scope TEXT,
  session TEXT,
  expires_at INTEGER,
  embedding BLOB NOT NULL,
  metadata TEXT NOT NULL,
  tags TEXT,
  content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
CREATE INDEX IF NOT EXISTS chunks_date ON chunks (collection, date);
CREATE INDEX IF NOT EXISTS chunks_scope ON chunks (collection, scope, session);
CREATE INDEX IF NOT EXISTS chunks_expiry ON chunks (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS chunk_terms (
  term TEXT NOT NULL,
  row INTEGER NOT NULL,
  PRIMARY KEY (term, row)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts_rag USING fts5(
  content, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_memory USING fts5(
  content, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_rag_vocab USING fts5vocab(fts_rag, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_memory_vocab USING fts5vocab(fts_memory, 'row');
CREATE TABLE IF NOT EXISTS embed_cache (hash TEXT PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ingest_jobs (id TEXT PRIMARY KEY, record TEXT NOT NULL, request TEXT NOT NULL);
`;

/** A connection plus a cache of its prepared statements, keyed by SQL text. */
export interface SqliteDb {
  readonly db: DatabaseSync;
  stmt(sql: string): StatementSync;
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
   * writers queue on busy_timeout instead of one failing with SQLITE_BUSY at its first write. */
  write<T>(fn: () => T): T;
  /**
   * Bumped after each of this connection's own commits that changed a row (data_version does not
   * see those).
   */
  readonly localCommits: () => number;
}

// Filter shapes vary (which metadata keys, tags…), so the cache is bounded; past this many
// distinct shapes it starts over rather than growing without end.
const STATEMENT_CACHE_MAX = 256;

/** Opens (creating if needed) the store's SQLite file, checking it was made for `dim`. */
export function openSqliteDb(path: string, dim: number): SqliteDb {
  const db = new DatabaseSync(path, { allowExtension: true, timeout: 5000 });
  try {
    sqliteVec.load(db);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA synchronous = NORMAL');
    // Reads through mmap skip one pread per page; at 100k chunks a 5% filtered scan touches
    // ~5,000 scattered pages, and this halves its time.
    db.exec('PRAGMA mmap_size = 1073741824');
    db.exec('PRAGMA cache_size = -65536');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(SCHEMA);
      checkDim(db, dim);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  } catch (err) {
    db.close();
    throw err;
  }

  const cache = new Map<string, StatementSync>();
  let commits = 0;
  const totalChanges = db.prepare('SELECT total_changes() AS n');
  const changes = () => (totalChanges.get() as { n: number }).n;
  return {
    db,
    stmt(sql) {
      let s = cache.get(sql);
      if (!s) {
        if (cache.size >= STATEMENT_CACHE_MAX) {
          cache.clear();
        }
        s = db.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    },
    write(fn) {
      beginImmediate(db);
      try {
        const before = changes();
        const out = fn();
        const changed = changes() !== before;
        db.exec('COMMIT');
        // A write that changed no row (the minute's purge, mostly) leaves the generation, and
        // with it every cache keyed by it, as it was.
        if (changed) {
          commits++;
        }
        return out;
      } catch (err) {
        if (db.isTransaction) {
          db.exec('ROLLBACK');
        }
        throw err;
      }
    },
    localCommits: () => commits,
  };
}

/** SQLite's primary result code for a lock held elsewhere. */
const SQLITE_BUSY = 5;
const BUSY_RETRY_MS = 10_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * BEGIN IMMEDIATE, retried while another process holds the write lock. With several processes
 * writing one WAL file, SQLite answered SQLITE_BUSY after ~80 ms (not the 5 s busy timeout)
 * under load: the ingest workers' commits failed whole jobs. Nothing has run yet when BEGIN
 * fails, so retrying it is safe; the wait blocks this thread, as the write itself would.
 */
function beginImmediate(db: DatabaseSync): void {
  const deadline = performance.now() + BUSY_RETRY_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (err) {
      if ((err as { errcode?: number }).errcode !== SQLITE_BUSY || performance.now() > deadline) {
        throw err;
      }
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}

function checkDim(db: DatabaseSync, dim: number): void {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'dim'").get() as
    | { value: string }
    | undefined;
  if (!row) {
    db.prepare("INSERT INTO meta (key, value) VALUES ('dim', ?)").run(String(dim));
  } else if (Number(row.value) !== dim) {
    throw new Error(`sqlite store was created with dim ${row.value}, opened with dim ${dim}`);
  }
}

/** The float32 little-endian bytes of a vector, as stored in `chunks.embedding`. */
export function vecBlob(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** A Float32Array over a copy of `blob`: node:sqlite's blobs are not 4-byte aligned. */
export function blobVec(blob: Uint8Array): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

/** The FTS5 table holding a collection's text; the name is from a closed set, safe in SQL. */
export function ftsTable(collection: string): 'fts_rag' | 'fts_memory' {
  if (collection === 'rag' || collection === 'memory') {
    return `fts_${collection}`;
  }
  throw new Error(`unknown collection ${collection}`);
}
