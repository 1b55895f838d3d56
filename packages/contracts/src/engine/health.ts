import { z } from '../common/zod.js';

/** `ok` = ready for /execute; anything else means the orchestrator must not route work here yet. */
export const HealthStatus = z
  .enum(['ok', 'degraded', 'starting', 'draining'])
  .openapi('HealthStatus', {
    description:
      '`ok`: ready for /execute. `starting`: booting (brain, migrations, catalog). `degraded`: ' +
      'up but a subsystem failed. `draining`: SIGTERM received, in-flight turns finishing.',
  });
export type HealthStatus = z.infer<typeof HealthStatus>;

export const SubsystemHealth = z
  .object({
    ok: z.boolean(),
    detail: z.string().max(1000).optional().describe('Why it is not ok; never contains secrets'),
  })
  .openapi('SubsystemHealth');
export type SubsystemHealth = z.infer<typeof SubsystemHealth>;

/**
 * GET /health. Stability "strict" (engine contract): fields may be added, never changed. Served
 * with 200 when `status` is `ok`, 503 with the same body otherwise.
 */
export const HealthResponseBody = z
  .object({
    status: HealthStatus,
    uptime_seconds: z.number().nonnegative(),
    version: z.string().optional().describe('Engine version (semver)'),
    subsystems: z
      .object({ brain: SubsystemHealth, migrations: SubsystemHealth, catalog: SubsystemHealth })
      .catchall(SubsystemHealth)
      .describe('Every subsystem the engine needs to serve /execute; more may be added'),
  })
  .openapi('HealthResponseBody');
export type HealthResponseBody = z.infer<typeof HealthResponseBody>;
