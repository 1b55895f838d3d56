import {
  batchCreateAgents,
  cancelAgent,
  createAgent,
  getAgent,
  listAgents,
  startAgent,
  streamAgentEvents,
} from '@agentplane/contracts';
import { ApiError, type IRouter, registerRoute } from '@agentplane/http-kit';
import type { AgentRepo } from '../agents/agent-repo.js';
import type { AgentService } from '../agents/agent-service.js';
import { callerOf } from '../auth.js';
import { type RunEventSource, streamRun } from '../runs/run-stream.js';

export interface AgentRouteDeps {
  agents: AgentService;
  repo: AgentRepo;
  runEvents: RunEventSource;
}

export function registerAgentRoutes(router: IRouter, deps: AgentRouteDeps): void {
  const { agents } = deps;

  registerRoute(router, createAgent, async ({ req, body, headers }) => ({
    status: 201,
    body: {
      agent_id: await agents.create(callerOf(req), body, headers['idempotency-key']),
      status: 'created',
    },
  }));

  registerRoute(router, batchCreateAgents, async ({ req, body }) => ({
    status: 201,
    body: { agent_ids: await agents.createMany(callerOf(req), body.agents) },
  }));

  registerRoute(router, listAgents, async ({ query }) => {
    const page = await deps.repo.list(query);
    return { status: 200, body: { agents: page.agents, next_cursor: page.nextCursor } };
  });

  registerRoute(router, getAgent, async ({ params }) => ({
    status: 200,
    body: await agents.view(params.agent_id),
  }));

  registerRoute(router, startAgent, async ({ params, query, body, req, res, log }) => {
    const runId = await agents.start(params.agent_id, body?.message);
    if (query.stream !== 'true') {
      return { status: 202, body: { agent_id: params.agent_id, run_id: runId, status: 'queued' } };
    }
    await streamRun(deps.runEvents, runId, undefined, { req, res, log });
    return undefined;
  });

  registerRoute(router, streamAgentEvents, async ({ params, headers, req, res, log }) => {
    const view = await agents.view(params.agent_id);
    const run = view.run;
    const ended = run !== null && ['completed', 'failed', 'cancelled'].includes(run.status);
    if (run === null || (ended && (await deps.runEvents.lastId(run.run_id)) === undefined)) {
      throw new ApiError({
        code: 'NOT_FOUND',
        message: run === null ? `Agent ${params.agent_id} never ran` : 'The run’s events expired',
      });
    }
    await streamRun(deps.runEvents, run.run_id, headers['last-event-id'], { req, res, log }, ended);
    return undefined;
  });

  registerRoute(router, cancelAgent, async ({ params, req }) => ({
    status: 200,
    body: await agents.cancel(params.agent_id, callerOf(req)),
  }));
}
