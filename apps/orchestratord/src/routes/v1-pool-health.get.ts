import { getPoolHealth } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { Orchestrator } from '../orchestrator.js';

const PROBE_MS = 2000;

/** The driver answers a listing within PROBE_MS: the pool can run engines. */
async function driverAnswers(list: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_MS);
  });
  try {
    return await Promise.race([list().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function registerV1PoolHealthGet(router: IRouter, o: Orchestrator): void {
  registerRoute(router, getPoolHealth, async ({ params }) => {
    const pool = o.pools.find((p) => p.name === params.id);
    if (pool === undefined) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No pool ${params.id}` });
    }
    const [drain, depth, counts, lastError, answers] = await Promise.all([
      o.data.drains.of(pool.name),
      o.data.tasks.queueDepth(pool.name),
      o.repo.fleetCounts(),
      o.data.tasks.lastError(pool.name),
      driverAnswers(() => pool.driver.list()),
    ]);
    const engines = counts
      .filter((c) => c.pool === pool.name && c.status === 'running')
      .reduce((n, c) => n + Number(c.n), 0);
    return {
      status: 200,
      body: {
        live: true,
        ready: drain === undefined && answers,
        draining: drain !== undefined,
        ...(drain === undefined
          ? {}
          : { drain_deadline_ms: Math.max(0, drain.deadline_at.getTime() - Date.now()) }),
        metrics: {
          queue_depth: depth,
          engines,
          slots_free: Math.max(0, o.data.dispatcher.slots - o.data.dispatcher.inFlight()),
        },
        last_error: lastError ?? (answers ? null : 'The pool’s driver did not answer'),
      },
    };
  });
}
