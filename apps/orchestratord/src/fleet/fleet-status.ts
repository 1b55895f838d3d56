import type { EngineStatus, FleetStatus } from '@agentplane/contracts';
import { sql } from 'kysely';
import type { AuditLog } from './audit.js';
import type { EngineRepo } from './engine-repo.js';
import type { Pool } from './lifecycle.js';

const HOUR_MS = 3_600_000;
const STATUSES: readonly EngineStatus[] = [
  'provisioning',
  'running',
  'sleeping',
  'stopped',
  'failed',
  'destroying',
];

/** GET /status for one product: counts from engines, the last hour from the audit log. */
export async function fleetStatus(
  deps: { repo: EngineRepo; audit: AuditLog; pools: readonly Pool[] },
  productId: string,
): Promise<FleetStatus> {
  const [counts, actions, health, boot, perPool] = await Promise.all([
    deps.repo.countsByStatus(productId),
    deps.audit.countsSince(productId, HOUR_MS),
    deps.repo.db
      .selectFrom('engines')
      .select([
        (eb) => eb.fn.countAll<string>().filterWhere('health_failures', '=', 0).as('healthy'),
        (eb) => eb.fn.countAll<string>().filterWhere('health_failures', '>', 0).as('degraded'),
      ])
      .where('product_id', '=', productId)
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow(),
    deps.repo.db
      .selectFrom('audit_log')
      .select(sql<number | null>`avg(duration_ms)`.as('avg'))
      .where('product_id', '=', productId)
      .where('action', '=', 'provision')
      .where('at', '>', new Date(Date.now() - HOUR_MS))
      .executeTakeFirstOrThrow(),
    deps.repo.db
      .selectFrom('engines')
      .select(['pool', (eb) => eb.fn.countAll<string>().as('n')])
      .where('product_id', '=', productId)
      .groupBy('pool')
      .execute(),
  ]);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<
    EngineStatus,
    number
  >;
  const poolCounts = new Map(perPool.map((p) => [p.pool, Number(p.n)]));
  return {
    total: STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
    by_status: byStatus,
    health: {
      healthy: Number(health.healthy),
      unhealthy: Number(health.degraded) + byStatus.failed,
    },
    provisions_1h: actions.get('provision') ?? 0,
    crashes_1h: (actions.get('crash') ?? 0) + (actions.get('health_failed') ?? 0),
    restarts_1h: actions.get('auto_restart') ?? 0,
    avg_boot_ms: boot.avg === null ? null : Number(boot.avg),
    pools: deps.pools.map((p) => ({
      name: p.name,
      driver: p.driver.kind,
      engines: poolCounts.get(p.name) ?? 0,
    })),
  };
}
