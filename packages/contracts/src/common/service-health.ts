import { commonErrorResponses, defineRoute } from './route.js';
import { z } from './zod.js';

/** GET /health of a platform service (the engine has its own, stricter, contract). */
export const ServiceHealthResponseBody = z
  .object({
    status: z.enum(['ok', 'starting', 'degraded', 'draining']),
    service: z.string(),
    version: z.string(),
    uptime_seconds: z.number().nonnegative(),
    backends: z
      .record(z.string(), z.string())
      .describe('Which implementation backs each dependency, e.g. {"database": "pglite"}'),
  })
  .openapi('ServiceHealthResponseBody');
export type ServiceHealthResponseBody = z.infer<typeof ServiceHealthResponseBody>;

export const getServiceHealth = defineRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Liveness and readiness of the service',
  tags: ['health'],
  responses: {
    200: { description: 'Ready', schema: ServiceHealthResponseBody },
    503: { description: 'Not ready (starting or draining)', schema: ServiceHealthResponseBody },
    ...commonErrorResponses,
  },
});
