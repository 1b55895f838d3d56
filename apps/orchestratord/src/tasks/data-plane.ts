import { randomUUID } from 'node:crypto';
import type { TaskRequest } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { ProductRepo, ProductRow } from '../fleet/product-repo.js';
import { type AdmitTaskDeps, admitTask, type ModelResolver } from './admit-task.js';
import { cancelTaskById } from './cancel-task.js';
import { createDispatcher } from './dispatcher.js';
import { createPoolDrains } from './pool-drains.js';
import { createProviderStates } from './provider-states.js';
import { type RunTaskDeps, runTask } from './run-task.js';
import { createSessionRepo } from './session-repo.js';
import { createTaskHub } from './task-hub.js';
import { createTaskMetrics } from './task-metrics.js';
import { createTaskRepo, type TaskRow } from './task-repo.js';

/** The /v1 task data plane of one replica: queue, dispatch, relay, streams, sessions, metrics. */
export function createDataPlane(deps: {
  db: Kysely<Database>;
  config: Config;
  engines: EngineRepo;
  products: ProductRepo;
  poolNames: readonly string[];
  defaultImage: string;
  /** What a task's model_ref names: the catalog. */
  models: ModelResolver;
  logger: Logger;
  admit: RunTaskDeps['admit'];
}) {
  const { config } = deps;
  const tasks = createTaskRepo(deps.db);
  const sessions = createSessionRepo(deps.db);
  const hub = createTaskHub();
  const drains = createPoolDrains(deps.db);
  const metrics = createTaskMetrics();
  const logger = deps.logger.child({ component: 'tasks' });
  const replicaId = randomUUID();
  const providerStates =
    config.ORCH_TEST_HOOKS === '1'
      ? createProviderStates({ eventsAfter: tasks.eventsAfter })
      : undefined;
  const labels = (request: TaskRequest, pool: string) => ({
    engine: request.engine,
    engine_version: request.model_ref,
    pool_id: pool,
    replica_id: replicaId,
  });
  const runDeps = {
    tasks,
    sessions,
    products: deps.products,
    engines: deps.engines,
    hub,
    logger,
    admit: deps.admit,
  };
  const run = async (row: TaskRow, cancel: AbortSignal, resume: boolean) => {
    const l = labels(row.request, row.pool);
    const priority = row.request.priority;
    metrics.started.inc({ ...l, priority });
    const summary = await runTask(runDeps, row, cancel, resume);
    metrics.tokensOut.inc(l, summary.tokens);
    if (summary.firstTokenMs !== undefined) {
      const { replica_id: _r, ...h } = l;
      metrics.firstToken.observe({ ...h, priority }, summary.firstTokenMs);
      metrics.decode.observe({ ...h, priority }, summary.decodeMs);
    }
    if (summary.status === 'cancelled') {
      metrics.canceled.inc({ ...l, reason: 'client' });
    }
  };
  const dispatcher = createDispatcher({
    repo: tasks,
    hub,
    logger,
    replicaId,
    pools: deps.poolNames,
    slots: config.ORCH_TASK_SLOTS,
    pollMs: config.ORCH_DISPATCH_POLL_MS,
    staleMs: config.ORCH_TASK_STALE_S * 1000,
    run,
    // A drain past its deadline: running tasks are told to stop, queued ones fail.
    async sweep() {
      for (const pool of await drains.takeExpired()) {
        await tasks.requestCancelInPool(pool);
        for (const id of await tasks.queuedIn(pool)) {
          const stored = await tasks.finish(id, 'queued', 'failed', {
            event: 'error',
            code: 'POOL_UNAVAILABLE',
            message: `Pool ${pool} was drained`,
            retriable: true,
          });
          if (stored !== undefined) {
            hub.publish(id, stored);
          }
        }
      }
    },
  });
  const admission: AdmitTaskDeps = {
    tasks,
    sessions,
    engines: deps.engines,
    poolNames: deps.poolNames,
    defaultImage: deps.defaultImage,
    models: deps.models,
    capacity: config.ORCH_QUEUE_CAPACITY,
    policy: config.ORCH_QUEUE_POLICY,
    slots: config.ORCH_TASK_SLOTS,
    sessionTtlMs: config.ORCH_SESSION_TTL_S * 1000,
    maxTurns: config.ORCH_SESSION_MAX_TURNS,
    tokenBudget: config.ORCH_SESSION_TOKEN_BUDGET,
    meanTaskMs: () => dispatcher.meanTaskMs(),
  };
  return {
    tasks,
    sessions,
    hub,
    dispatcher,
    drains,
    metrics,
    admission,
    /** Pact's provider states (ORCH_TEST_HOOKS=1 only). */
    providerStates,
    /** Streams of tasks relayed elsewhere read the table this often. */
    streamPollMs: 100,
    /** Admits a task (counted), then wakes this replica's dispatcher. */
    async admit(product: ProductRow, request: TaskRequest, correlationId: string) {
      try {
        const injected = providerStates?.take(request);
        if (injected !== undefined) {
          throw injected;
        }
        const admitted = await admitTask(admission, product, request, correlationId);
        metrics.enqueued.inc({ ...labels(request, admitted.pool), priority: request.priority });
        dispatcher.trigger();
        return admitted;
      } catch (error) {
        const reason = error instanceof ApiError ? error.code : 'INTERNAL';
        metrics.rejected.inc({ engine: request.engine, reason });
        if (reason === 'ADMISSION_REJECT' || reason === 'QUEUE_FULL_DROP_LRU') {
          metrics.backpressure.inc({ engine: request.engine, policy: config.ORCH_QUEUE_POLICY });
        }
        throw error;
      }
    },
    /** Cancels a task (see cancelTaskById); false when the product has no such task. */
    async cancel(productId: string, id: string): Promise<boolean> {
      const done = await cancelTaskById({ repo: tasks, hub }, productId, id);
      if (done === 'dequeued') {
        // A running task's cancel is counted by its run.
        const row = await tasks.byId(productId, id);
        if (row !== undefined) {
          metrics.canceled.inc({ ...labels(row.request, row.pool), reason: 'client' });
        }
      }
      return done !== 'unknown';
    },
  };
}
export type DataPlane = ReturnType<typeof createDataPlane>;
