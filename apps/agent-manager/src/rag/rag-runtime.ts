import type { Logger } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import type { RagToolsAccess } from '../tools/rag-tools.js';
import { ingestFileRoot } from './ingest-worker.js';
import { createMemoryService } from './memory-service.js';
import type { OpenedRag } from './open-rag.js';
import { createQueryEngine } from './query-engine.js';
import { createRagService } from './rag-service.js';

/**
 * RAG and memory as one process serves them (the API, or a worker's rag.* and memory.* tools):
 * one query engine (planner, query cache, recall sampling) over the opened store.
 */
export function createRagRuntime(opts: {
  rag: OpenedRag;
  config: Config;
  logger: Logger;
  /** puts an ingest job on the queue (workers' tools never submit one) */
  enqueue: (jobId: string) => Promise<void>;
}) {
  const { rag, config, logger } = opts;
  const engine = createQueryEngine({
    store: rag.store,
    embedder: rag.embedder,
    exactMax: config.AM_RAG_EXACT_MAX,
    cacheSize: config.AM_RAG_QUERY_CACHE,
    recallSampleRate: config.AM_RAG_RECALL_SAMPLE_RATE,
    onError: (err) => logger.warn({ err }, 'recall sample failed'),
  });
  const service = createRagService({
    store: rag.store,
    engine,
    embedder: rag.embedder,
    enqueue: opts.enqueue,
    fileRoot: ingestFileRoot(config),
    allowPrivate: config.AM_HTTP_ALLOW_PRIVATE,
    indexStats: rag.indexStats,
  });
  const memory = createMemoryService({
    store: rag.store,
    engine,
    embedder: rag.embedder,
    sessionTtlS: config.AM_SESSION_TTL_S,
  });
  const tools: RagToolsAccess = {
    query: (body) => service.query(body),
    readMemory: (query) => memory.read(query),
    writeMemory: (body) => memory.write(body as never),
  };
  return { engine, service, memory, tools };
}
