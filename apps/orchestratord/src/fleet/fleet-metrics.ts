import type { Metrics } from '@agentplane/http-kit';
import { Gauge } from 'prom-client';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import type { EngineRepo } from './engine-repo.js';

/**
 * Fleet gauges for Prometheus, read from Postgres at scrape time (so every replica reports the
 * same fleet): engines by status and pool, and the engines whose last probe failed; and whether
 * this replica is the leader.
 */
export function registerFleetMetrics(
  metrics: Metrics,
  repo: EngineRepo,
  isLeader: () => boolean,
): void {
  new Gauge({
    name: 'orchestratord_leader',
    help: '1 on the replica that runs the fleet-wide loops (health, reconcile, warm pool)',
    registers: [metrics.registry],
    collect() {
      this.set(isLeader() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'orchestratord_engines',
    help: 'Engines by status and pool (all products); warm="true" for the warm pool',
    labelNames: ['status', 'pool', 'warm'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const rows = await repo.db
        .selectFrom('engines')
        .select([
          'status',
          'pool',
          (eb) => eb('product_id', '=', WARM_PRODUCT_ID).as('warm'),
          (eb) => eb.fn.countAll<string>().as('n'),
        ])
        .groupBy(['status', 'pool', 'warm'])
        .execute();
      for (const row of rows) {
        this.set({ status: row.status, pool: row.pool, warm: String(row.warm) }, Number(row.n));
      }
    },
  });
  new Gauge({
    name: 'orchestratord_engines_unhealthy',
    help: 'Running engines whose last health probe failed',
    registers: [metrics.registry],
    async collect() {
      const row = await repo.db
        .selectFrom('engines')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'running')
        .where('health_failures', '>', 0)
        .executeTakeFirstOrThrow();
      this.set(Number(row.n));
    },
  });
}
