import type { AgentView, CreateAgentRequestBody } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import type { CatalogAgents } from '../catalog-agents.js';
import type { RunEventSink } from '../runs/event-writer.js';
import type { Publish } from '../runs/execute-run.js';
import type { AgentRepo } from './agent-repo.js';
import { checkResources, runWeight, type WorkerLimits } from './resource-limits.js';

/** What the API needs of the run queue. */
export interface RunQueue {
  enqueue(
    jobs: ReadonlyArray<{ agentId: string; runId: string; weight?: number }>,
    opts?: { requeue?: boolean },
  ): Promise<void>;
}

/** Tells whichever worker holds an agent's run to stop it. */
export interface CancelBroadcast {
  cancel(agentId: string, by: string): Promise<void>;
}

export interface AgentServiceDeps {
  repo: AgentRepo;
  queue: RunQueue;
  events: RunEventSink;
  cancels: CancelBroadcast;
  publish: Publish;
  limits: WorkerLimits;
  catalog: CatalogAgents;
  defaultModel: string;
  logger: Logger;
}

const notFound = (agentId: string) =>
  new ApiError({ code: 'NOT_FOUND', message: `No agent ${agentId}` });

/** The agents API's operations (the HTTP routes are thin wrappers). */
export function createAgentService(deps: AgentServiceDeps) {
  const { repo } = deps;
  const checkAgent = (agent: string | undefined, path: string) => {
    if (agent !== undefined && !deps.catalog.has(agent)) {
      const known = [...deps.catalog.keys()].join(', ') || 'none: AM_CATALOG_DIR is not set';
      throw new ApiError({
        code: 'VALIDATION_ERROR',
        message: `${path}: no catalog agent ${agent} (known: ${known})`,
        details: { issues: [{ path, message: 'unknown catalog agent', code: 'custom' }] },
      });
    }
  };
  return {
    async create(owner: string, body: CreateAgentRequestBody, idempotencyKey: string | undefined) {
      checkResources(body.resources, deps.limits, 'body.resources');
      checkAgent(body.agent, 'body.agent');
      const result = await repo.create({ owner, body, model: deps.defaultModel }, idempotencyKey);
      if (result.kind === 'mismatch') {
        throw new ApiError({
          code: 'IDEMPOTENCY_MISMATCH',
          message: 'This Idempotency-Key created an agent from a different body',
          details: { agent_id: result.agentId },
        });
      }
      if (result.kind === 'created') {
        deps.publish('agent.lifecycle', {
          event: 'agent.created',
          payload: { agent_id: result.agentId, timestamp: Date.now(), status: 'created' },
        });
      }
      return result.agentId;
    },

    async createMany(owner: string, bodies: readonly CreateAgentRequestBody[]) {
      bodies.forEach((body, i) => {
        checkResources(body.resources, deps.limits, `body.agents.${i}.resources`);
        checkAgent(body.agent, `body.agents.${i}.agent`);
      });
      return repo.createMany(bodies.map((body) => ({ owner, body, model: deps.defaultModel })));
    },

    async view(agentId: string): Promise<AgentView> {
      const view = await repo.view(agentId);
      if (!view) {
        throw notFound(agentId);
      }
      return view;
    },

    /** Queues a run; a queue that refuses it leaves the agent failed with the reason, not stuck. */
    async start(agentId: string, message: string | undefined): Promise<string> {
      const started = await repo.startRun(agentId, message);
      if (started.kind === 'not_found') {
        throw notFound(agentId);
      }
      if (started.kind === 'busy') {
        throw new ApiError({
          code: 'CONFLICT',
          message: `Agent ${agentId} is already ${started.status}`,
          details: { status: started.status },
        });
      }
      try {
        await deps.queue.enqueue([
          { agentId, runId: started.runId, weight: runWeight(started.resources) },
        ]);
      } catch (error) {
        deps.logger.error({ err: error, agentId, runId: started.runId }, 'enqueue failed');
        const failure = { code: 'QUEUE_UNAVAILABLE', message: 'the run queue refused the run' };
        await repo.failRun(agentId, started.runId, failure);
        const ids = { agent_id: agentId, run_id: started.runId };
        await deps.events
          .append(started.runId, [{ event: 'agent_failed', ...ids, ...failure, retriable: true }])
          .then(() => deps.events.retain(started.runId))
          .catch((err: unknown) => deps.logger.error({ err }, 'could not record the failed start'));
        throw new ApiError({
          code: 'SERVICE_UNAVAILABLE',
          message: 'The run queue is unavailable',
        });
      }
      return started.runId;
    },

    async cancel(agentId: string, by: string) {
      const result = await repo.requestCancel(agentId, by);
      switch (result.kind) {
        case 'not_found':
          throw notFound(agentId);
        case 'idle':
          return { agent_id: agentId, status: result.status, cancelled: false };
        case 'cancelled_queued': {
          const ids = { agent_id: agentId, run_id: result.runId };
          await deps.events.append(result.runId, [
            { event: 'agent_cancelled', ...ids, reason: 'cancel_request', by },
          ]);
          await deps.events.retain(result.runId);
          deps.publish('agent.lifecycle', {
            event: 'agent.cancelled',
            payload: { ...ids, timestamp: Date.now(), status: 'cancelled', by },
          });
          return { agent_id: agentId, status: 'cancelled' as const, cancelled: true };
        }
        case 'requested':
          await deps.cancels.cancel(agentId, by);
          return { agent_id: agentId, status: 'running' as const, cancelled: true };
      }
    },

    /** At start: runs the queue may have lost (the in-process one forgets on restart). */
    async requeueActive(): Promise<number> {
      const runs = await repo.activeRuns();
      if (runs.length > 0) {
        await deps.queue.enqueue(
          runs.map((run) => ({ agentId: run.agent_id, runId: run.id })),
          { requeue: true },
        );
      }
      return runs.length;
    },
  };
}
export type AgentService = ReturnType<typeof createAgentService>;
