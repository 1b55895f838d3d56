import { createHash } from 'node:crypto';
import type { Embedder } from '../embedder.js';
import type {
  ChunkInput,
  DocumentInput,
  IngestDocState,
  IngestJobRecord,
  Metadata,
  VectorStore,
} from '../store.js';
import { chunkText } from './chunk-text.js';
import { documentIdFor, storedSource } from './document-id.js';
import { embedWithCache } from './embed-with-cache.js';
import { extractText } from './extract-text.js';
import { type LoadSourceDeps, loadSource } from './load-source.js';

export interface IngestDeps {
  store: VectorStore;
  embedder: Embedder;
  load: Omit<LoadSourceDeps, 'fetch'> & Pick<LoadSourceDeps, 'fetch'>;
  /** doc/extract's output, where a processor is configured */
  processor?: (bytes: Uint8Array, contentType: string | undefined) => Promise<string>;
  publish: (event: 'ingest.progress' | 'ingest.complete', payload: object) => void;
  now?: () => number;
}

const PROGRESS_MS = 250;
/** Chunks committed together (fewer when PROGRESS_MS passes first). */
const GROUP_CHUNKS = 1000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Counters follow from the per-document states, so a resumed job counts exactly once. */
export function withCounters(job: IngestJobRecord): IngestJobRecord {
  let docsDone = 0;
  let docsFailed = 0;
  let chunksDone = 0;
  for (const doc of job.documents) {
    if (doc.status === 'done') {
      docsDone += 1;
      chunksDone += doc.chunks ?? 0;
    } else if (doc.status === 'failed') {
      docsFailed += 1;
    }
  }
  return { ...job, docsDone, docsFailed, chunksDone };
}

function errorState(err: unknown): IngestDocState {
  const code =
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
      ? (err as { code: string }).code
      : 'INGEST_FAILED';
  return {
    status: 'failed',
    error: { code, message: err instanceof Error ? err.message : String(err) },
  };
}

/**
 * Runs one ingest job on a worker: each pending document is loaded, extracted, chunked, embedded
 * (through the SHA-256 cache) and committed with its job state in one transaction, so a worker
 * killed midway leaves every document either whole or absent, and the retried job skips what
 * is done. Throws only when the job itself cannot go on (the store is gone): the queue retries.
 */
export async function runIngestJob(
  jobId: string,
  deps: IngestDeps,
  signal: AbortSignal,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const found = await deps.store.getJob(jobId);
  if (found === undefined || found.status === 'completed') {
    return;
  }
  let job: IngestJobRecord = withCounters({ ...found, status: 'processing', updatedAt: now() });
  await deps.store.updateJob(job);
  const progress = () =>
    deps.publish('ingest.progress', {
      job_id: job.id,
      docs_done: job.docsDone,
      docs_total: job.docsTotal,
      chunks_done: job.chunksDone,
      docs_failed: job.docsFailed,
    });
  // The job's row is written at most every PROGRESS_MS (and at the end): with a state per
  // document, writing it per document would cost more than small documents' own ingest.
  let savedAt = 0;
  const save = async (force: boolean) => {
    if (force || now() - savedAt >= PROGRESS_MS) {
      savedAt = now();
      await deps.store.updateJob(job);
      progress();
    }
  };

  // Prepared documents are committed in groups (one transaction each, every document in it
  // whole): a commit per small document cost more than the document's own work, and writers of
  // an SQLite file queue for its one write lock.
  let group: Prepared[] = [];
  let groupChunks = 0;
  let groupStarted = 0;
  const commit = async () => {
    if (group.length === 0) {
      return;
    }
    const cache = new Map<string, Float32Array>();
    for (const item of group) {
      for (const [hash, vector] of item.fresh) {
        cache.set(hash, vector);
      }
    }
    await deps.store.replaceDocuments(
      group.map((item) => item.write),
      cache,
    );
    for (const item of group) {
      record(item.index, item.state, item.hits);
    }
    group = [];
    groupChunks = 0;
    await save(false);
  };
  const record = (index: number, state: IngestDocState, hits: number) => {
    job = withCounters({
      ...setDoc(job, index, state),
      embedCacheHits: job.embedCacheHits + hits,
      updatedAt: now(),
    });
  };

  for (const [index, request] of job.request.documents.entries()) {
    if (job.documents[index]?.status !== 'pending') {
      continue;
    }
    signal.throwIfAborted();
    let prepared: Prepared | IngestDocState;
    try {
      prepared = await prepareDocument(deps, job, index, request, signal);
    } catch (err) {
      if (signal.aborted) {
        throw err;
      }
      prepared = errorState(err);
    }
    if ('write' in prepared) {
      if (group.length === 0) {
        groupStarted = now();
      }
      group.push(prepared);
      groupChunks += prepared.write.chunks.length;
      if (groupChunks >= GROUP_CHUNKS || now() - groupStarted >= PROGRESS_MS) {
        await commit();
      }
    } else {
      record(index, prepared, 0);
      await save(false);
    }
  }
  await commit();
  job = withCounters({ ...job, status: 'completed', updatedAt: now(), finishedAt: now() });
  await save(true);
  deps.publish('ingest.complete', { job_id: job.id, docs_indexed: job.docsDone });
}

/** A document ready to commit: its chunks embedded, its state once committed. */
interface Prepared {
  index: number;
  write: { doc: DocumentInput; chunks: ChunkInput[] };
  fresh: Map<string, Float32Array>;
  state: IngestDocState;
  hits: number;
}

/**
 * Loads, extracts, chunks and embeds one document. A document whose stored content is what this
 * job would write needs no commit: `unchanged` when an earlier job wrote it, plain `done` when
 * this job did (before a crash lost the job's progress row).
 */
async function prepareDocument(
  deps: IngestDeps,
  job: IngestJobRecord,
  index: number,
  request: IngestJobRecord['request']['documents'][number],
  signal: AbortSignal,
): Promise<Prepared | IngestDocState> {
  const { chunk_size: chunkSize, overlap } = job.request.options;
  const loaded = await loadSource(request.source, { ...deps.load, signal });
  const { text } = await extractText(loaded, deps.processor ? { processor: deps.processor } : {});
  const docId = request.id ?? documentIdFor(request.source);
  // Same text, same chunking, same embedder: the stored chunks are already these.
  const contentHash = sha256(`${deps.embedder.id}\n${chunkSize}/${overlap}\n${text}`);
  const metadata: Metadata = request.metadata ?? {};
  const date = request.date ?? (typeof metadata.date === 'string' ? metadata.date : undefined);
  const existing = await deps.store.getDocument(docId);
  if (
    existing?.contentHash === contentHash &&
    sameMeta(existing.metadata, metadata) &&
    existing.date === date
  ) {
    const byThisJob = existing.updatedAt >= job.createdAt;
    return {
      status: 'done',
      docId,
      chunks: existing.chunks,
      ...(byThisJob ? {} : { unchanged: true }),
    };
  }
  const pieces = chunkText(text, { chunkSize, overlap });
  const embedded = await embedWithCache(
    deps.store,
    deps.embedder,
    pieces.map((p) => p.content),
    signal,
  );
  const chunks: ChunkInput[] = pieces.map((piece, ordinal) => ({
    id: `${docId}:${ordinal}`,
    ordinal,
    content: piece.content,
    embedding: embedded.vectors[ordinal] as Float32Array,
    metadata,
    ...(date === undefined ? {} : { date }),
  }));
  return {
    index,
    write: {
      doc: {
        id: docId,
        collection: 'rag',
        source: storedSource(request.source),
        contentHash,
        metadata,
        ...(date === undefined ? {} : { date }),
      },
      chunks,
    },
    fresh: embedded.fresh,
    state: { status: 'done', docId, chunks: chunks.length },
    hits: embedded.cacheHits,
  };
}

function setDoc(job: IngestJobRecord, index: number, state: IngestDocState): IngestJobRecord {
  const documents = job.documents.slice();
  documents[index] = state;
  return { ...job, documents };
}

function sameMeta(a: Metadata, b: Metadata): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Ends a job the queue gave up on (its worker kept failing outside any one document, e.g. the
 * store was unreachable): `failed`, with what it had done kept.
 */
export async function failIngestJob(
  store: VectorStore,
  jobId: string,
  error: Error,
): Promise<void> {
  const job = await store.getJob(jobId);
  if (job === undefined || job.status === 'completed') {
    return;
  }
  const at = Date.now();
  const documents = job.documents.map((state) =>
    state.status === 'pending'
      ? { status: 'failed' as const, error: { code: 'INGEST_FAILED', message: error.message } }
      : state,
  );
  await store.updateJob(
    withCounters({ ...job, documents, status: 'failed', updatedAt: at, finishedAt: at }),
  );
}
