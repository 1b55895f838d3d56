import { defineRoute } from '../common/route.js';
import { z } from '../common/zod.js';
import { ADMIN_KEY_SCHEME, PLATFORM_KEY_SCHEME } from '../orchestratord/routes.js';
import { DataErrorEnvelope } from './errors.js';

// llama-orch's pool control (control.yaml): health, drain; `resume` is ours (a drain would
// otherwise be forever). A pool is one of orchestratord's ORCH_POOLS (a driver + host).

const err = (description: string) => ({ description, schema: DataErrorEnvelope }) as const;
const common = {
  400: err('The request is malformed or invalid (INVALID_PARAMS)'),
  401: err('The key is missing or wrong (UNAUTHORIZED)'),
  404: err('No pool with this id (NOT_FOUND)'),
  413: err('The body is over the size limit (PAYLOAD_TOO_LARGE)'),
  500: err('An unexpected error (INTERNAL)'),
} as const;

export const PoolParams = z.object({ id: z.string().min(1).max(64) });

export const PoolHealth = z
  .object({
    live: z.boolean(),
    ready: z.boolean().describe('Live, not draining, and its driver answers'),
    draining: z.boolean(),
    drain_deadline_ms: z
      .int()
      .nonnegative()
      .optional()
      .describe('While draining: time left before in-flight tasks are cancelled'),
    metrics: z
      .object({
        queue_depth: z.int().nonnegative(),
        engines: z.int().nonnegative().describe('Running engines in the pool'),
        slots_free: z.int().nonnegative().describe('Dispatch slots free on this replica'),
      })
      .catchall(z.unknown()),
    last_error: z.string().nullable().describe('The last task failure in the pool (last hour)'),
  })
  .openapi('PoolHealth');
export type PoolHealth = z.infer<typeof PoolHealth>;

export const DrainRequest = z
  .object({ deadline_ms: z.int().nonnegative().max(86_400_000) })
  .openapi('DrainRequest');

export const PoolStateResponse = z
  .object({ pool_id: z.string(), draining: z.boolean() })
  .openapi('PoolStateResponse');

export const getPoolHealth = defineRoute({
  method: 'get',
  path: '/v1/pools/{id}/health',
  operationId: 'getPoolHealth',
  summary: 'Pool health and readiness',
  tags: ['pools'],
  security: PLATFORM_KEY_SCHEME,
  request: { params: PoolParams },
  responses: { 200: { description: 'Health summary', schema: PoolHealth }, ...common },
});

export const drainPool = defineRoute({
  method: 'post',
  path: '/v1/pools/{id}/drain',
  operationId: 'drainPool',
  summary:
    'Stop admitting to the pool; in-flight tasks finish until deadline_ms, then are cancelled ' +
    '(and queued ones fail with POOL_UNAVAILABLE)',
  tags: ['pools'],
  security: ADMIN_KEY_SCHEME,
  request: { params: PoolParams, body: DrainRequest },
  responses: {
    202: { description: 'Draining', schema: PoolStateResponse },
    ...common,
    403: err('A platform key was sent where the admin key is required (FORBIDDEN)'),
  },
});

export const resumePool = defineRoute({
  method: 'post',
  path: '/v1/pools/{id}/resume',
  operationId: 'resumePool',
  summary: 'End a drain: the pool admits and dispatches again (beyond llama-orch)',
  tags: ['pools'],
  security: ADMIN_KEY_SCHEME,
  request: { params: PoolParams },
  responses: {
    200: { description: 'Admitting', schema: PoolStateResponse },
    ...common,
    403: err('A platform key was sent where the admin key is required (FORBIDDEN)'),
  },
});

export const ReloadRequest = z
  .object({
    new_model_ref: z
      .string()
      .min(1)
      .max(512)
      .describe('The catalog entry to move the pool’s engines to (as TaskRequest.model_ref)'),
  })
  .openapi('ReloadRequest');

export const ReloadResponse = z
  .object({
    pool_id: z.string(),
    model_ref: z.string(),
    image: z.string().describe('The engine image the pool’s engines now run'),
    engines_reloaded: z.int().nonnegative().describe('Engines moved (one at a time)'),
  })
  .openapi('ReloadResponse');

export const reloadPool = defineRoute({
  method: 'post',
  path: '/v1/pools/{id}/reload',
  operationId: 'reloadPool',
  summary:
    'Rolling upgrade: move the pool’s engines to another catalog image, one at a time, each ' +
    'brain kept; atomic (an engine that does not come up rolls the pool back: 409)',
  tags: ['pools'],
  security: ADMIN_KEY_SCHEME,
  request: { params: PoolParams, body: ReloadRequest },
  responses: {
    200: { description: 'Every engine of the pool runs the new image', schema: ReloadResponse },
    ...common,
    400: err('new_model_ref names no catalog entry, or the body is invalid (INVALID_PARAMS)'),
    403: err('A platform key was sent where the admin key is required (FORBIDDEN)'),
    409: err(
      'An engine did not come up on the new image and the pool was rolled back, a reload of ' +
        'the pool is in progress (CONFLICT), or the entry is Retired (MODEL_DEPRECATED)',
    ),
  },
});

export const poolRoutes = { getPoolHealth, drainPool, resumePool, reloadPool } as const;
