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
  exactSearch(query: Float32Array, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** Approximate top-k (the store's ANN index, over-fetched and filtered); may return < k. */
  annSearch(query: Float32Array, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** Full-text top-k (FTS5 bm25 / tsvector ts_rank) over the rows the filter admits. */
  textSearch(text: string, k: number, filter: ChunkFilter): Promise<Hit[]>;
  /** How many rows the filter admits (capped: stops counting at `cap`). */
  countMatching(filter: ChunkFilter, cap: number): Promise<number>;

  /** Embedding cache keyed by SHA-256 of (embedder id, chunk text). */
  cachedEmbeddings(hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  cacheEmbeddings(entries: ReadonlyMap<string, Float32Array>): Promise<void>;

  /** Changes whenever committed content changes (any process): the query cache's key part. */
  generation(): Promise<string>;

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
