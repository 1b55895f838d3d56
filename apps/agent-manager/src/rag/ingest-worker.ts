import { join } from 'node:path';
import type { Logger } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import type { JobConsumer } from '../queue/job-queue.js';
import { guardedLoaderFetch } from './ingest/guarded-loader-fetch.js';
import { runIngestJob } from './ingest/run-ingest-job.js';
import type { OpenedRag } from './open-rag.js';

/** The ingest jobs' queue: the API process and its workers must agree on it. */
export const RAG_QUEUE = 'am-rag-ingest';
/** The RunJob shape carries an ingest job: its id rides in `runId` (the queue's job id). */
export const INGEST_JOB_OWNER = 'rag-ingest';

const SOURCE_TIMEOUT_MS = 30_000;

export function ingestFileRoot(config: Config): string {
  return config.AM_RAG_FILE_ROOT ?? join(config.AM_DATA_DIR, 'documents');
}

/**
 * A worker's ingest side: runs the jobs `consumer` delivers, one at a time, on the RAG store the
 * worker opened itself (the SQLite file, or pgvector's Postgres).
 */
export function startIngestWorker(opts: {
  config: Config;
  rag: OpenedRag;
  logger: Logger;
  consumer: JobConsumer;
  publish: (topic: string, message: { event: string; payload: object }) => void;
}) {
  const { config, logger, rag } = opts;
  const fetch = guardedLoaderFetch({
    ...(config.AM_HTTP_ALLOW_HOSTS.length > 0 ? { allowedHosts: config.AM_HTTP_ALLOW_HOSTS } : {}),
    privateAddresses: config.AM_HTTP_ALLOW_PRIVATE ? 'allow' : 'refuse',
  });
  opts.consumer.start(async (job) => {
    const started = Date.now();
    await runIngestJob(
      job.data.runId,
      {
        store: rag.store,
        embedder: rag.embedder,
        load: {
          fileRoot: ingestFileRoot(config),
          fetch,
          maxBytes: config.AM_RAG_MAX_SOURCE_BYTES,
          timeoutMs: SOURCE_TIMEOUT_MS,
        },
        publish: (event, payload) => opts.publish('rag.events', { event, payload }),
      },
      job.signal,
    );
    logger.info({ jobId: job.data.runId, ms: Date.now() - started }, 'ingest job done');
  });
}
