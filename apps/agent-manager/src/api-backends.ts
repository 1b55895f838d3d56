import type { ChildProcess } from 'node:child_process';
import { createEventBus } from '@agentplane/event-bus';
import type { Logger } from '@agentplane/http-kit';
import type { CancelBroadcast } from './agents/agent-service.js';
import type { Config } from './config.js';
import { createRedisControl } from './control/redis-control.js';
import { openAgentDb } from './db/open-db.js';
import { createCallLimiter } from './ipc/call-limiter.js';
import { pushTo, serveRpc } from './ipc/rpc.js';
import { createBullmqQueue } from './queue/bullmq-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { attachWorker, createMemoryQueue, type MemoryJobQueue } from './queue/memory-queue.js';
import { createRunRouter } from './queue/run-router.js';
import { RAG_QUEUE } from './rag/ingest-worker.js';
import type { Publish } from './runs/execute-run.js';
import { createRunLog } from './runs/run-log.js';
import { createRunStore } from './runs/run-store.js';
import { RUN_QUEUE } from './shared-names.js';
import { openStreamLogs } from './stream-logs.js';
import { dbQueryRole, ensureDbQueryRole } from './tools/db-query-role.js';
import { createSqlRunner } from './tools/sql-runner.js';

/**
 * The API process's backends, chosen once from the config: Postgres or PGlite; Redis (BullMQ,
 * Streams, pub/sub) or in-process (queue, log, broadcast). On the embedded path the API process
 * also serves its database, log and bus to its worker processes over IPC (`attach`).
 */
// The PGlite thread's and initdb child's entries sit beside this module: .ts under tsx, .js bundled.
const besideThis = (name: string) =>
  new URL(import.meta.url.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, import.meta.url);
const PGLITE_THREAD = besideThis('pglite-thread');
const PGLITE_INIT = besideThis('pglite-init');

export async function openApiBackends(config: Config, logger: Logger) {
  const db = await openAgentDb({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.AM_DATA_DIR,
    migrate: true,
    // Embedded, PGlite runs in a thread of its own: the API thread only serves requests.
    pgliteThread: { entry: PGLITE_THREAD },
    pgliteInit: { entry: PGLITE_INIT },
    onConnectionError: (err) => logger.warn({ err }, 'database connection lost'),
  });
  const redis = config.REDIS_URL;
  const logs = openStreamLogs(config);
  const bus = createEventBus({ log: logs.bus, maxLen: config.AM_BUS_MAXLEN });
  const publish: Publish = (topic, message) => {
    bus.publish(topic as never, message as never).catch((err: unknown) => {
      logger.warn({ err, topic, event: message.event }, 'bus publish failed');
    });
  };
  const runLog = createRunLog(logs.runs, config.AM_EVENTS_RETENTION_S);
  // The workers' run store (served over IPC on the embedded path): behind the API's statements.
  const store = createRunStore(db.background);
  // A dead worker gives its runs back on its exit event at once; the lease only catches a hung
  // one. A short lease here misfired: PGlite runs in this thread, and a long query keeps the
  // heartbeats of healthy workers waiting behind the lease check.
  const queue = createRunRouter<JobQueue | MemoryJobQueue>({
    base: RUN_QUEUE,
    open: (name) =>
      redis
        ? createBullmqQueue({ connection: redis, prefix: config.AM_REDIS_PREFIX, name })
        : createMemoryQueue({ name, lockMs: 10_000 }),
    onError: (err) => logger.warn({ err }, 'run queue sweep failed'),
  });
  // Ingest jobs: their own queue, taken by the pooled (not dedicated) workers.
  const ragQueue: JobQueue | MemoryJobQueue = redis
    ? createBullmqQueue({ connection: redis, prefix: config.AM_REDIS_PREFIX, name: RAG_QUEUE })
    : createMemoryQueue({ name: RAG_QUEUE, lockMs: 10_000 });
  const control = redis
    ? createRedisControl({ url: redis, prefix: config.AM_REDIS_PREFIX })
    : undefined;
  const sql = config.AM_TOOL_DATABASE_URL ?? config.DATABASE_URL;
  // db.query on the service's own database reads only `public`, as a role of its own.
  const role = dbQueryRole(config);
  if (role !== undefined) {
    await ensureDbQueryRole(db.root).catch((err: unknown) => {
      logger.warn(
        { err, role },
        'could not create the db.query role: db.query fails until AM_TOOL_DATABASE_URL is set',
      );
    });
  }
  const sqlRunner = createSqlRunner(
    sql === undefined ? { kysely: db.backgroundRoot, role } : { url: sql, role },
  );
  const children = new Set<ChildProcess>();

  const cancels: CancelBroadcast = {
    async cancel(agentId, by) {
      if (control) {
        await control.publish({ type: 'cancel', agentId, by });
        return;
      }
      for (const child of children) {
        if (child.connected) {
          pushTo(child, 'control', { type: 'cancel', agentId, by });
        }
      }
    },
  };

  // Workers' statements on the embedded database, two at a time: the API's reads go first.
  const workerDb = createCallLimiter(2);

  return {
    db,
    bus,
    publish,
    runLog,
    queue,
    ragQueue,
    cancels,
    sqlRunner,
    /** Wires a new worker process to what it cannot reach itself. */
    attach(child: ChildProcess, agentId: string | undefined): void {
      children.add(child);
      child.once('exit', () => children.delete(child));
      if (!redis) {
        attachWorker(queue.queueFor(agentId) as MemoryJobQueue, child);
        if (agentId === undefined) {
          attachWorker(ragQueue as MemoryJobQueue, child);
        }
        serveRpc(child, 'run-events', { append: runLog.append, retain: runLog.retain });
        serveRpc(child, 'bus', {
          publish: async (topic: string, message: { event: string; payload: object }) => {
            publish(topic, message);
          },
        });
      }
      if (!config.DATABASE_URL) {
        serveRpc(child, 'store', workerDb.wrap(store));
        serveRpc(child, 'sql', workerDb.wrap(sqlRunner));
      }
    },
    async close(): Promise<void> {
      await queue.close();
      await ragQueue.close();
      await control?.close();
      await logs.close();
      await sqlRunner.close?.();
      await db.close();
    },
  };
}
