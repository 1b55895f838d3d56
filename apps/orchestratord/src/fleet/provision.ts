import { randomUUID } from 'node:crypto';
import type { AuditActor, EngineWithKey } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import { generateKey, type Sealer, sha256Hex } from '../keys/secrets.js';
import { auditCause, bootFailure } from './boot-failure.js';
import { waitHealthy } from './engine-probe.js';
import { type EngineRepo, type EngineRow, uniqueViolation } from './engine-repo.js';
import { type EngineView, lockKeyOf, type Pool } from './engine-view.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { candidatePorts } from './port-allocator.js';
import type { ProductRow } from './product-repo.js';
import type { StateMachine } from './state-machine.js';
import { claimWarmEngine } from './warm-claim.js';

export interface ProvisionOptions {
  repo: EngineRepo;
  view: EngineView;
  machine: StateMachine;
  mutex: KeyedMutex;
  sealer: Sealer;
  logger: Logger;
  pools: readonly Pool[];
  isPortFree: (port: number) => Promise<boolean>;
  defaultImage: string;
  imageAllowed: (image: string) => boolean;
  /** Refuses an image the catalog has Retired (MODEL_DEPRECATED); absent: every image may start. */
  admitImage?: (image: string) => Promise<void>;
  portMin: number;
  portMax: number;
  bootTimeoutMs: number;
  /** Whether provisions first try to claim a warm-pool engine (ORCH_WARM_POOL_SIZE > 0). */
  warmPool: boolean;
  onWarmClaimed?: () => void;
  syncKeys: (row: EngineRow) => Promise<void>;
  /** Destroys a warm engine that refused its claim (lifecycle's destroy). */
  discard: (row: EngineRow) => Promise<unknown>;
}

/**
 * A new engine for a user: a warm-pool engine when one can be claimed, else a row written first
 * (under the product lock: quota and one engine per user), then the driver's create and a wait
 * for /health. A failure removes everything it made and answers with its cause.
 */
export function createProvision(opts: ProvisionOptions) {
  const { repo, view, machine, logger } = opts;

  function leastLoadedPool(counts: Map<string, number>): Pool {
    let best = opts.pools[0] as Pool;
    for (const pool of opts.pools) {
      if ((counts.get(pool.name) ?? 0) < (counts.get(best.name) ?? 0)) {
        best = pool;
      }
    }
    return best;
  }

  async function insertRow(product: ProductRow, userId: string, image: string, key: string) {
    const counts = new Map<string, number>();
    for (const row of opts.pools.length > 1 ? await repo.all() : []) {
      counts.set(row.pool, (counts.get(row.pool) ?? 0) + 1);
    }
    const pool = leastLoadedPool(counts);
    const id = randomUUID();
    const base = {
      id,
      product_id: product.id,
      user_id: userId,
      pool: pool.name,
      image,
      key_hash: sha256Hex(key),
      key_enc: opts.sealer.seal(key, id),
    };
    for await (const port of candidatePorts({
      min: opts.portMin,
      max: opts.portMax,
      inUse: () => repo.portsInUse(pool.name),
      isFree: opts.isPortFree,
    })) {
      try {
        const inserted = await repo.insertProvisioning(
          { ...base, host_port: port },
          product.policy.max_engines,
        );
        if (inserted === 'exists') {
          throw userConflict(userId);
        }
        if (inserted === 'quota') {
          throw quotaExceeded(product);
        }
        return { row: inserted, pool };
      } catch (error) {
        const violated = uniqueViolation(error);
        if (violated === 'port') {
          continue;
        }
        if (violated === 'user') {
          throw userConflict(userId);
        }
        throw error;
      }
    }
    throw new Error('unreachable: candidatePorts ends by throwing');
  }

  return async function provision(
    product: ProductRow,
    input: { user_id: string; engine_version?: string | undefined },
    actor: AuditActor,
  ): Promise<EngineWithKey> {
    const image = input.engine_version ?? opts.defaultImage;
    if (input.engine_version !== undefined && !opts.imageAllowed(input.engine_version)) {
      throw new ApiError({
        code: 'VALIDATION_ERROR',
        message: 'engine_version must be pinned by digest (…@sha256:…)',
        details: {
          issues: [{ path: 'body.engine_version', message: 'not pinned', code: 'custom' }],
        },
      });
    }
    await opts.admitImage?.(image);
    const key = generateKey('sk');
    if (opts.warmPool && image === opts.defaultImage && product.id !== WARM_PRODUCT_ID) {
      const claimed = await claimWarmEngine(opts, { product, userId: input.user_id, key, actor });
      if (claimed === 'exists') {
        throw userConflict(input.user_id);
      }
      if (claimed === 'quota') {
        throw quotaExceeded(product);
      }
      if (claimed !== undefined) {
        opts.onWarmClaimed?.();
        return { ...view.info(claimed), engine_key: key };
      }
    }
    const { row, pool } = await insertRow(product, input.user_id, image, key);
    return opts.mutex.run(lockKeyOf(row), async () => {
      const started = performance.now();
      let cause: unknown;
      let ok = false;
      try {
        await pool.driver.create(view.specOf(row));
        ok = await waitHealthy(view.urlOf(row), opts.bootTimeoutMs);
      } catch (error) {
        cause = error;
        logger.warn({ err: error, engine_id: row.id }, 'provision: create failed');
      }
      const durationMs = performance.now() - started;
      if (!ok) {
        // Nothing half-made stays behind: container, volume, port (the row) all go.
        await pool.driver
          .remove(row.id, { keepData: false })
          .catch((error: unknown) =>
            logger.error(
              { err: error, engine_id: row.id },
              'provision cleanup failed; reconcile will retry',
            ),
          );
        const failure = bootFailure(cause, {
          image,
          bootTimeoutMs: opts.bootTimeoutMs,
          removed: true,
        });
        await machine.transition(row, 'destroyed', {
          actor,
          action: 'provision_failed',
          durationMs,
          metadata: auditCause(failure),
          published: { from: null },
        });
        throw failure;
      }
      const running = await machine.transition(row, 'running', {
        actor,
        action: 'provision',
        durationMs,
        patch: { boot_ms: durationMs, last_health_at: new Date() },
        metadata: { pool: pool.name, image },
        published: { from: null },
      });
      return { ...view.info(running), engine_key: key };
    });
  };
}

function quotaExceeded(product: ProductRow): ApiError {
  return new ApiError({
    code: 'QUOTA_EXCEEDED',
    message: `Product at max_engines limit (${product.policy.max_engines})`,
    headers: { 'retry-after': '60' },
  });
}

function userConflict(userId: string): ApiError {
  return new ApiError({
    code: 'CONFLICT',
    message: `User ${userId} already has an engine; use admit`,
  });
}
