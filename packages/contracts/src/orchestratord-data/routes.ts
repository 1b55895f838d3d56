import { defineRoute, type ResponseDef } from '../common/route.js';
import { PLATFORM_KEY_SCHEME } from '../orchestratord/routes.js';
import { chatRoutes } from './chat-completions.js';
import { DataErrorEnvelope } from './errors.js';
import { TaskEvent } from './events.js';
import { poolRoutes } from './pools.js';
import {
  AdmissionResponse,
  QueuedTaskParams,
  SessionInfo,
  SessionParams,
  TaskRequest,
  TaskStreamHeaders,
  TaskStreamQuery,
} from './schemas.js';

const err = (description: string) => ({ description, schema: DataErrorEnvelope }) as const;

const common = {
  400: err('The request is malformed or invalid (INVALID_PARAMS; details.issues lists why)'),
  401: err('X-Platform-Key is missing or wrong (UNAUTHORIZED)'),
  413: err('The body is over the size limit (PAYLOAD_TOO_LARGE)'),
  500: err('An unexpected error (INTERNAL); details are only in the log'),
} as const;
const unknownTask = err('No task with this id for this product (NOT_FOUND)');
const noContent: ResponseDef = { kind: 'empty', description: 'Done (idempotent)' };

export const createTask = defineRoute({
  method: 'post',
  path: '/v1/tasks',
  operationId: 'createTask',
  summary: 'Enqueue a task (one agent turn on the user’s engine)',
  tags: ['tasks'],
  security: PLATFORM_KEY_SCHEME,
  request: { body: TaskRequest },
  responses: {
    202: { description: 'Admitted and queued', schema: AdmissionResponse },
    ...common,
    400: err(
      'Invalid params (INVALID_PARAMS), or the deadline cannot be met (DEADLINE_UNMET), or the ' +
        'session’s budget is spent (INVALID_PARAMS, details.budget)',
    ),
    409: err(
      'This task_id was already used for another request (CONFLICT), or model_ref names a ' +
        'Retired catalog entry (MODEL_DEPRECATED)',
    ),
    429: err(
      'The pool’s queue is full: ADMISSION_REJECT (policy reject) or QUEUE_FULL_DROP_LRU ' +
        '(policy drop-lru, nothing to evict); Retry-After, X-Backoff-Ms and policy_label say more',
    ),
    503: err('The pool is draining or has no driver (POOL_UNAVAILABLE, POOL_UNREADY)'),
  },
});

export const streamTask = defineRoute({
  method: 'get',
  path: '/v1/tasks/{id}/stream',
  operationId: 'streamTask',
  summary: 'The task’s events as SSE, from the start or after Last-Event-ID',
  tags: ['tasks'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: QueuedTaskParams, query: TaskStreamQuery, headers: TaskStreamHeaders },
  responses: {
    200: {
      kind: 'sse',
      description: 'started, token*, metrics*, then one end or error; closes after it',
      events: TaskEvent,
    },
    ...common,
    404: unknownTask,
  },
});

export const cancelTask = defineRoute({
  method: 'post',
  path: '/v1/tasks/{id}/cancel',
  operationId: 'cancelTask',
  summary: 'Cancel a queued or running task (idempotent; llama-orch v1)',
  tags: ['tasks'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: QueuedTaskParams },
  responses: { 204: noContent, ...common, 404: unknownTask },
});

export const deleteTask = defineRoute({
  method: 'delete',
  path: '/v1/tasks/{id}',
  operationId: 'deleteTask',
  summary: 'Cancel a queued or running task (idempotent; the seed’s wording)',
  tags: ['tasks'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: QueuedTaskParams },
  responses: { 204: noContent, ...common, 404: unknownTask },
});

export const getSession = defineRoute({
  method: 'get',
  path: '/v1/sessions/{id}',
  operationId: 'getSession',
  summary: 'A session’s TTL, turns and budgets',
  tags: ['sessions'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: SessionParams },
  responses: {
    200: { description: 'The session', schema: SessionInfo },
    ...common,
    404: err('No live session with this id for this product (NOT_FOUND)'),
  },
});

export const deleteSession = defineRoute({
  method: 'delete',
  path: '/v1/sessions/{id}',
  operationId: 'deleteSession',
  summary: 'End a session (idempotent); its engine conversation is kept in the brain',
  tags: ['sessions'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: SessionParams },
  responses: { 204: noContent, ...common },
});

export const orchestratordDataRoutes = {
  ...poolRoutes,
  createTask,
  streamTask,
  cancelTask,
  deleteTask,
  getSession,
  deleteSession,
  ...chatRoutes,
} as const;
