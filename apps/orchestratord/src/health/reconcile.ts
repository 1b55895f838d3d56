import type { Logger } from '@agentplane/http-kit';
import { probeEngine } from '../fleet/engine-probe.js';
import type { EngineRepo } from '../fleet/engine-repo.js';
import type { KeyedMutex } from '../fleet/keyed-mutex.js';
import type { Lifecycle, Pool } from '../fleet/lifecycle.js';

export interface ReconcileOptions {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  mutex: KeyedMutex;
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
 * is safe because a provision writes its row before it creates anything.
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
      const lock = lifecycle.lockKey(row.product_id, row.user_id);
      if (opts.mutex.busy(lock)) {
        continue;
      }
      await opts.mutex.run(lock, async () => {
        const fresh = await repo.byId(row.id);
        if (fresh === undefined) {
          return;
        }
        const seen = observed.get(fresh.id);
        if (fresh.status === 'destroying') {
          await lifecycle.destroyRow(fresh, 'reconcile');
          report.finishedDestroys++;
          return;
        }
        if (fresh.status === 'provisioning') {
          // A provision cut short (orchestrator killed): keep it if it came up, else drop it
          // once its boot window is over.
          if (seen?.running && (await probeEngine(lifecycle.urlOf(fresh), opts.probeTimeoutMs))) {
            const running = await lifecycle.move(fresh, 'running', { last_health_at: new Date() });
            await lifecycle.record(running, 'reconcile', 'adopt', {
              metadata: { was: 'provisioning' },
            });
            report.adopted++;
          } else if (Date.now() - fresh.created_at.getTime() > opts.bootTimeoutMs) {
            await pool.driver.remove(fresh.id, { keepData: false });
            await repo.delete(fresh.id);
            await lifecycle.record(fresh, 'reconcile', 'provision_abandoned', {
              from: null,
              to: 'destroyed',
            });
            report.abandonedProvisions++;
          }
          return;
        }
        if (fresh.status === 'running' && !seen?.running) {
          const failed = await lifecycle.move(fresh, 'failed', {
            next_restart_at: new Date(),
            restart_attempts: 0,
          });
          await lifecycle.record(failed, 'reconcile', 'health_failed', {
            metadata: { reason: seen === undefined ? 'engine missing' : 'engine not running' },
          });
          report.failed++;
          return;
        }
        if ((fresh.status === 'stopped' || fresh.status === 'sleeping') && seen?.running) {
          // Stopped in the database but running on the host (a stop cut short): finish it.
          await pool.driver.stop(fresh.id, 10);
          await lifecycle.record(fresh, 'reconcile', 'stop', {
            metadata: { reason: 'was running' },
          });
          report.stopped++;
        }
      });
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
