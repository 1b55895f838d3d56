import type { Logger } from '@agentplane/http-kit';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import type { DriverEvent } from '../drivers/driver.js';
import { probeEngine } from '../fleet/engine-probe.js';
import type { EngineRepo, EngineRow } from '../fleet/engine-repo.js';
import type { EngineView, Pool } from '../fleet/engine-view.js';
import type { Lifecycle } from '../fleet/lifecycle.js';

export interface HealthLoopOptions {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  view: EngineView;
  pools: readonly Pool[];
  logger: Logger;
  intervalMs: number;
  probeTimeoutMs: number;
  concurrency: number;
  failuresToFail: number;
  /** Restarts stop after this many failed attempts (the backoff itself is the lifecycle's). */
  maxRestartAttempts: number;
  /** Sleep running engines with no admit for this long; 0 = never. */
  idleMs: number;
}

async function mapBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * The background side of the lifecycle: probes running engines (N failures → failed), restarts
 * failed ones with exponential backoff until it gives up, reacts to the container engine's
 * events at once (a crash is seen in well under a second, not at the next probe), sleeps idle
 * engines and ends expired key overlaps.
 */
export function createHealthLoop(opts: HealthLoopOptions) {
  const { repo, lifecycle, logger } = opts;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;
  const unsubscribes: (() => void)[] = [];
  // Event handlers in flight: stop() waits for them, so none touches a closed database.
  const handlingEvents = new Set<Promise<void>>();

  const busy = (row: EngineRow) => lifecycle.busy(row);

  async function probeRunning() {
    const running = await repo.withStatus(['running']);
    const ok: string[] = [];
    await mapBounded(running, opts.concurrency, async (row) => {
      if (busy(row)) {
        return;
      }
      if (await probeEngine(opts.view.urlOf(row), opts.probeTimeoutMs)) {
        ok.push(row.id);
        if (row.health_failures > 0) {
          await repo.patch(row.id, { health_failures: 0 });
        }
        return;
      }
      const failures = row.health_failures + 1;
      if (failures >= opts.failuresToFail) {
        await lifecycle.markFailed(
          row,
          { actor: 'health', action: 'health_failed' },
          `${failures} consecutive failed probes`,
        );
      } else {
        await repo.patch(row.id, { health_failures: failures });
      }
    });
    await repo.markHealthy(ok);
  }

  async function restartDue() {
    const failed = await repo.withStatus(['failed']);
    const due = failed.filter(
      (r) =>
        r.restart_attempts < opts.maxRestartAttempts &&
        (r.next_restart_at === null || r.next_restart_at.getTime() <= Date.now()) &&
        !busy(r),
    );
    await mapBounded(due, opts.concurrency, async (row) => {
      await lifecycle.autoRestart(row);
    });
  }

  async function sleepIdle() {
    if (opts.idleMs <= 0) {
      return;
    }
    const cutoff = Date.now() - opts.idleMs;
    const running = await repo.withStatus(['running']);
    for (const row of running) {
      if (row.product_id === WARM_PRODUCT_ID) {
        // Warm engines wait for a claim, not for an admit.
        continue;
      }
      const lastUse = Math.max(row.last_admit_at?.getTime() ?? 0, row.updated_at.getTime());
      if (lastUse < cutoff && !busy(row)) {
        await lifecycle
          .sleep(row.product_id, row.user_id, 'idle')
          .catch((error: unknown) =>
            logger.warn({ err: error, engine_id: row.id }, 'idle sleep failed'),
          );
      }
    }
  }

  async function endOverlaps() {
    for (const id of await repo.overlapsEnded()) {
      await lifecycle
        .endOverlap(id)
        .catch((error: unknown) =>
          logger.warn({ err: error, engine_id: id }, 'ending a key overlap failed'),
        );
    }
  }

  async function tick() {
    for (const step of [probeRunning, restartDue, sleepIdle, endOverlaps]) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error, step: step.name }, 'health loop step failed');
      }
    }
  }

  function schedule() {
    if (stopped) {
      return;
    }
    timer = setTimeout(() => {
      ticking = tick().finally(() => {
        ticking = undefined;
        schedule();
      });
    }, opts.intervalMs);
    timer.unref();
  }

  async function onEvent(event: DriverEvent) {
    if (event.kind !== 'died') {
      return;
    }
    const row = await repo.byId(event.engineId);
    // A stop, sleep or destroy of ours also makes the container die: those hold the lock.
    if (row?.status !== 'running' || busy(row)) {
      return;
    }
    logger.warn({ engine_id: row.id, exit_code: event.exitCode }, 'engine died; restarting');
    const failed = await lifecycle.markFailed(
      row,
      { actor: 'events', action: 'crash' },
      `exited${event.exitCode === undefined ? '' : ` with ${event.exitCode}`}`,
    );
    if (failed !== undefined) {
      await lifecycle.autoRestart(failed);
    }
  }

  return {
    start() {
      stopped = false;
      for (const pool of opts.pools) {
        unsubscribes.push(
          pool.driver.subscribe((event) => {
            if (stopped) {
              return;
            }
            const handling = onEvent(event)
              .catch((error: unknown) =>
                logger.error(
                  { err: error, engine_id: event.engineId },
                  'handling a driver event failed',
                ),
              )
              .finally(() => handlingEvents.delete(handling));
            handlingEvents.add(handling);
          }),
        );
      }
      schedule();
    },
    /** One full pass now (tests and benchmarks). */
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes.splice(0)) {
        unsubscribe();
      }
      await ticking;
      await Promise.all(handlingEvents);
    },
  };
}
