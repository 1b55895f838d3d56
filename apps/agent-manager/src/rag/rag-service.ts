import { randomBytes } from 'node:crypto';
import type {
  IngestBatchRequestBody,
  IngestJobView,
  RagFilters,
  RagQueryResponseBody,
} from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { Embedder } from './embedder.js';
import { checkSourceAllowed } from './ingest/load-source.js';
import { isSourceError } from './ingest/source-error.js';
import { newIngestJob } from './ingest-job-record.js';
import type { QueryEngine, SearchMode } from './query-engine.js';
import type { ChunkFilter, IngestJobRecord, VectorStore } from './store.js';

export interface RagServiceDeps {
  store: VectorStore;
  engine: QueryEngine;
  embedder: Embedder;
  /** puts the job on the ingest queue */
  enqueue: (jobId: string) => Promise<void>;
  fileRoot: string | undefined;
  /** http(s) sources may name private hosts (AM_HTTP_ALLOW_PRIVATE: tests, local services) */
  allowPrivate: boolean;
  /** rows the ANN index has not taken yet (sqlite's side index; 0 for pgvector) */
  indexStats: () => { indexed: number; lag: number };
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const shortSource = (source: string) => (source.length > 64 ? `${source.slice(0, 63)}…` : source);

export function jobView(job: IngestJobRecord): IngestJobView {
  return {
    job_id: job.id,
    status: job.status,
    docs_total: job.docsTotal,
    docs_done: job.docsDone,
    docs_failed: job.docsFailed,
    chunks_done: job.chunksDone,
    embed_cache_hits: job.embedCacheHits,
    documents: job.documents.map((state, i) => ({
      source: shortSource(job.request.documents[i]?.source ?? ''),
      status: state.status,
      ...(state.docId === undefined ? {} : { doc_id: state.docId }),
      ...(state.chunks === undefined ? {} : { chunks: state.chunks }),
      ...(state.unchanged ? { unchanged: true } : {}),
      ...(state.error === undefined ? {} : { error: state.error }),
    })),
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    ...(job.finishedAt === undefined ? {} : { finished_at: iso(job.finishedAt) }),
  };
}

export function ragFilter(filters: RagFilters | undefined): ChunkFilter {
  return {
    collection: 'rag',
    ...(filters?.metadata === undefined ? {} : { metadata: filters.metadata }),
    ...(filters?.date_range === undefined
      ? {}
      : { dateFrom: filters.date_range[0], dateTo: filters.date_range[1] }),
    ...(filters?.doc_id === undefined ? {} : { docId: filters.doc_id }),
  };
}

/** The API side of RAG: accepts ingest jobs (workers run them), serves queries and documents. */
export function createRagService(deps: RagServiceDeps) {
  const now = deps.now ?? Date.now;
  return {
    async submitIngest(body: IngestBatchRequestBody) {
      // Refused up front, whole: a batch with one forbidden source is a client mistake.
      body.documents.forEach((doc, i) => {
        try {
          checkSourceAllowed(doc.source, deps.fileRoot, { allowPrivate: deps.allowPrivate });
        } catch (err) {
          if (isSourceError(err) && err.code === 'SOURCE_NOT_ALLOWED') {
            throw new ApiError({
              code: 'SOURCE_NOT_ALLOWED',
              message: `documents[${i}].source: ${err.message}`,
            });
          }
          throw new ApiError({
            code: 'VALIDATION_ERROR',
            message: `documents[${i}].source: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      });
      const job = newIngestJob(
        `job_${randomBytes(12).toString('hex')}`,
        {
          documents: body.documents,
          options: {
            chunk_size: body.options?.chunk_size ?? 512,
            overlap: body.options?.overlap ?? 50,
          },
        },
        now(),
      );
      await deps.store.createJob(job);
      await deps.enqueue(job.id);
      return { job_id: job.id, status: 'processing' as const, count: body.documents.length };
    },

    async job(id: string): Promise<IngestJobRecord> {
      const job = await deps.store.getJob(id);
      if (job === undefined) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No ingest job ${id}` });
      }
      return job;
    },

    async document(id: string) {
      const doc = await deps.store.getDocument(id);
      if (doc === undefined || doc.collection !== 'rag') {
        throw new ApiError({ code: 'NOT_FOUND', message: `No document ${id}` });
      }
      return {
        doc_id: doc.id,
        source: doc.source,
        metadata: doc.metadata,
        ...(doc.date === undefined ? {} : { date: doc.date }),
        chunks: doc.chunks,
        content_sha256: doc.contentHash,
        updated_at: iso(doc.updatedAt),
      };
    },

    async deleteDocument(id: string) {
      if (!(await deps.store.deleteDocument(id))) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No document ${id}` });
      }
      return { doc_id: id, deleted: true as const };
    },

    async query(body: {
      query: string;
      top_k: number;
      mode: SearchMode;
      filters?: RagFilters | undefined;
    }): Promise<RagQueryResponseBody> {
      const started = performance.now();
      const result = await deps.engine.search({
        text: body.query,
        topK: body.top_k,
        mode: body.mode,
        filter: ragFilter(body.filters),
      });
      return {
        results: result.hits.map((hit) => ({
          content: hit.content,
          score: hit.score,
          source: {
            doc_id: hit.docId,
            chunk_id: hit.id,
            ...(hit.source === undefined ? {} : { source: hit.source }),
            metadata: hit.metadata,
            ...(hit.date === undefined ? {} : { date: hit.date }),
          },
        })),
        latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
        mode: body.mode,
        plan: result.plan,
        cached: result.cached,
      };
    },

    async stats() {
      const { cache, recall } = deps.engine.stats();
      return {
        store: deps.store.kind,
        embedder: { id: deps.embedder.id, dim: deps.embedder.dim },
        chunks: await deps.store.countMatching({ collection: 'rag' }, Number.MAX_SAFE_INTEGER),
        index: deps.indexStats(),
        recall,
        query_cache: cache,
      };
    },
  };
}
export type RagService = ReturnType<typeof createRagService>;
