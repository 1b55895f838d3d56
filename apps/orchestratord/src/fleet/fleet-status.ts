import type { EngineStatus, FleetStatus } from '@agentplane/contracts';
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
  const [counts, actions, health, avgBootMs, poolCounts] = await Promise.all([
    deps.repo.countsByStatus(productId),
    deps.audit.countsSince(productId, HOUR_MS),
    deps.repo.runningHealth(productId),
    deps.audit.meanDurationSince(productId, 'provision', HOUR_MS),
    deps.repo.countsByPool(productId),
  ]);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<
    EngineStatus,
    number
  >;
  return {
    total: STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
    by_status: byStatus,
    health: {
      healthy: health.healthy,
      unhealthy: health.degraded + byStatus.failed,
    },
    provisions_1h: actions.get('provision') ?? 0,
    crashes_1h: (actions.get('crash') ?? 0) + (actions.get('health_failed') ?? 0),
    restarts_1h: actions.get('auto_restart') ?? 0,
    avg_boot_ms: avgBootMs,
    pools: deps.pools.map((p) => ({
      name: p.name,
      driver: p.driver.kind,
      engines: poolCounts.get(p.name) ?? 0,
    })),
  };
}
