import { join } from 'node:path';
import type { Logger } from '@agentplane/http-kit';
import type { Config } from '../config.js';
import type { JobConsumer } from '../queue/job-queue.js';
import { extractViaProcessor, type ProcessorExtractor } from './ingest/extract-via-processor.js';
import { guardedLoaderFetch } from './ingest/guarded-loader-fetch.js';
import { runIngestJob } from './ingest/run-ingest-job.js';
import type { OpenedRag } from './open-rag.js';

/** The ingest jobs' queue: the API process and its workers must agree on it. */
export const RAG_QUEUE = 'am-rag-ingest';
/** The RunJob shape carries an ingest job: its id rides in `runId` (the queue's job id). */
export const INGEST_JOB_OWNER = 'rag-ingest';

const SOURCE_TIMEOUT_MS = 30_000;
/** doc/extract's own bound (registry.yaml runtime.timeout_s, 120 s) + 5 s: its ERR_TIMEOUT answers first. */
const EXTRACT_TIMEOUT_MS = 125_000;

export function ingestFileRoot(config: Config): string {
  return config.AM_RAG_FILE_ROOT ?? join(config.AM_DATA_DIR, 'documents');
}

/**
 * The processor that extracts PDFs and unknown binary: AM_RAG_EXTRACT_PROCESSOR, else the one
 * `doc/extract@N` of AM_PROCESSOR_URLS (two versions are ambiguous: none is taken), else none.
 */
export function ingestExtractor(
  config: Config,
): { processorId: string; url: string; dir: string } | undefined {
  const urls = config.AM_PROCESSOR_URLS;
  const candidates = Object.keys(urls).filter((id) => /^doc\/extract@[^@]+$/.test(id));
  const processorId =
    config.AM_RAG_EXTRACT_PROCESSOR ?? (candidates.length === 1 ? candidates[0] : undefined);
  const url = processorId === undefined ? undefined : urls[processorId];
  if (processorId === undefined || url === undefined) {
    return undefined;
  }
  const dir = config.AM_RAG_EXTRACT_DIR ?? join(config.AM_DATA_DIR, 'extract');
  return { processorId, url, dir };
}

/**
 * A worker's ingest side: runs the jobs `consumer` delivers, one at a time, on the RAG store the
 * worker opened itself (the SQLite file, or pgvector's Postgres). `close()` (after the consumer's)
 * stops a processor extraction in flight.
 */
export function startIngestWorker(opts: {
  config: Config;
  rag: OpenedRag;
  logger: Logger;
  consumer: JobConsumer;
  publish: (topic: string, message: { event: string; payload: object }) => void;
}): { close(): Promise<void> } {
  const { config, logger, rag } = opts;
  const fetch = guardedLoaderFetch({
    ...(config.AM_HTTP_ALLOW_HOSTS.length > 0 ? { allowedHosts: config.AM_HTTP_ALLOW_HOSTS } : {}),
    privateAddresses: config.AM_HTTP_ALLOW_PRIVATE ? 'allow' : 'refuse',
  });
  const extractor = ingestExtractor(config);
  let processor: ProcessorExtractor | undefined;
  if (extractor) {
    processor = extractViaProcessor({
      ...extractor,
      timeoutMs: EXTRACT_TIMEOUT_MS,
      logger: logger.child({ component: 'rag-extract' }),
    });
    logger.info(
      { processor: extractor.processorId, dir: extractor.dir },
      'ingest extracts PDFs and binary through a processor',
    );
  }
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
        ...(processor ? { processor: processor.extract } : {}),
        publish: (event, payload) => opts.publish('rag.events', { event, payload }),
      },
      job.signal,
    ).catch((err: unknown) => {
      // The queue retries the attempt (and fails the job once attempts run out): say why here.
      logger.warn({ err, jobId: job.data.runId }, 'ingest job attempt failed');
      throw err;
    });
    logger.info({ jobId: job.data.runId, ms: Date.now() - started }, 'ingest job done');
  });
  return { close: async () => processor?.close() };
}
