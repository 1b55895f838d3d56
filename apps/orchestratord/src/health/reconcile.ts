import type { Logger } from '@agentplane/http-kit';
import { probeEngine } from '../fleet/engine-probe.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { EngineView, Pool } from '../fleet/engine-view.js';
import type { Lifecycle } from '../fleet/lifecycle.js';

export interface ReconcileOptions {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  view: EngineView;
  pools: readonly Pool[];
  logger: Logger;
  bootTimeoutMs: number;
  probeTimeoutMs: number;
}

export interface ReconcileReport {
  adopted: number;
  failed: number;
  stopped: number;
  removedOrphans: number;
  removedData: number;
  finishedDestroys: number;
  abandonedProvisions: number;
}

/**
 * Makes Postgres and the hosts agree (at start, then periodically). Rows are the truth for
 * what should exist; containers and volumes without a row are orphans and are removed, which
 * is safe because a provision writes its row before it creates anything. Reconcile decides;
 * the lifecycle's operations act, each re-checking the row under the engine's lock.
 */
export async function reconcile(opts: ReconcileOptions): Promise<ReconcileReport> {
  const { repo, lifecycle, logger } = opts;
  const report: ReconcileReport = {
    adopted: 0,
    failed: 0,
    stopped: 0,
    removedOrphans: 0,
    removedData: 0,
    finishedDestroys: 0,
    abandonedProvisions: 0,
  };
  for (const pool of opts.pools) {
    const observed = new Map((await pool.driver.list()).map((o) => [o.engineId, o]));
    const rows = (await repo.all()).filter((r) => r.pool === pool.name);
    const known = new Set(rows.map((r) => r.id));

    for (const row of rows) {
      if (lifecycle.busy(row)) {
        continue;
      }
      const seen = observed.get(row.id);
      if (row.status === 'destroying') {
        if (await lifecycle.finishDestroy(row)) {
          report.finishedDestroys++;
        }
      } else if (row.status === 'provisioning') {
        // A provision cut short (orchestrator killed): keep it if it came up, else drop it
        // once its boot window is over.
        if (seen?.running && (await probeEngine(opts.view.urlOf(row), opts.probeTimeoutMs))) {
          if (await lifecycle.adopt(row)) {
            report.adopted++;
          }
        } else if (Date.now() - row.created_at.getTime() > opts.bootTimeoutMs) {
          if (await lifecycle.abandon(row)) {
            report.abandonedProvisions++;
          }
        }
      } else if (row.status === 'running' && !seen?.running) {
        const reason = seen === undefined ? 'engine missing' : 'engine not running';
        if (
          await lifecycle.markFailed(row, { actor: 'reconcile', action: 'health_failed' }, reason)
        ) {
          report.failed++;
        }
      } else if ((row.status === 'stopped' || row.status === 'sleeping') && seen?.running) {
        if (await lifecycle.finishStop(row, row.status)) {
          report.stopped++;
        }
      }
    }

    for (const [engineId] of observed) {
      if (!known.has(engineId) && (await repo.byId(engineId)) === undefined) {
        await pool.driver.remove(engineId, { keepData: false });
        report.removedOrphans++;
      }
    }
    for (const engineId of await pool.driver.listData()) {
      if (
        !known.has(engineId) &&
        !observed.has(engineId) &&
        (await repo.byId(engineId)) === undefined
      ) {
        await pool.driver.remove(engineId, { keepData: false });
        report.removedData++;
      }
    }
  }
  if (Object.values(report).some((n) => n > 0)) {
    logger.info({ report }, 'reconciled');
  }
  return report;
}
