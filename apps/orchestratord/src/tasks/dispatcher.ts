import type { Logger } from '@agentplane/http-kit';
import type { TaskHub } from './task-hub.js';
import type { TaskRepo, TaskRow } from './task-repo.js';

export interface DispatcherDeps {
  repo: TaskRepo;
  hub: TaskHub;
  logger: Logger;
  replicaId: string;
  pools: readonly string[];
  slots: number;
  pollMs: number;
  /** A relay silent this long belongs to a dead replica; its task is taken over. */
  staleMs: number;
  run: (row: TaskRow, cancel: AbortSignal, resume: boolean) => Promise<unknown>;
  /** Run every few ticks (a drain's deadline). */
  sweep?: () => Promise<void>;
}

const BEAT_MS = 1000;
// Claims and sweeps are for work admitted on other replicas: every 5th tick is soon enough
// (a task admitted here triggers its own claim); cancels are checked on every tick.
const CLAIM_EVERY = 5;

/**
 * Each replica's dispatch loop: fills its slots with the queue's next tasks (interactive first,
 * FIFO; `for update skip locked`, so replicas never take the same one), on a trigger (a task
 * admitted here, a slot freed) and every `pollMs` (tasks admitted elsewhere). The same tick
 * passes cancels requested on other replicas to this replica's relays.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const active = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let orphansDue = true;
  const durations: number[] = [];

  const launch = (row: TaskRow, resume: boolean) => {
    const controller = new AbortController();
    const unregister = deps.hub.relaying(row.id, () => controller.abort());
    const started = performance.now();
    const run = deps
      .run(row, controller.signal, resume)
      .then(() => undefined)
      .catch((error: unknown) =>
        deps.logger.error({ err: error, task_id: row.id }, 'task run failed'),
      )
      .finally(() => {
        unregister();
        active.delete(row.id);
        durations.push(performance.now() - started);
        if (durations.length > 50) {
          durations.shift();
        }
        trigger();
      });
    active.set(row.id, run);
  };

  const fill = async () => {
    do {
      again = false;
      while (!stopped && active.size < deps.slots) {
        // Orphans of a dead replica first: they were admitted (and started) before the queue.
        // Looked for on the claim ticks only (and at start): a fill per admission need not ask.
        const stale = orphansDue
          ? await deps.repo.claimStale(deps.pools, deps.replicaId, deps.staleMs)
          : undefined;
        orphansDue &&= stale !== undefined;
        const row = stale ?? (await deps.repo.claimNext(deps.pools, deps.replicaId));
        if (row === undefined) {
          break;
        }
        launch(row, stale !== undefined);
      }
    } while (again && !stopped);
  };

  function trigger(): void {
    if (stopped) {
      return;
    }
    if (filling !== undefined) {
      again = true;
      return;
    }
    filling = fill()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'dispatch failed; retrying'))
      .finally(() => {
        filling = undefined;
      });
  }

  let lastBeat = 0;
  let ticks = 0;
  const tick = async () => {
    ticks += 1;
    if (ticks % CLAIM_EVERY === 0) {
      await deps.sweep?.();
      orphansDue = true;
      trigger();
    }
    const relayed = deps.hub.relayed();
    if (performance.now() - lastBeat >= BEAT_MS) {
      lastBeat = performance.now();
      await deps.repo.beat(relayed);
    }
    for (const id of await deps.repo.cancelRequested(relayed)) {
      deps.hub.cancelLocal(id);
    }
  };

  return {
    trigger,
    start(): void {
      stopped = false;
      timer = setInterval(() => {
        void tick().catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'dispatch tick failed'),
        );
      }, deps.pollMs);
      timer.unref();
      trigger();
    },
    /** Stops claiming; waits up to `graceMs` for the tasks in flight. */
    async stop(graceMs: number): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await filling;
      await Promise.race([
        Promise.all(active.values()),
        new Promise((r) => setTimeout(r, graceMs).unref()),
      ]);
    },
    /** Mean run time of the last 50 tasks (1 s before any finished): admission's estimate. */
    meanTaskMs(): number {
      return durations.length === 0
        ? 1000
        : durations.reduce((a, b) => a + b, 0) / durations.length;
    },
    inFlight: () => active.size,
    slots: deps.slots,
  };
}
