import { ApiError, type Logger } from '@agentplane/http-kit';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import type { Lifecycle } from './lifecycle.js';

const MOVABLE = new Set(['running', 'sleeping', 'stopped', 'failed']);

/**
 * llama-orch's pool reload as a rolling upgrade: the pool's engines move to another image one at
 * a time, each brain kept (lifecycle.reloadImage). Atomic: when one engine does not come up on
 * the new image, the ones already moved are put back on their old images and the reload answers
 * 409 naming the engine and its cause. One reload per pool at a time on this replica.
 */
export function createPoolReload(deps: {
  repo: EngineRepo;
  lifecycle: Pick<Lifecycle, 'reloadImage'>;
  logger: Logger;
}) {
  const inProgress = new Set<string>();
  const log = deps.logger.child({ component: 'pool-reload' });

  async function rollBack(moved: readonly EngineRow[], image: string): Promise<number> {
    let restored = 0;
    for (const row of [...moved].reverse()) {
      try {
        await deps.lifecycle.reloadImage({ ...row, image }, row.image, 'admin');
        restored += 1;
      } catch (err) {
        log.error({ err, engine_id: row.id }, 'reload rollback: the engine stays on the new image');
      }
    }
    return restored;
  }

  return async function reloadPool(pool: string, image: string): Promise<{ reloaded: number }> {
    if (inProgress.has(pool)) {
      throw new ApiError({ code: 'CONFLICT', message: `A reload of pool ${pool} is in progress` });
    }
    inProgress.add(pool);
    try {
      // Oldest first: the order is the same on every try, so a retried reload is predictable.
      const engines = (await deps.repo.all())
        .filter((r) => r.pool === pool && MOVABLE.has(r.status) && r.image !== image)
        .sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
      const moved: EngineRow[] = [];
      for (const row of engines) {
        try {
          await deps.lifecycle.reloadImage(row, image, 'admin');
          moved.push(row);
        } catch (err) {
          const restored = await rollBack(moved, image);
          const cause = err instanceof Error ? err.message : String(err);
          log.warn({ pool, image, engine_id: row.id, cause, restored }, 'pool reload rolled back');
          throw new ApiError({
            code: 'CONFLICT',
            message: `Reload of pool ${pool} to ${image} rolled back: ${cause}`,
            details: {
              pool,
              image,
              failed_engine: row.id,
              rolled_back: moved.length,
              restored,
              ...(err instanceof ApiError && err.details !== undefined
                ? { cause: err.details }
                : {}),
            },
          });
        }
      }
      log.info({ pool, image, reloaded: moved.length }, 'pool reloaded');
      return { reloaded: moved.length };
    } finally {
      inProgress.delete(pool);
    }
  };
}
