import { randomUUID } from 'node:crypto';
import type { Logger } from '@agentplane/http-kit';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import type { EngineRepo } from './engine-repo.js';
import type { Lifecycle } from './lifecycle.js';
import type { ProductRepo } from './product-repo.js';

export interface WarmPoolOptions {
  /** How many warm engines to keep (ORCH_WARM_POOL_SIZE). */
  size: number;
  repo: EngineRepo;
  products: ProductRepo;
  lifecycle: Lifecycle;
  logger: Logger;
  /** How often the pool is checked besides after each claim. */
  intervalMs: number;
}

/**
 * Keeps `size` engines of the default image booted and owned by the warm-pool product, so a
 * provision claims one (lifecycle.claimWarm) instead of waiting for a boot. Warm engines are
 * ordinary rows: the health loop restarts them, reconcile knows them. One that failed, or that
 * something stopped, is destroyed and replaced (it holds no one's data).
 */
export function createWarmPool(opts: WarmPoolOptions) {
  const { repo, lifecycle, logger } = opts;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function topUp(): Promise<void> {
    const warm = await opts.products.byId(WARM_PRODUCT_ID);
    if (warm === undefined) {
      throw new Error('the warm-pool product is missing (migration 002)');
    }
    const rows = await repo.ofProduct(WARM_PRODUCT_ID);
    let live = 0;
    for (const row of rows) {
      if (row.status === 'running' || row.status === 'provisioning') {
        live++;
      } else if (row.status !== 'destroying') {
        await lifecycle.destroy(WARM_PRODUCT_ID, row.user_id, 'warm_pool');
      }
    }
    // One at a time: a burst of boots would slow the claims being served meanwhile.
    for (; live < opts.size && !closed; live++) {
      await lifecycle.provision(warm, { user_id: `warm-${randomUUID()}` }, 'warm_pool');
    }
  }

  /** Runs a top-up now, or once more after the one in progress. */
  function trigger(): void {
    if (closed || opts.size === 0) {
      return;
    }
    if (running !== undefined) {
      again = true;
      return;
    }
    running = topUp()
      .catch((error: unknown) => logger.error({ err: error }, 'warm pool top-up failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          trigger();
        }
      });
  }

  return {
    trigger,
    start(): void {
      closed = false;
      trigger();
      timer = setInterval(trigger, opts.intervalMs);
      timer.unref();
    },
    /** Stops topping up; the warm engines stay (a restarted orchestrator claims them). */
    async stop(): Promise<void> {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
