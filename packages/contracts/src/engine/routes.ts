import { ErrorEnvelope } from '../common/errors.js';
import {
  authErrorResponses,
  commonErrorResponses,
  defineRoute,
  errorResponse,
} from '../common/route.js';
import { EngineEvent } from './events.js';
import {
  CancelResponseBody,
  ExecuteRequestBody,
  ReplayQuery,
  ResumeHeaders,
  TaskParams,
} from './execute.js';
import { HealthResponseBody } from './health.js';
import {
  HitlPendingQuery,
  HitlPendingResponseBody,
  HitlRespondRequestBody,
  HitlRespondResponseBody,
} from './hitl.js';
import { RpcRequestBody, RpcResponseBody, rpcValidationErrorCode } from './rpc.js';

/** Name of the engine's security scheme: `X-Engine-Key`, checked against its SHA-256 hash(es). */
export const ENGINE_KEY_SCHEME = 'engineKey';

const guarded = { ...commonErrorResponses, ...authErrorResponses } as const;
const notReady = errorResponse('Booting or draining (NOT_READY); retry after /health is ok');

export const getHealth = defineRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Readiness of the engine and its subsystems',
  description: 'No auth. 200 only when status is `ok`; 503 with the same body otherwise.',
  tags: ['health'],
  responses: {
    200: { description: 'Ready to serve /execute', schema: HealthResponseBody },
    503: { description: 'Not ready; `subsystems` says which part', schema: HealthResponseBody },
    500: commonErrorResponses[500],
  },
});

const streamResponse = {
  kind: 'sse',
  description: 'The turn as a text/event-stream of EngineEvent, ending with one terminal event',
  events: EngineEvent,
} as const;

export const execute = defineRoute({
  method: 'post',
  path: '/execute',
  operationId: 'execute',
  summary: 'Run one agent turn and stream its events',
  description:
    'One task_id runs at most one turn at a time (409 TASK_BUSY); another turn of the same ' +
    'conversation in flight follows multitask_strategy. Quotas are checked before the stream ' +
    'opens (429). A dropped client does not lose the turn unless on_disconnect is `cancel`; ' +
    'reconnect with GET /execute/replay?task_id=… and Last-Event-ID (or `after`).',
  tags: ['execute'],
  security: ENGINE_KEY_SCHEME,
  request: { body: ExecuteRequestBody },
  responses: {
    200: streamResponse,
    ...guarded,
    404: errorResponse('edit_message_id, retry_message_id or agent does not exist (NOT_FOUND)'),
    409: errorResponse(
      'A turn of this task_id is running or queued, or (multitask_strategy `reject`) one of the ' +
        'same conversation is (TASK_BUSY); or the edited/retried message was superseded (CONFLICT)',
    ),
    429: errorResponse('Gateway quota or rate limit reached (QUOTA_EXCEEDED, RATE_LIMITED)'),
    503: notReady,
  },
});

export const replayExecution = defineRoute({
  method: 'get',
  path: '/execute/replay',
  operationId: 'replayExecution',
  summary: 'Replay (and follow) the events of a task’s turn',
  description:
    'Streams the buffered events of the task’s latest turn (or `turn_id`) with seq greater ' +
    'than Last-Event-ID (or `after`; default 0 = all), then follows it live until its terminal ' +
    'event. Heartbeats are not replayed. A turn stays buffered for ENGINE_REPLAY_TTL_S ' +
    '(default 300 s) after its terminal event.',
  tags: ['execute'],
  security: ENGINE_KEY_SCHEME,
  request: { query: ReplayQuery, headers: ResumeHeaders },
  responses: {
    200: streamResponse,
    ...guarded,
    404: errorResponse('No buffered turn for this task (NOT_FOUND)'),
  },
});

export const cancelExecution = defineRoute({
  method: 'post',
  path: '/execute/{task_id}/cancel',
  operationId: 'cancelExecution',
  summary: 'Cancel the running turn of a task',
  description: 'The turn ends with thread.cancelled (reason cancel_request).',
  tags: ['execute'],
  security: ENGINE_KEY_SCHEME,
  request: { params: TaskParams },
  responses: {
    200: { description: 'Cancellation requested or already over', schema: CancelResponseBody },
    ...guarded,
    404: errorResponse('No turn known for this task (NOT_FOUND)'),
  },
});

export const rpc = defineRoute({
  method: 'post',
  path: '/rpc',
  operationId: 'rpc',
  summary: 'Control and telemetry operations, dispatched on subsystem + op',
  tags: ['rpc'],
  security: ENGINE_KEY_SCHEME,
  request: { body: RpcRequestBody },
  validationErrorCode: rpcValidationErrorCode,
  responses: {
    200: { description: 'The op’s result', schema: RpcResponseBody },
    ...guarded,
    400: {
      description: 'Invalid params (VALIDATION_ERROR) or unknown subsystem/op (UNKNOWN_OPERATION)',
      schema: ErrorEnvelope,
    },
    422: errorResponse('reload: the config file is unreadable or invalid (CONFIG_INVALID)'),
    503: notReady,
  },
});

export const listHitlPending = defineRoute({
  method: 'get',
  path: '/hitl/pending',
  operationId: 'listHitlPending',
  summary: 'Tool calls waiting for a human decision',
  tags: ['hitl'],
  security: ENGINE_KEY_SCHEME,
  request: { query: HitlPendingQuery },
  responses: {
    200: { description: 'Open requests, oldest first', schema: HitlPendingResponseBody },
    ...guarded,
  },
});

export const respondHitl = defineRoute({
  method: 'post',
  path: '/hitl/respond',
  operationId: 'respondHitl',
  summary: 'Approve or deny paused tool calls',
  tags: ['hitl'],
  security: ENGINE_KEY_SCHEME,
  request: { body: HitlRespondRequestBody },
  responses: {
    200: { description: 'One result per response, in order', schema: HitlRespondResponseBody },
    ...guarded,
  },
});

/** Every engine operation, keyed by operationId (what `createClient` and the server consume). */
export const engineRoutes = {
  getHealth,
  execute,
  replayExecution,
  cancelExecution,
  rpc,
  listHitlPending,
  respondHitl,
} as const;
export type EngineRoutes = typeof engineRoutes;
