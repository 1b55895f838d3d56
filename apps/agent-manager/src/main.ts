import { selectLlm } from '@agentplane/agent-loop';
import {
  createLogger,
  createMetrics,
  createShutdownRegistry,
  describeBackends,
  loadConfigOrExit,
  startService,
} from '@agentplane/http-kit';
import { createAgentRepo } from './agents/agent-repo.js';
import { createAgentService } from './agents/agent-service.js';
import { createAmMetrics } from './am-metrics.js';
import { openApiBackends } from './api-backends.js';
import { createApp } from './app.js';
import { loadCatalogAgents } from './catalog-agents.js';
import { loadConfig } from './config.js';
import { INGEST_JOB_OWNER } from './rag/ingest-worker.js';
import { EmbedderChangedError, openRag } from './rag/open-rag.js';
import { createRagRuntime } from './rag/rag-runtime.js';
import { buildToolbox } from './tools/build-toolbox.js';
import { createWorkerPool } from './workers/worker-pool.js';

const VERSION = '0.2.0';
// The worker entry sits beside this module: worker-main.ts under tsx, worker-main.js bundled.
const WORKER_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './worker-main.ts' : './worker-main.js',
  import.meta.url,
);

const config = loadConfigOrExit('agent-manager', () => loadConfig(process.env));
const logger = createLogger({ name: 'agent-manager', level: config.LOG_LEVEL });
const shutdown = createShutdownRegistry({ logger, graceMs: config.SHUTDOWN_GRACE_MS });
const backends: Record<string, string> = {
  ...describeBackends(config),
  workers: `${config.AM_WORKERS} processes`,
};
if (config.AM_API_KEYS === undefined) {
  logger.warn({ host: config.HOST }, 'AM_API_KEYS is not set: keyless, loopback only');
}
// The sqlite RAG store's full-text thread sits beside this entry: .ts under tsx, .js bundled.
const RAG_TEXT_THREAD = new URL(
  import.meta.url.endsWith('.ts') ? './rag-text-thread.ts' : './rag-text-thread.js',
  import.meta.url,
);
const llm = selectLlm(process.env);
const services = await openApiBackends(config, logger);
const rag = await openRag(config, logger, 'api', RAG_TEXT_THREAD).catch((err: unknown) => {
  if (err instanceof EmbedderChangedError) {
    logger.fatal(err.message);
    process.exit(1);
  }
  throw err;
});
backends.rag = `${rag.store.kind}, embedder ${rag.embedder.id}/${rag.embedder.dim}`;
const enqueueIngest = (jobId: string) =>
  services.ragQueue.enqueue([{ agentId: INGEST_JOB_OWNER, runId: jobId }], { requeue: true });
const ragRuntime = createRagRuntime({ rag, config, logger, enqueue: enqueueIngest });
const metrics = createMetrics();
const repo = createAgentRepo(services.db.db);
const amMetrics = createAmMetrics(metrics, {
  queueCounts: async () => ({ ...(await services.queue.counts()) }),
  agentCounts: () => repo.countByStatus(),
  ragRecall: () => ragRuntime.engine.stats().recall,
});

const pool = createWorkerPool({
  entry: WORKER_ENTRY.pathname,
  env: process.env,
  attach: services.attach,
  logger: logger.child({ component: 'worker-pool' }),
  observe: amMetrics.observe,
  nice: config.AM_WORKER_NICE,
  onDedicated: services.queue.dedicated,
  onDedicatedGone: (agentId) => {
    services.queue.workerGone(agentId).catch((err: unknown) => {
      logger.warn({ err, agentId }, 'could not retire a dedicated queue');
    });
  },
  onLost: (leases, agentId) => {
    services.queue.release(leases, agentId).catch((err: unknown) => {
      logger.warn(
        { err, runs: leases.map((l) => l.runId) },
        "could not hand back a dead worker's runs",
      );
    });
  },
});
const agents = createAgentService({
  repo,
  queue: services.queue,
  events: services.runLog,
  cancels: services.cancels,
  publish: services.publish,
  limits: { maxCpu: config.AM_WORKER_MAX_CPU, maxRamMb: config.AM_WORKER_MAX_RAM_MB },
  catalog: await loadCatalogAgents(config.AM_CATALOG_DIR),
  defaultModel: config.AM_MODEL ?? 'mock',
  logger,
});
const toolbox = buildToolbox(config, {
  llm: llm.client,
  sql: services.sqlRunner,
  rag: ragRuntime.tools,
});
const app = createApp({
  logger,
  metrics,
  shutdown,
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  version: VERSION,
  backends,
  auth: { apiKeys: config.AM_API_KEYS, adminKey: config.AM_ADMIN_KEY },
  agents: { agents, repo, runEvents: services.runLog },
  tools: { toolbox, repo },
  workers: { pool, repo, defaultConcurrency: config.AM_WORKER_CONCURRENCY },
  bus: services.bus,
  rag: { rag: ragRuntime.service, memory: ragRuntime.memory },
});
shutdown.register('backends', async () => {
  clearInterval(purge);
  await toolbox.close();
  await rag.close();
  await services.close();
});
// Hooks run last-registered first: the workers stop before the backends they use close.
shutdown.register('workers', () => pool.stopAll(Math.max(1000, config.SHUTDOWN_GRACE_MS - 1000)));

for (let i = 0; i < config.AM_WORKERS; i += 1) {
  await pool.spawn({
    type: 'agent_runtime',
    concurrency: config.AM_WORKER_CONCURRENCY,
    pooled: true,
  });
}
const requeued = await agents.requeueActive();
// The in-process queue forgets its jobs with the process; BullMQ ignores ids it holds already.
for (const jobId of await rag.store.unfinishedJobs()) {
  await enqueueIngest(jobId);
}
// Expired session memory is hidden at once (queries filter on expiry); this frees its rows.
const purge = setInterval(() => {
  rag.store.purgeExpired(Date.now()).catch((err: unknown) => {
    logger.warn({ err }, 'memory purge failed');
  });
}, 60_000);
purge.unref();
logger.info({ backends, version: VERSION, requeued }, 'starting');
await startService({ app, logger, shutdown, port: config.PORT, host: config.HOST });
