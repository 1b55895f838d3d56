import { ErrorCode } from '../common/errors.js';
import { z } from '../common/zod.js';

// RAG (seeds/operone-api-contracts.md §2): batch ingest as a background job with progress, and
// hybrid (vector + full text) queries with filters.

const IsoDate = z.iso.date().describe('YYYY-MM-DD');

const MetaKey = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, 'a metadata key: letters, digits, _ . - (≤ 64)');
const MetaValue = z.union([z.string().max(1024), z.number(), z.boolean()]);
export const RagMetadata = z
  .record(MetaKey, MetaValue)
  .refine((record) => Object.keys(record).length <= 64, 'at most 64 metadata keys')
  .openapi('RagMetadata');
export type RagMetadata = z.infer<typeof RagMetadata>;

export const DocumentId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits, _ . : - (≤ 128)');

export const IngestDocument = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .max(8 * 1024 * 1024)
      .describe('file:// (under AM_RAG_FILE_ROOT), http(s):// (public hosts), or a data: URL'),
    metadata: RagMetadata.optional(),
    date: IsoDate.optional().describe('The document’s date, for `filters.date_range`'),
    id: DocumentId.optional().describe(
      'Default: derived from `source`, so ingesting a source again replaces its chunks',
    ),
  })
  .openapi('IngestDocument');

export const MAX_INGEST_DOCUMENTS = 1000;

export const IngestOptions = z
  .strictObject({
    chunk_size: z.int().min(16).max(8192).default(512).describe('Tokens per chunk (cl100k)'),
    overlap: z.int().min(0).max(4096).default(50).describe('Tokens shared by neighbour chunks'),
  })
  .refine((o) => o.overlap < o.chunk_size, {
    message: 'overlap must be smaller than chunk_size',
    path: ['overlap'],
  })
  .openapi('IngestOptions');

export const IngestBatchRequestBody = z
  .strictObject({
    documents: z.array(IngestDocument).min(1).max(MAX_INGEST_DOCUMENTS),
    options: IngestOptions.optional(),
  })
  .openapi('IngestBatchRequestBody');
export type IngestBatchRequestBody = z.infer<typeof IngestBatchRequestBody>;

export const IngestJobStatus = z
  .enum(['queued', 'processing', 'completed', 'failed'])
  .openapi('IngestJobStatus');

export const IngestBatchResponseBody = z
  .object({ job_id: z.string(), status: IngestJobStatus, count: z.int().nonnegative() })
  .openapi('IngestBatchResponseBody');
export type IngestBatchResponseBody = z.infer<typeof IngestBatchResponseBody>;

export const IngestJobId = z.string().regex(/^job_[0-9a-f]{24}$/, 'an ingest job id (job_…)');
export const IngestJobParams = z.object({ job_id: IngestJobId });

const Count = z.int().nonnegative();

export const IngestDocumentState = z
  .object({
    source: z.string().describe('The source as sent (data: URLs cut to 64 characters)'),
    status: z.enum(['pending', 'done', 'failed']),
    doc_id: z.string().optional(),
    chunks: Count.optional(),
    unchanged: z.boolean().optional().describe('Same content as its last ingest: kept as it was'),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi('IngestDocumentState');

/** What a job's view and its stream's events both report. */
const progress = {
  job_id: z.string(),
  status: IngestJobStatus,
  docs_total: Count,
  docs_done: Count,
  docs_failed: Count,
  chunks_done: Count,
};

export const IngestJobView = z
  .object({
    ...progress,
    embed_cache_hits: Count.describe('Chunks whose embedding came from the SHA-256 cache'),
    documents: z.array(IngestDocumentState),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().optional(),
  })
  .openapi('IngestJobView');
export type IngestJobView = z.infer<typeof IngestJobView>;

export const IngestJobEvent = z
  .discriminatedUnion('event', [
    z.object({ event: z.literal('progress'), ...progress }),
    z.object({ event: z.literal('complete'), ...progress }),
    // The stream could not follow the job (its store kept failing); the job itself may still
    // run: GET /rag/jobs/{job_id} tells. Without it a server failure looked like the end.
    z.object({
      event: z.literal('error'),
      job_id: z.string(),
      code: ErrorCode,
      message: z.string(),
    }),
  ])
  .openapi('IngestJobEvent');
export type IngestJobEvent = z.infer<typeof IngestJobEvent>;

export const RagDocumentParams = z.object({ doc_id: DocumentId });

export const RagDocumentView = z
  .object({
    doc_id: z.string(),
    source: z.string(),
    metadata: RagMetadata,
    date: z.string().optional(),
    chunks: Count,
    content_sha256: z.string(),
    updated_at: z.string(),
  })
  .openapi('RagDocumentView');

export const DeleteDocumentResponseBody = z
  .object({ doc_id: z.string(), deleted: z.literal(true) })
  .openapi('DeleteDocumentResponseBody');

export const MAX_TOP_K = 100;

export const RagFilters = z
  .strictObject({
    date_range: z
      .tuple([IsoDate, IsoDate])
      .refine(([from, to]) => from <= to, 'the first date must not be after the second')
      .optional()
      .describe('Inclusive [from, to] on the documents’ `date`'),
    metadata: RagMetadata.optional().describe('Each key must equal its value (typed)'),
    doc_id: DocumentId.optional(),
  })
  .openapi('RagFilters');
export type RagFilters = z.infer<typeof RagFilters>;

export const RagQueryMode = z.enum(['hybrid', 'vector', 'text']).openapi('RagQueryMode');

export const RagQueryRequestBody = z
  .strictObject({
    query: z.string().trim().min(1).max(8192),
    top_k: z.int().min(1).max(MAX_TOP_K).default(5),
    filters: RagFilters.optional(),
    mode: RagQueryMode.default('hybrid'),
  })
  .openapi('RagQueryRequestBody');
export type RagQueryRequestBody = z.input<typeof RagQueryRequestBody>;

export const RagResult = z
  .object({
    content: z.string(),
    score: z.number().describe('Hybrid: reciprocal-rank-fusion score; vector: cosine similarity'),
    source: z.object({
      doc_id: z.string(),
      chunk_id: z.string(),
      source: z.string().optional(),
      metadata: RagMetadata,
      date: z.string().optional(),
    }),
  })
  .openapi('RagResult');

export const RagQueryResponseBody = z
  .object({
    results: z.array(RagResult),
    latency_ms: z.number().nonnegative(),
    mode: RagQueryMode,
    plan: z
      .enum(['exact', 'ann', 'ann+exact', 'text'])
      .describe('How the vector part ran: exact over the filtered rows, or the ANN index'),
    cached: z.boolean(),
  })
  .openapi('RagQueryResponseBody');
export type RagQueryResponseBody = z.infer<typeof RagQueryResponseBody>;

const RecallClass = z.object({
  samples: Count,
  recall_at_10: z.number().min(0).max(1).nullable().describe('null until sampled'),
});

export const RagStatsResponseBody = z
  .object({
    store: z.enum(['sqlite', 'pgvector']),
    embedder: z.object({ id: z.string(), dim: z.int().positive() }),
    chunks: Count,
    index: z.object({ indexed: Count, lag: Count.describe('Rows the ANN index has not taken') }),
    recall: z.object({ unfiltered: RecallClass, filtered: RecallClass }),
    query_cache: z.object({ hits: Count, misses: Count, size: Count }),
  })
  .openapi('RagStatsResponseBody');
export type RagStatsResponseBody = z.infer<typeof RagStatsResponseBody>;
