import type { Logger } from '@agentplane/http-kit';
import type { EngineRepo } from '../fleet/engine-repo.js';

/**
 * Remembers admits and writes `last_admit_at` in one UPDATE per second, keeping a write off
 * the admit path (the idle detector only needs second-level precision). A flush that fails is
 * logged and counted, and its engines are kept for the next one: a lost write would let the
 * idle detector put a busy engine to sleep.
 */
export function createLastAdmitRecorder(
  repo: Pick<EngineRepo, 'markAdmitted'>,
  logger: Logger,
  flushMs = 1000,
) {
  let pending = new Set<string>();
  let failedFlushes = 0;
  const flush = async () => {
    if (pending.size === 0) {
      return;
    }
    const ids = [...pending];
    pending = new Set();
    try {
      await repo.markAdmitted(ids);
    } catch (error) {
      failedFlushes++;
      for (const id of ids) {
        pending.add(id);
      }
      logger.warn({ err: error, engines: ids.length }, 'last_admit_at flush failed; retrying');
      throw error;
    }
  };
  const timer = setInterval(() => void flush().catch(() => {}), flushMs);
  timer.unref();
  return {
    note(engineId: string): void {
      pending.add(engineId);
    },
    flush,
    /** Flushes that failed since start (orchestratord_last_admit_flush_failures_total). */
    failedFlushes: () => failedFlushes,
    async close() {
      clearInterval(timer);
      await flush().catch(() => {
        logger.error({ engines: pending.size }, 'last_admit_at of these engines is lost');
      });
    },
  };
}
export type LastAdmitRecorder = ReturnType<typeof createLastAdmitRecorder>;
