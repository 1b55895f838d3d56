import {
  authErrorResponses,
  commonErrorResponses,
  defineRoute,
  errorResponse,
} from '../common/route.js';
import {
  DeleteMemoryResponseBody,
  MemoryBatchRequestBody,
  MemoryBatchResponseBody,
  MemoryParams,
  ReadMemoryQuery,
  ReadMemoryResponseBody,
} from './memory.js';
import {
  DeleteDocumentResponseBody,
  IngestBatchRequestBody,
  IngestBatchResponseBody,
  IngestJobEvent,
  IngestJobParams,
  IngestJobView,
  RagDocumentParams,
  RagDocumentView,
  RagQueryRequestBody,
  RagQueryResponseBody,
  RagStatsResponseBody,
} from './rag.js';

// Same scheme name as routes.ts's AM_API_KEY_SCHEME (not imported: routes.ts imports this file).
const security = 'bearerKey';
const guarded = { ...commonErrorResponses, ...authErrorResponses } as const;

export const ingestBatch = defineRoute({
  method: 'post',
  path: '/rag/ingest/batch',
  operationId: 'ingestBatch',
  summary:
    'Ingest up to 1,000 documents as one background job (load, extract, chunk, embed, index)',
  description:
    'Answers at once; follow the job with GET /rag/jobs/{job_id} or its /events stream. Each ' +
    'document becomes visible to queries all at once; ingesting a source again replaces its ' +
    'chunks atomically (unchanged content is kept as it is).',
  tags: ['rag'],
  security,
  request: { body: IngestBatchRequestBody },
  responses: {
    202: {
      description: 'Accepted: the job runs on the ingest workers',
      schema: IngestBatchResponseBody,
    },
    ...guarded,
    400: errorResponse('Invalid body, or over 1,000 documents (VALIDATION_ERROR)'),
    403: errorResponse(
      'A source outside the allowed file root, a private host, or a scheme not served (SOURCE_NOT_ALLOWED)',
    ),
  },
});

export const getIngestJob = defineRoute({
  method: 'get',
  path: '/rag/jobs/{job_id}',
  operationId: 'getIngestJob',
  summary: 'An ingest job’s progress: documents and chunks done, the error of each failed document',
  tags: ['rag'],
  security,
  request: { params: IngestJobParams },
  responses: {
    200: { description: 'The job', schema: IngestJobView },
    ...guarded,
    404: errorResponse('No such job (NOT_FOUND)'),
  },
});

export const streamIngestJob = defineRoute({
  method: 'get',
  path: '/rag/jobs/{job_id}/events',
  operationId: 'streamIngestJob',
  summary: 'An ingest job’s progress as SSE, ending with `complete`',
  tags: ['rag'],
  security,
  request: { params: IngestJobParams },
  responses: {
    200: {
      kind: 'sse',
      description:
        '`progress` on each change, then one `complete`; `error` (then the end) when the job ' +
        'cannot be read any more',
      events: IngestJobEvent,
    },
    ...guarded,
    404: errorResponse('No such job (NOT_FOUND)'),
  },
});

export const getRagDocument = defineRoute({
  method: 'get',
  path: '/rag/documents/{doc_id}',
  operationId: 'getRagDocument',
  summary: 'An ingested document: source, metadata, chunk count',
  tags: ['rag'],
  security,
  request: { params: RagDocumentParams },
  responses: {
    200: { description: 'The document', schema: RagDocumentView },
    ...guarded,
    404: errorResponse('No such document (NOT_FOUND)'),
  },
});

export const deleteRagDocument = defineRoute({
  method: 'delete',
  path: '/rag/documents/{doc_id}',
  operationId: 'deleteRagDocument',
  summary: 'Delete a document and all its chunks, at once',
  tags: ['rag'],
  security,
  request: { params: RagDocumentParams },
  responses: {
    200: { description: 'Deleted', schema: DeleteDocumentResponseBody },
    ...guarded,
    404: errorResponse('No such document (NOT_FOUND)'),
  },
});

export const queryRag = defineRoute({
  method: 'post',
  path: '/rag/query',
  operationId: 'queryRag',
  summary: 'Hybrid (vector + full text, reciprocal rank fusion), vector or text search, filtered',
  description:
    'Filtered queries keep their recall: a selective filter is searched exactly, a broad one ' +
    'through the ANN index with over-fetch, falling back to exact when too few rows survive.',
  tags: ['rag'],
  security,
  request: { body: RagQueryRequestBody },
  responses: {
    200: { description: 'Results, best first', schema: RagQueryResponseBody },
    ...guarded,
  },
});

export const getRagStats = defineRoute({
  method: 'get',
  path: '/rag/stats',
  operationId: 'getRagStats',
  summary: 'The store, its size, the ANN index lag, and recall@10 measured against exact search',
  tags: ['rag'],
  security,
  responses: { 200: { description: 'Stats', schema: RagStatsResponseBody }, ...guarded },
});

export const writeMemory = defineRoute({
  method: 'post',
  path: '/memory/batch',
  operationId: 'writeMemory',
  summary: 'Write up to 1,000 memory entries in one transaction',
  description: 'Session entries expire after AM_SESSION_TTL_S; long-term ones are kept.',
  tags: ['memory'],
  security,
  request: { body: MemoryBatchRequestBody },
  responses: {
    201: { description: 'Written, ids in request order', schema: MemoryBatchResponseBody },
    ...guarded,
  },
});

export const readMemory = defineRoute({
  method: 'get',
  path: '/memory',
  operationId: 'readMemory',
  summary: 'Memory entries ranked by hybrid search',
  description:
    'Answered with `Cache-Control: max-age=60`; the service’s own cache is emptied by every write.',
  tags: ['memory'],
  security,
  request: { query: ReadMemoryQuery },
  responses: {
    200: { description: 'Entries, best first', schema: ReadMemoryResponseBody },
    ...guarded,
  },
});

export const deleteMemory = defineRoute({
  method: 'delete',
  path: '/memory/{memory_id}',
  operationId: 'deleteMemory',
  summary: 'Delete one memory entry',
  tags: ['memory'],
  security,
  request: { params: MemoryParams },
  responses: {
    200: { description: 'Deleted', schema: DeleteMemoryResponseBody },
    ...guarded,
    404: errorResponse('No such entry (NOT_FOUND)'),
  },
});

export const ragRoutes = {
  ingestBatch,
  getIngestJob,
  streamIngestJob,
  getRagDocument,
  deleteRagDocument,
  queryRag,
  getRagStats,
  writeMemory,
  readMemory,
  deleteMemory,
} as const;
