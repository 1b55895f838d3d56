import type { Logger } from '@agentplane/http-kit';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import type { DriverEvent } from '../drivers/driver.js';
import { probeEngine } from '../fleet/engine-probe.js';
import type { EngineRepo, EngineRow } from '../fleet/engine-repo.js';
import type { KeyedMutex } from '../fleet/keyed-mutex.js';
import type { Lifecycle, Pool } from '../fleet/lifecycle.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';

export interface HealthLoopOptions {
  repo: EngineRepo;
  lifecycle: Lifecycle;
  mutex: KeyedMutex;
  pools: readonly Pool[];
  logger: Logger;
  intervalMs: number;
  probeTimeoutMs: number;
  concurrency: number;
  failuresToFail: number;
  restart: BackoffPolicy;
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

  const busy = (row: EngineRow) => opts.mutex.busy(lifecycle.lockKey(row.product_id, row.user_id));

  async function markFailed(row: EngineRow, actor: 'health' | 'events', reason: string) {
    await opts.mutex.run(lifecycle.lockKey(row.product_id, row.user_id), async () => {
      const fresh = await repo.byId(row.id);
      if (fresh?.status !== 'running') {
        return;
      }
      const failed = await lifecycle.move(fresh, 'failed', {
        restart_attempts: 0,
        next_restart_at: new Date(),
      });
      await lifecycle.record(failed, actor, actor === 'events' ? 'crash' : 'health_failed', {
        metadata: { reason },
      });
    });
  }

  /** One restart attempt of a failed engine whose backoff is over. */
  async function restart(row: EngineRow) {
    await opts.mutex.run(lifecycle.lockKey(row.product_id, row.user_id), async () => {
      const fresh = await repo.byId(row.id);
      if (
        fresh?.status !== 'failed' ||
        fresh.restart_attempts >= opts.restart.maxAttempts ||
        (fresh.next_restart_at !== null && fresh.next_restart_at.getTime() > Date.now())
      ) {
        return;
      }
      const attempt = fresh.restart_attempts + 1;
      await lifecycle.record(fresh, 'health', 'auto_restart_start', { metadata: { attempt } });
      try {
        const running = await lifecycle.boot(fresh, 'health', 'auto_restart');
        await repo.patch(running.id, {
          restart_count: fresh.restart_count + 1,
          restart_attempts: 0,
          next_restart_at: null,
        });
      } catch (error) {
        const gaveUp = attempt >= opts.restart.maxAttempts;
        await repo.patch(fresh.id, {
          restart_attempts: attempt,
          next_restart_at: gaveUp
            ? null
            : new Date(Date.now() + backoffDelay(opts.restart, attempt)),
        });
        // boot() audited auto_restart_failed; this adds why and what comes next.
        logger.warn(
          { err: error, engine_id: fresh.id, attempt, gave_up: gaveUp },
          'restart failed',
        );
        if (gaveUp) {
          await lifecycle.record(fresh, 'health', 'auto_restart_gave_up', {
            metadata: { attempts: attempt },
          });
        }
      }
    });
  }

  async function probeRunning() {
    const running = await repo.withStatus(['running']);
    const ok: string[] = [];
    await mapBounded(running, opts.concurrency, async (row) => {
      if (busy(row)) {
        return;
      }
      if (await probeEngine(lifecycle.urlOf(row), opts.probeTimeoutMs)) {
        ok.push(row.id);
        if (row.health_failures > 0) {
          await repo.patch(row.id, { health_failures: 0 });
        }
        return;
      }
      const failures = row.health_failures + 1;
      if (failures >= opts.failuresToFail) {
        await markFailed(row, 'health', `${failures} consecutive failed probes`);
      } else {
        await repo.patch(row.id, { health_failures: failures });
      }
    });
    if (ok.length > 0) {
      await repo.db
        .updateTable('engines')
        .set({ last_health_at: new Date() })
        .where('id', 'in', ok)
        .execute();
    }
  }

  async function restartDue() {
    const failed = await repo.withStatus(['failed']);
    const due = failed.filter(
      (r) =>
        r.restart_attempts < opts.restart.maxAttempts &&
        (r.next_restart_at === null || r.next_restart_at.getTime() <= Date.now()) &&
        !busy(r),
    );
    await mapBounded(due, opts.concurrency, restart);
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
          .stop(row.product_id, row.user_id, 'sleeping', 'idle')
          .catch((error: unknown) =>
            logger.warn({ err: error, engine_id: row.id }, 'idle sleep failed'),
          );
      }
    }
  }

  async function endOverlaps() {
    const rows = await repo.db
      .selectFrom('engines')
      .select('id')
      .where('prev_key_expires_at', '<=', new Date())
      .execute();
    for (const { id } of rows) {
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
    await markFailed(
      row,
      'events',
      `exited${event.exitCode === undefined ? '' : ` with ${event.exitCode}`}`,
    );
    const failed = await repo.byId(row.id);
    if (failed?.status === 'failed') {
      await restart(failed);
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
