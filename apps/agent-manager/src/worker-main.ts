import { selectLlm } from '@agentplane/agent-loop';
import type { Capability } from '@agentplane/contracts';
import { createEventBus } from '@agentplane/event-bus';
import { createLogger, loadConfigOrExit } from '@agentplane/http-kit';
import type { Observation } from './am-metrics.js';
import { loadCatalogAgents } from './catalog-agents.js';
import { loadConfig } from './config.js';
import { createRedisControl } from './control/redis-control.js';
import { openAgentDb } from './db/open-db.js';
import { onPush, rpcClient } from './ipc/rpc.js';
import { createBullmqConsumer } from './queue/bullmq-queue.js';
import { createIpcConsumer } from './queue/ipc-consumer.js';
import type { JobConsumer } from './queue/job-queue.js';
import { dedicatedQueueName } from './queue/run-router.js';
import { failIngestJob } from './rag/ingest/run-ingest-job.js';
import { RAG_QUEUE, startIngestWorker } from './rag/ingest-worker.js';
import { openRag } from './rag/open-rag.js';
import { createRagRuntime } from './rag/rag-runtime.js';
import { createCancelRegistry } from './runs/cancel-registry.js';
import type { RunEventSink } from './runs/event-writer.js';
import { executeRun, type Publish, RunInterrupted } from './runs/execute-run.js';
import { createRunLog } from './runs/run-log.js';
import { createRunStore, type RunStore } from './runs/run-store.js';
import { RUN_QUEUE } from './shared-names.js';
import { openStreamLogs } from './stream-logs.js';
import { buildToolbox } from './tools/build-toolbox.js';
import { remoteSql } from './tools/remote-sql.js';
import type { ReadOnlySql } from './tools/sql-runner.js';
import { loopToolsFor } from './tools/toolbox.js';
import { createWeightedSlots } from './workers/weighted-slots.js';

// A worker process: forked by the service's worker pool (POST /internal/workers, AM_WORKERS),
// it takes run jobs and executes them. With DATABASE_URL and REDIS_URL it talks to them itself;
// on the embedded path it reaches the service's PGlite, queue and log over its IPC channel.

const config = loadConfigOrExit('agent-manager-worker', () => loadConfig(process.env));
const logger = createLogger({ name: 'agent-manager-worker', level: config.LOG_LEVEL }).child({
  pid: process.pid,
});
const concurrency = Number(process.env.AM_WORKER_CONCURRENCY ?? config.AM_WORKER_CONCURRENCY);
// A dedicated worker (POST /internal/workers with payload.agent_id) takes only that agent's runs.
const dedicatedTo = process.env.AM_WORKER_AGENT_ID;
const queueName = dedicatedTo ? dedicatedQueueName(RUN_QUEUE, dedicatedTo) : RUN_QUEUE;
const parent = process;

const report = (message: object) => {
  if (parent.connected) {
    parent.send?.(message);
  }
};
// Observations go to the service's metrics in batches: one IPC message per step would cost more
// CPU (a write and a wake-up of the API process) than the step's own bookkeeping.
let observations: Observation[] = [];
const sendObservations = () => {
  if (observations.length > 0) {
    report({ t: 'worker-metrics', observations });
    observations = [];
  }
};
const observe = (observation: Observation) => {
  observations.push(observation);
};
setInterval(sendObservations, 250).unref();

const db = config.DATABASE_URL
  ? await openAgentDb({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.AM_DATA_DIR,
      migrate: false,
      poolSize: Math.min(10, concurrency + 2),
      onConnectionError: (err) => logger.warn({ err }, 'database connection lost'),
    })
  : undefined;
const store: RunStore = db ? createRunStore(db.db) : rpcClient<RunStore>(parent, 'store');
// With a database URL the toolbox opens its own read-only pool; else the service runs the SQL.
const sql: ReadOnlySql | undefined =
  (config.AM_TOOL_DATABASE_URL ?? config.DATABASE_URL) ? undefined : remoteSql(parent);

const redis = config.REDIS_URL;
const logs = redis ? openStreamLogs(config) : undefined;
const events: RunEventSink = logs
  ? createRunLog(logs.runs, config.AM_EVENTS_RETENTION_S)
  : rpcClient<RunEventSink>(parent, 'run-events');
const bus = logs
  ? createEventBus({ log: logs.bus, maxLen: config.AM_BUS_MAXLEN })
  : rpcClient<{ publish: Publish }>(parent, 'bus');
const publish: Publish = (topic, message) => {
  Promise.resolve(bus.publish(topic as never, message as never)).catch((err: unknown) => {
    logger.warn({ err, topic }, 'bus publish failed');
  });
};

const llm = selectLlm(process.env);
const rag = await openRag(config, logger, 'worker');
const ragRuntime = createRagRuntime({
  rag,
  config,
  logger,
  enqueue: () => Promise.reject(new Error('workers do not submit ingest jobs')),
});
const toolbox = buildToolbox(config, { llm: llm.client, sql, rag: ragRuntime.tools });
const cancels = createCancelRegistry();
const catalog = await loadCatalogAgents(config.AM_CATALOG_DIR);
const consumer: JobConsumer = redis
  ? createBullmqConsumer({
      connection: redis,
      prefix: config.AM_REDIS_PREFIX,
      name: queueName,
      concurrency,
    })
  : createIpcConsumer({ channel: parent, name: queueName, concurrency });

// Pooled workers also run ingest jobs, one at a time; a dedicated worker serves its agent only.
const ingestOptions = {
  name: RAG_QUEUE,
  concurrency: 1,
  onExhausted: (job: { runId: string }, error: Error) =>
    failIngestJob(rag.store, job.runId, error).catch((err: unknown) => {
      logger.warn({ err, jobId: job.runId }, 'could not mark an ingest job failed');
    }),
};
const ingestConsumer: JobConsumer | undefined = dedicatedTo
  ? undefined
  : redis
    ? createBullmqConsumer({ connection: redis, prefix: config.AM_REDIS_PREFIX, ...ingestOptions })
    : createIpcConsumer({ channel: parent, ...ingestOptions });
const ingest = ingestConsumer
  ? startIngestWorker({ config, rag, logger, consumer: ingestConsumer, publish })
  : undefined;

const control = redis
  ? createRedisControl({ url: redis, prefix: config.AM_REDIS_PREFIX })
  : undefined;
const onControl = (message: { type: string; agentId: string; by: string }) => {
  if (message.type === 'cancel') {
    cancels.cancel(message.agentId, message.by);
  }
};
if (control) {
  await control.subscribe(onControl);
} else {
  onPush(parent, 'control', onControl);
}

// Sent every second and whenever a job starts or ends, so the pool's list is never stale.
function reportStatus() {
  report({ t: 'worker-status', inFlight: consumer.inFlight() });
}

// `resources.cpu` as a weight: the consumer may hold `concurrency` runs, but they run only while
// their weights fit in `concurrency` slots.
const slots = createWeightedSlots(concurrency);

consumer.start(async (job) => {
  observe({ kind: 'job', waitedMs: job.waitedMs });
  // The pool hands the job back at once if this process dies holding it.
  const lease = job.lease === undefined ? undefined : { runId: job.data.runId, lease: job.lease };
  if (lease) {
    report({ t: 'job-held', ...lease });
  }
  reportStatus();
  const taken = await slots.take(job.data.weight ?? 1);
  try {
    // Handed back while it waited for slots: not claimed, so no attempt of the run is used.
    job.signal.throwIfAborted();
    await executeRun(
      job.data.runId,
      {
        store,
        events,
        publish,
        llm: () => llm.client,
        tools: (agent, step) =>
          loopToolsFor(toolbox, {
            agentId: agent.id,
            capabilities: agent.capabilities as Capability[],
            stepId: () => String(step()),
          }),
        systemPrompt: (agent) =>
          agent.agent ? catalog.get(agent.agent)?.system_prompt : undefined,
        cancels,
        maxAttempts: config.AM_RUN_MAX_ATTEMPTS,
        logger,
        observe,
      },
      job.signal,
    );
  } catch (error) {
    if (!(error instanceof RunInterrupted)) {
      logger.error({ err: error, runId: job.data.runId }, 'run failed outside the loop');
    }
    throw error;
  } finally {
    slots.give(taken);
    if (lease) {
      report({ t: 'job-released', runId: lease.runId });
    }
    // Once the consumer has forgotten the job (after this handler's promise settles).
    setImmediate(reportStatus);
  }
});

const heartbeat = setInterval(reportStatus, 1000);
heartbeat.unref();

let exiting = false;
const exit = async (how: 'drain' | 'stop') => {
  if (exiting) {
    return;
  }
  exiting = true;
  if (how === 'stop') {
    // Runs are handed back (not cancelled): another worker resumes them from their checkpoints.
    cancels.stopAll('shutdown');
  }
  // An ingest job is handed back on stop (its done documents stay done), drained otherwise.
  const ingestDone = how === 'stop' ? ingestConsumer?.close() : ingestConsumer?.drain();
  await Promise.all([consumer.drain(), ingestDone]).catch(() => {});
  await consumer.close().catch(() => {});
  await ingestConsumer?.close().catch(() => {});
  await ingest?.close();
  await rag.close();
  await control?.close();
  await toolbox.close();
  await logs?.close();
  await db?.close();
  sendObservations();
  process.exit(0);
};
parent.on('message', (message: { t?: string }) => {
  if (message?.t === 'worker-drain') {
    void exit('drain');
  }
});
parent.on('disconnect', () => void exit('stop'));
process.on('SIGTERM', () => void exit('stop'));
process.on('SIGINT', () => void exit('stop'));
report({ t: 'worker-ready' });
logger.info(
  { concurrency, queue: redis ? 'bullmq' : 'ipc', store: db ? 'postgres' : 'ipc' },
  'worker ready',
);
