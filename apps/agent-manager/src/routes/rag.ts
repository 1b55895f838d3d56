import {
  deleteMemory,
  deleteRagDocument,
  getIngestJob,
  getRagDocument,
  getRagStats,
  ingestBatch,
  queryRag,
  readMemory,
  streamIngestJob,
  writeMemory,
} from '@agentplane/contracts';
import { type IRouter, openSse, registerRoute } from '@agentplane/http-kit';
import type { MemoryService } from '../rag/memory-service.js';
import { jobView, type RagService } from '../rag/rag-service.js';
import { streamJob } from './rag-job-stream.js';

export interface RagRouteDeps {
  rag: RagService;
  memory: MemoryService;
  /** how often a job's stream looks for progress; default 200 ms */
  pollMs?: number;
}

export function registerRagRoutes(router: IRouter, deps: RagRouteDeps): void {
  const { rag, memory } = deps;
  const pollMs = deps.pollMs ?? 200;

  registerRoute(router, ingestBatch, async ({ body }) => ({
    status: 202,
    body: await rag.submitIngest(body),
  }));

  registerRoute(router, getIngestJob, async ({ params }) => ({
    status: 200,
    body: jobView(await rag.job(params.job_id)),
  }));

  registerRoute(router, streamIngestJob, async ({ params, req, res, log }) => {
    // The first read's errors (NOT_FOUND) are answered as JSON, before the stream opens.
    const first = await rag.job(params.job_id);
    const sse = openSse(req, res, { log });
    try {
      await streamJob({ rag, first, sse, log, pollMs });
    } finally {
      sse.close();
    }
    return undefined;
  });

  registerRoute(router, getRagDocument, async ({ params }) => ({
    status: 200,
    body: await rag.document(params.doc_id),
  }));

  registerRoute(router, deleteRagDocument, async ({ params }) => ({
    status: 200,
    body: await rag.deleteDocument(params.doc_id),
  }));

  registerRoute(router, queryRag, async ({ body }) => ({
    status: 200,
    body: await rag.query(body),
  }));

  registerRoute(router, getRagStats, async () => ({ status: 200, body: await rag.stats() }));

  registerRoute(router, writeMemory, async ({ body }) => ({
    status: 201,
    body: { ids: await memory.write(body) },
  }));

  // As the seed shows; the service's own cache is emptied by every write (the store's generation).
  registerRoute(router, readMemory, async ({ query }) => ({
    status: 200,
    body: { entries: await memory.read(query) },
    headers: { 'cache-control': 'max-age=60' },
  }));

  registerRoute(router, deleteMemory, async ({ params }) => ({
    status: 200,
    body: await memory.delete(params.memory_id),
  }));
}
