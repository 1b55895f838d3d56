/**
 * Where RAG chunks and memory entries live: one interface, two implementations chosen once at
 * start (sqlite-store.ts: node:sqlite + sqlite-vec + FTS5, embedded; pgvector-store.ts: Postgres
 * with pgvector ≥ 0.8). Rows of both collections ('rag' documents' chunks, 'memory' entries) share
 * one table, so memory is ranked by the same hybrid search.
 */

export type Collection = 'rag' | 'memory';

/** Metadata values a filter can match by equality. */
export type MetaValue = string | number | boolean;
export type Metadata = Record<string, MetaValue>;

/** Restricts a search; every given part must hold (AND). */
export interface ChunkFilter {
  collection: Collection;
  /** metadata key = value, each */
  metadata?: Metadata;
  /** inclusive ISO dates (YYYY-MM-DD) on the chunk's `date` */
  dateFrom?: string;
  dateTo?: string;
  docId?: string;
  /** memory: only entries carrying every tag */
  tags?: string[];
  /** memory: 'session' | 'longterm' */
  scope?: string;
  /** memory session scope: the session id */
  session?: string;
  /** rows whose expires_at (ms epoch) is at or before this are invisible */
  now?: number;
}

export interface ChunkInput {
  /** caller-chosen stable id, unique per store (e.g. `<docId>:<ordinal>` or `mem_…`) */
  id: string;
  ordinal: number;
  content: string;
  /** unit length (cosine = dot product), `dim` long */
  embedding: Float32Array;
  metadata: Metadata;
  date?: string;
  tags?: string[];
  scope?: string;
  session?: string;
  /** ms epoch; undefined = never */
  expiresAt?: number;
}

export interface DocumentInput {
  id: string;
  collection: Collection;
  source: string;
  /** SHA-256 of the extracted text: a re-ingest with the same hash changes nothing */
  contentHash: string;
  metadata: Metadata;
  date?: string;
}

export interface StoredDocument extends DocumentInput {
  chunks: number;
  updatedAt: number;
}

/** A chunk as stored, without its embedding: what a re-index reads back to embed again. */
export type StoredChunk = Omit<ChunkInput, 'embedding'>;

export interface Hit {
  /** the store's internal row key (sqlite rowid, postgres bigserial): HNSW side-index key */
  key: number;
  id: string;
  docId: string;
  content: string;
  /** cosine similarity for vector hits, bm25-derived (higher is better) for text hits */
  score: number;
  metadata: Metadata;
  date?: string;
  tags?: string[];
  scope?: string;
  session?: string;
  source?: string;
}

/**
 * A row's place in a ranking, before its content is read: fusion and recall sampling need only
 * keys, so a hybrid query reads the content of its final top_k rows, not of every candidate.
 * `hit` is set when the store read the row in the ranking statement anyway (pgvector).
 */
export interface Ranked {
  key: number;
  score: number;
  hit?: Hit;
}

export interface IngestJobRecord {
  id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  /** the request's documents and options, as accepted */
  request: {
    documents: { source: string; metadata?: Metadata; date?: string; id?: string }[];
    options: IngestOptions;
  };
  docsTotal: number;
  docsDone: number;
  docsFailed: number;
  chunksDone: number;
  embedCacheHits: number;
  /** per-document outcome, index = position in request.documents */
  documents: IngestDocState[];
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
}

export interface IngestOptions {
  chunk_size: number;
  overlap: number;
}

export interface IngestDocState {
  status: 'pending' | 'done' | 'failed';
  docId?: string;
  chunks?: number;
  /** the document was unchanged since its last ingest */
  unchanged?: boolean;
  error?: { code: string; message: string };
}

export interface VectorStore {
  readonly kind: 'sqlite' | 'pgvector';
  readonly dim: number;

  /** Replaces a document's chunks in one transaction: old ones gone, new ones visible, at once. */
  replaceDocument(doc: DocumentInput, chunks: readonly ChunkInput[]): Promise<void>;
  /**
   * Replaces several documents (each as replaceDocument does) and stores their new embeddings
   * in the cache, all in one transaction: ingest commits a group of documents at a time.
   */
  replaceDocuments(
    items: readonly { doc: DocumentInput; chunks: readonly ChunkInput[] }[],
    cache?: ReadonlyMap<string, Float32Array>,
  ): Promise<void>;
  getDocument(id: string): Promise<StoredDocument | undefined>;
  /** Deletes a document and its chunks; false when there was none. */
  deleteDocument(id: string): Promise<boolean>;

  /** Inserts memory entries (collection 'memory') in one transaction. */
  insertEntries(entries: readonly ChunkInput[]): Promise<void>;
  deleteEntry(id: string): Promise<boolean>;
  /** Removes expired memory rows; returns how many. */
  purgeExpired(now: number): Promise<number>;

  /** Exact top-k by cosine over the rows the filter admits (filtered rows first, then distance). */
  exactRank(query: Float32Array, k: number, filter: ChunkFilter): Promise<Ranked[]>;
  /** Approximate top-k (the store's ANN index, over-fetched and filtered); may return < k. */
  annRank(query: Float32Array, k: number, filter: ChunkFilter): Promise<Ranked[]>;
  /** Full-text top-k (FTS5 bm25 / tsvector ts_rank) over the rows the filter admits. */
  textRank(text: string, k: number, filter: ChunkFilter): Promise<Ranked[]>;
  /** The rows of a ranking, in its order and with its scores; rows deleted since are left out. */
  hydrate(ranked: readonly Ranked[]): Promise<Hit[]>;
  /** exactRank, hydrated. */
  exactSearch(query: Float32Array, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** annRank, hydrated. */
  annSearch(query: Float32Array, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** textRank, hydrated. */
  textSearch(text: string, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** How many rows the filter admits (capped: stops counting at `cap`). */
  countMatching(filter: ChunkFilter, cap: number): Promise<number>;

  /** Embedding cache keyed by SHA-256 of (embedder id, chunk text). */
  cachedEmbeddings(hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  cacheEmbeddings(entries: ReadonlyMap<string, Float32Array>): Promise<void>;

  /** Changes whenever committed content changes (any process): the query cache's key part. */
  generation(): Promise<string>;

  /**
   * Documents whose id sorts after `afterId` (from the first when undefined), in id order, each
   * with its chunks in ordinal order: a re-index reads a store through it a page at a time. A page
   * ends before the document that would take it past `maxChunks` chunks, yet always holds one.
   */
  scanDocuments(
    afterId: string | undefined,
    maxChunks: number,
  ): Promise<{ doc: StoredDocument; chunks: StoredChunk[] }[]>;
  /** Up to `limit` memory entries (rows of no document) whose id sorts after `afterId`, in id order. */
  scanEntries(afterId: string | undefined, limit: number): Promise<StoredChunk[]>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  createJob(job: IngestJobRecord): Promise<void>;
  getJob(id: string): Promise<IngestJobRecord | undefined>;
  /** Writes the job's counters, status and per-document states. */
  updateJob(job: IngestJobRecord): Promise<void>;
  /** Ids of jobs queued or processing (re-queued at start: the in-process queue forgets). */
  unfinishedJobs(): Promise<string[]>;

  close(): Promise<void>;
}

/**
 * The leading documents of a scan page whose chunks fit in `maxChunks` (at least one): both
 * stores read a page of documents first and then only these documents' chunks.
 */
export function withinChunkBudget<T extends { chunks: number }>(
  docs: readonly T[],
  maxChunks: number,
): T[] {
  let total = 0;
  let n = 0;
  for (const doc of docs) {
    total += doc.chunks;
    if (n > 0 && total > maxChunks) {
      break;
    }
    n += 1;
  }
  return docs.slice(0, n);
}
