import type { Logger, ShutdownHook } from '@agentplane/http-kit';
import type { EngineRepo } from './fleet/engine-repo.js';
import type { Lifecycle, Pool } from './fleet/lifecycle.js';

export interface SleepOnExitDeps {
  repo: Pick<EngineRepo, 'all'>;
  lifecycle: Pick<Lifecycle, 'sleep'>;
  pools: readonly Pool[];
  logger: Logger;
  /** Whether this replica leads (a standby must not put the leader's engines to sleep). */
  isLeader: () => boolean;
  /** Stops the loops that would restart an engine we stop (health loop, warm pool). */
  stopLoops: () => Promise<void>;
}

// Leftovers (a provision in flight, a sleep that failed) get this long after SIGTERM; the
// engine answers SIGTERM at once when idle, and a boot has nothing to lose.
const LEFTOVER_GRACE_S = 1;

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
    } else {
      signal.addEventListener('abort', () => resolve(), { once: true });
    }
  });

/**
 * The shutdown hook of the process driver's engines (ORCH_PROCESS_ENGINES_ON_EXIT=sleep). They
 * are children of this machine, spawned in process groups of their own so that a crash of ours
 * does not take them down; so Ctrl-C never reached them, and `pnpm dev` left them holding ports
 * and ~100 MB each with no one to admit to them. On a graceful exit each running engine is put
 * to sleep through the lifecycle (the recorded running → sleeping move the idle sleeper makes,
 * brain kept), so the next start's admit wakes it; then any engine process still alive is
 * stopped. When the shutdown grace runs out, what is left is killed at once.
 *
 * Register it after the orchestrator's own hook: hooks run in reverse, so this runs after the
 * HTTP server closed (no admit races it) and before the database closes.
 */
export function sleepProcessEnginesOnExit(deps: SleepOnExitDeps): ShutdownHook {
  const log = deps.logger.child({ component: 'sleep-on-exit' });
  return async (signal) => {
    const local = deps.pools.filter((pool) => pool.driver.kind === 'process');
    if (local.length === 0 || !deps.isLeader()) {
      return;
    }
    const started = performance.now();
    await deps.stopLoops();
    const names = new Set(local.map((pool) => pool.name));
    const rows = (await deps.repo.all()).filter(
      (row) => names.has(row.pool) && row.status === 'running',
    );
    const sleeps = Promise.allSettled(
      rows.map((row) => deps.lifecycle.sleep(row.product_id, row.user_id, 'shutdown')),
    );
    await Promise.race([sleeps, aborted(signal)]);
    const failed = signal.aborted
      ? undefined
      : (await sleeps).filter((result) => result.status === 'rejected').length;
    let killed = 0;
    for (const pool of local) {
      const left = (await pool.driver.list()).filter((engine) => engine.running);
      await Promise.all(
        left.map((engine) =>
          pool.driver.stop(engine.engineId, signal.aborted ? 0 : LEFTOVER_GRACE_S),
        ),
      );
      killed += left.length;
    }
    log.info(
      {
        engines: rows.length,
        sleep_failures: failed,
        leftovers: killed,
        grace_over: signal.aborted,
        durationMs: Math.round(performance.now() - started),
      },
      'process engines stopped for exit',
    );
  };
}
