import {
  authErrorResponses,
  commonErrorResponses,
  defineRoute,
  errorResponse,
} from '../common/route.js';
import { getServiceHealth } from '../common/service-health.js';
import { AgentEvent } from './agent-events.js';
import {
  AgentParams,
  AgentView,
  BatchCreateAgentsRequestBody,
  BatchCreateAgentsResponseBody,
  CancelAgentResponseBody,
  CreateAgentRequestBody,
  CreateAgentResponseBody,
  EventsResumeHeaders,
  IdempotencyHeaders,
  ListAgentsQuery,
  ListAgentsResponseBody,
  StartAgentQuery,
  StartAgentRequestBody,
  StartAgentResponseBody,
} from './agents.js';
import { BusStreamEvent, BusStreamHeaders, BusStreamQuery } from './bus-stream.js';
import { ragRoutes } from './rag-routes.js';
import { InvokeToolRequestBody, InvokeToolResponseBody } from './tools.js';
import {
  DrainWorkerResponseBody,
  ListWorkersResponseBody,
  SpawnWorkerRequestBody,
  SpawnWorkerResponseBody,
  WorkerParams,
} from './workers.js';

/** `Authorization: Bearer <key>`: one of AM_API_KEYS (keyless only on loopback). */
export const AM_API_KEY_SCHEME = 'bearerKey';
/** `X-Admin-Key`: AM_ADMIN_KEY, for the internal worker routes. */
export const AM_ADMIN_KEY_SCHEME = 'adminKey';

const guarded = { ...commonErrorResponses, ...authErrorResponses } as const;
const noAgent = errorResponse('No such agent (NOT_FOUND)');
const adminGuarded = {
  ...guarded,
  403: errorResponse('An API key was sent where the admin key is required (FORBIDDEN)'),
} as const;

const agentStream = {
  kind: 'sse',
  description: 'The run’s AgentEvents; each `id:` line can be sent back as Last-Event-ID to resume',
  events: AgentEvent,
} as const;

export const createAgent = defineRoute({
  method: 'post',
  path: '/agents',
  operationId: 'createAgent',
  summary: 'Create a goal-driven agent (it starts with POST /agents/{agent_id}/start)',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { body: CreateAgentRequestBody, headers: IdempotencyHeaders },
  responses: {
    201: {
      description: 'Created (or the agent of an earlier create with this Idempotency-Key)',
      schema: CreateAgentResponseBody,
    },
    ...guarded,
    400: errorResponse(
      'Invalid body (VALIDATION_ERROR), or resources over the workers’ limits (RESOURCE_LIMIT)',
    ),
    422: errorResponse('The Idempotency-Key was used with a different body (IDEMPOTENCY_MISMATCH)'),
  },
});

export const batchCreateAgents = defineRoute({
  method: 'post',
  path: '/agents/batch',
  operationId: 'batchCreateAgents',
  summary: 'Create up to 1,000 agents in one transaction: all or none',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { body: BatchCreateAgentsRequestBody },
  responses: {
    201: {
      description: 'All created, ids in request order',
      schema: BatchCreateAgentsResponseBody,
    },
    ...guarded,
    400: errorResponse(
      'Invalid body or over 1,000 agents (VALIDATION_ERROR), or resources over the limits (RESOURCE_LIMIT)',
    ),
  },
});

export const listAgents = defineRoute({
  method: 'get',
  path: '/agents',
  operationId: 'listAgents',
  summary: 'List agents, newest first, by status, a page at a time',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { query: ListAgentsQuery },
  responses: { 200: { description: 'A page', schema: ListAgentsResponseBody }, ...guarded },
});

export const getAgent = defineRoute({
  method: 'get',
  path: '/agents/{agent_id}',
  operationId: 'getAgent',
  summary: 'An agent: status, the current or last run with its steps, usage, error',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { params: AgentParams },
  responses: { 200: { description: 'The agent', schema: AgentView }, ...guarded, 404: noAgent },
});

export const startAgent = defineRoute({
  method: 'post',
  path: '/agents/{agent_id}/start',
  operationId: 'startAgent',
  summary: 'Start a run of the agent on a worker; stream its events or let it run alone',
  description:
    'stream=true: the run’s events as SSE (a dropped client does not stop the run; resume ' +
    'with GET /agents/{agent_id}/events and Last-Event-ID). Otherwise 202 with the run id. A ' +
    'finished agent can be started again with a new `message`; its history is kept.',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { params: AgentParams, query: StartAgentQuery, body: StartAgentRequestBody.optional() },
  responses: {
    200: agentStream,
    202: {
      description: 'Queued; the run goes on in the background',
      schema: StartAgentResponseBody,
    },
    ...guarded,
    404: noAgent,
    409: errorResponse('The agent is already queued or running (CONFLICT)'),
    503: errorResponse(
      'The run queue refused the run (SERVICE_UNAVAILABLE); the run is recorded as failed',
    ),
  },
});

export const streamAgentEvents = defineRoute({
  method: 'get',
  path: '/agents/{agent_id}/events',
  operationId: 'streamAgentEvents',
  summary: 'The events of the current or last run: replayed after Last-Event-ID, then live',
  description:
    'Ends after the run’s terminal event. A finished run stays replayable for ' +
    'AM_EVENTS_RETENTION_S (default 3600 s).',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { params: AgentParams, headers: EventsResumeHeaders },
  responses: {
    200: agentStream,
    ...guarded,
    404: errorResponse('No such agent, or it never ran, or its events expired (NOT_FOUND)'),
  },
});

export const cancelAgent = defineRoute({
  method: 'post',
  path: '/agents/{agent_id}/cancel',
  operationId: 'cancelAgent',
  summary: 'Cancel the queued or running run (its step stops within a second); idempotent',
  tags: ['agents'],
  security: AM_API_KEY_SCHEME,
  request: { params: AgentParams },
  responses: {
    200: { description: 'Cancelled, or nothing to cancel', schema: CancelAgentResponseBody },
    ...guarded,
    404: noAgent,
  },
});

export const invokeTool = defineRoute({
  method: 'post',
  path: '/tools/invoke',
  operationId: 'invokeTool',
  summary: 'Run one tool directly with the agent’s capabilities and limits',
  tags: ['tools'],
  security: AM_API_KEY_SCHEME,
  request: { body: InvokeToolRequestBody },
  responses: {
    200: { description: 'The tool’s output', schema: InvokeToolResponseBody },
    ...guarded,
    403: errorResponse('The agent lacks the tool’s capability (CAPABILITY_DENIED)'),
    404: errorResponse('No such agent or tool (NOT_FOUND)'),
    422: errorResponse(
      'The tool refused or failed (TOOL_FAILED); details.code says why, e.g. PATH_OUTSIDE_ROOT, HOST_NOT_ALLOWED, READ_ONLY, TIMEOUT',
    ),
  },
});

export const streamBusEvents = defineRoute({
  method: 'get',
  path: '/events',
  operationId: 'streamBusEvents',
  summary:
    'The platform’s event bus as SSE: agent.lifecycle, agent.trace, rag.events, engine.lifecycle',
  description:
    'Each `id:` line holds every followed topic’s position; send it back as Last-Event-ID and ' +
    'each topic resumes exactly after what this client saw. A client that reads too slowly ' +
    'gets `stream_overflow` and the stream ends (resume from its id).',
  tags: ['events'],
  security: AM_API_KEY_SCHEME,
  request: { query: BusStreamQuery, headers: BusStreamHeaders },
  responses: {
    200: { kind: 'sse', description: 'Bus messages, oldest first', events: BusStreamEvent },
    ...guarded,
  },
});

export const spawnWorker = defineRoute({
  method: 'post',
  path: '/internal/workers',
  operationId: 'spawnWorker',
  summary: 'Spawn a worker process',
  tags: ['workers'],
  security: AM_ADMIN_KEY_SCHEME,
  request: { body: SpawnWorkerRequestBody },
  responses: {
    201: { description: 'Spawned', schema: SpawnWorkerResponseBody },
    ...adminGuarded,
    404: errorResponse('payload.agent_id names no agent (NOT_FOUND)'),
    409: errorResponse('Workers of this type are not served yet (INVALID_STATE)'),
  },
});

export const listWorkers = defineRoute({
  method: 'get',
  path: '/internal/workers',
  operationId: 'listWorkers',
  summary: 'Worker processes of this instance',
  tags: ['workers'],
  security: AM_ADMIN_KEY_SCHEME,
  responses: { 200: { description: 'Workers', schema: ListWorkersResponseBody }, ...adminGuarded },
});

export const drainWorker = defineRoute({
  method: 'delete',
  path: '/internal/workers/{pid}',
  operationId: 'drainWorker',
  summary: 'Drain a worker: it finishes its jobs, takes no new ones, then exits',
  tags: ['workers'],
  security: AM_ADMIN_KEY_SCHEME,
  request: { params: WorkerParams },
  responses: {
    202: { description: 'Draining', schema: DrainWorkerResponseBody },
    ...adminGuarded,
    404: errorResponse('No worker with this pid (NOT_FOUND)'),
  },
});

/** Every agent-manager operation, keyed by operationId. */
export const agentManagerRoutes = {
  getHealth: getServiceHealth,
  createAgent,
  batchCreateAgents,
  listAgents,
  getAgent,
  startAgent,
  streamAgentEvents,
  cancelAgent,
  invokeTool,
  streamBusEvents,
  spawnWorker,
  listWorkers,
  drainWorker,
  ...ragRoutes,
} as const;
export type AgentManagerRoutes = typeof agentManagerRoutes;
