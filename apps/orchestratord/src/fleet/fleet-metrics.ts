import type { Metrics } from '@agentplane/http-kit';
import { Counter, Gauge } from 'prom-client';
import type { EngineRepo } from './engine-repo.js';

/**
 * Fleet gauges for Prometheus, read from Postgres at scrape time (so every replica reports the
 * same fleet): engines by status and pool, and the engines whose last probe failed; and whether
 * this replica is the leader, and its failed last_admit_at flushes.
 */
export function registerFleetMetrics(
  metrics: Metrics,
  repo: EngineRepo,
  isLeader: () => boolean,
  failedAdmitFlushes: () => number,
): void {
  new Counter({
    name: 'orchestratord_last_admit_flush_failures_total',
    help: 'Batched last_admit_at writes that failed (their engines are retried next flush)',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(failedAdmitFlushes());
    },
  });
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
      const rows = await repo.fleetCounts();
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
      this.set(await repo.unhealthyRunning());
    },
  });
}
