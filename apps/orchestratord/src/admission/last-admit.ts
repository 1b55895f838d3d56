import { sql } from 'kysely';
import type { EngineRepo } from '../fleet/engine-repo.js';

/**
 * Remembers admits and writes `last_admit_at` in one UPDATE per second, keeping a write off
 * the admit path (the idle detector only needs second-level precision).
 */
export function createLastAdmitRecorder(repo: EngineRepo, flushMs = 1000) {
  let pending = new Set<string>();
  const flush = async () => {
    if (pending.size === 0) {
      return;
    }
    const ids = [...pending];
    pending = new Set();
    await repo.db
      .updateTable('engines')
      .set({ last_admit_at: sql<Date>`now()` })
      .where('id', 'in', ids)
      .execute();
  };
  const timer = setInterval(() => void flush().catch(() => {}), flushMs);
  timer.unref();
  return {
    note(engineId: string): void {
      pending.add(engineId);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
export type LastAdmitRecorder = ReturnType<typeof createLastAdmitRecorder>;
