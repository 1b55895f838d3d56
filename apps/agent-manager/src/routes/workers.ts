import { drainWorker, listWorkers, spawnWorker } from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { AgentRepo } from '../agents/agent-repo.js';
import { ramMb } from '../agents/resource-limits.js';
import type { WorkerPool } from '../workers/worker-pool.js';

export interface WorkerRouteDeps {
  pool: WorkerPool;
  repo: Pick<AgentRepo, 'exists'>;
  defaultConcurrency: number;
}

export function registerWorkerRoutes(router: IRouter, deps: WorkerRouteDeps): void {
  registerRoute(router, spawnWorker, async ({ body }) => {
    if (body.type === 'ingest') {
      throw new ApiError({
        code: 'INVALID_STATE',
        message: 'Ingest workers come with the RAG pipeline; this service runs agent_runtime only',
      });
    }
    const agentId = body.payload?.agent_id;
    let maxHeapMb: number | undefined;
    if (agentId !== undefined) {
      const agent = await deps.repo.exists(agentId);
      if (!agent) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No agent ${agentId}` });
      }
      maxHeapMb = agent.resources?.ram === undefined ? undefined : ramMb(agent.resources.ram);
    }
    const pid = await deps.pool.spawn({
      type: body.type,
      concurrency: body.concurrency ?? deps.defaultConcurrency,
      ...(agentId === undefined ? {} : { agentId }),
      ...(maxHeapMb === undefined ? {} : { maxHeapMb }),
    });
    return { status: 201, body: { worker_pid: pid } };
  });

  registerRoute(router, listWorkers, () => ({ status: 200, body: { workers: deps.pool.list() } }));

  registerRoute(router, drainWorker, ({ params }) => {
    if (!deps.pool.drain(params.pid)) {
      throw new ApiError({ code: 'NOT_FOUND', message: `No worker with pid ${params.pid}` });
    }
    return { status: 202, body: { worker_pid: params.pid, status: 'draining' } };
  });
}
