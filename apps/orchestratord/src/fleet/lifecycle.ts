import { randomUUID } from 'node:crypto';
import type { EngineInfo, EngineStatus, EngineWithKey } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import { WARM_PRODUCT_ID } from '../db/schema.js';
import type { EngineDriver, EngineSpec } from '../drivers/driver.js';
import { generateKey, type Sealer, sha256Hex } from '../keys/secrets.js';
import type { AuditLog } from './audit.js';
import { waitHealthy } from './engine-probe.js';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import { uniqueViolation } from './engine-repo.js';
import { setEngineKeyHashes } from './engine-rpc.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { candidatePorts } from './port-allocator.js';
import type { ProductRow } from './product-repo.js';
import type { StateWatch } from './state-watch.js';
import {
  type EngineTransition,
  noopTransitionPublisher,
  type TransitionPublisher,
} from './transition-publisher.js';
import { assertTransition } from './transitions.js';

export interface Pool {
  name: string;
  driver: EngineDriver;
}

export interface LifecycleOptions {
  repo: EngineRepo;
  audit: AuditLog;
  sealer: Sealer;
  pools: readonly Pool[];
  mutex: KeyedMutex;
  watch: StateWatch;
  logger: Logger;
  isPortFree: (port: number) => Promise<boolean>;
  defaultImage: string;
  imageAllowed: (image: string) => boolean;
  portMin: number;
  portMax: number;
  bootTimeoutMs: number;
  stopGraceS: number;
  rotationOverlapMs: number;
  /** Variables passed into every engine (ORCH_ENGINE_ENV_PASSTHROUGH, resolved once). */
  engineEnv: Readonly<Record<string, string>>;
  /** Whether provisions first try to claim a warm-pool engine (ORCH_WARM_POOL_SIZE > 0). */
  warmPool: boolean;
  /** Called after a warm engine was claimed (the pool tops itself up). */
  onWarmClaimed?: () => void;
  /** Each recorded transition is also published (engine.lifecycle); default: nowhere. */
  publisher?: TransitionPublisher;
}

export type Actor =
  | 'api'
  | 'admit'
  | 'health'
  | 'events'
  | 'reconcile'
  | 'idle'
  | 'rotation'
  | 'warm_pool';

/**
 * Every transition of an engine: a driver call, a row update and an audit row, serialized per
 * engine by the keyed mutex and guarded in the database by compare-and-set on `status`.
 */
export function createLifecycle(opts: LifecycleOptions) {
  const { repo, audit, sealer, logger } = opts;
  const publisher = opts.publisher ?? noopTransitionPublisher;
  // The status each row returned by move() had before it, so record() can name both ends.
  const movedFrom = new WeakMap<EngineRow, EngineStatus>();
  const poolByName = new Map(opts.pools.map((p) => [p.name, p]));
  const rotationTimers = new Set<NodeJS.Timeout>();

  const poolOf = (row: Pick<EngineRow, 'pool'>): Pool => {
    const pool = poolByName.get(row.pool);
    if (pool === undefined) {
      throw new ApiError({
        code: 'SERVICE_UNAVAILABLE',
        message: `Pool ${row.pool} is not configured`,
      });
    }
    return pool;
  };
  const urlOf = (row: EngineRow): string => poolOf(row).driver.urlFor(row.host_port);
  const keyOf = (row: EngineRow): string => sealer.open(row.key_enc, row.id);
  const lockKey = (productId: string, userId: string) => `${productId}/${userId}`;

  const specOf = (row: EngineRow): EngineSpec => ({
    engineId: row.id,
    productId: row.product_id,
    userId: row.user_id,
    image: row.image,
    hostPort: row.host_port,
    keyHash: row.key_hash,
    env: opts.engineEnv,
  });

  const info = (row: EngineRow): EngineInfo => ({
    engine_id: row.id,
    user_id: row.user_id,
    status: row.status,
    url: urlOf(row),
    engine_version: row.image,
    pool: row.pool,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_health_at: row.last_health_at?.toISOString() ?? null,
    last_admit_at: row.last_admit_at?.toISOString() ?? null,
    boot_ms: row.boot_ms,
    restart_count: row.restart_count,
  });

  const withKey = (row: EngineRow): EngineWithKey => ({ ...info(row), engine_key: keyOf(row) });

  /**
   * Writes the audit row, then publishes the transition: `from` is the status before the move
   * that returned `row` (its own status for an action that moved nothing), `to` its status;
   * `extra` overrides both where the row no longer tells (a new engine, a deleted row).
   */
  const record = async (
    row: EngineRow,
    actor: Actor,
    action: string,
    extra: {
      durationMs?: number;
      metadata?: Record<string, unknown>;
      from?: EngineTransition['from'];
      to?: EngineTransition['to'];
    } = {},
  ) => {
    await audit.append({
      productId: row.product_id,
      engineId: row.id,
      userId: row.user_id,
      actor,
      action,
      durationMs: extra.durationMs ?? null,
      metadata: extra.metadata ?? {},
    });
    publisher.publish({
      engine_id: row.id,
      product_id: row.product_id,
      user_id: row.user_id,
      from: extra.from !== undefined ? extra.from : (movedFrom.get(row) ?? row.status),
      to: extra.to ?? row.status,
      action,
      timestamp: Date.now(),
    });
  };

  async function move(
    row: EngineRow,
    to: EngineStatus,
    patch: Parameters<EngineRepo['transition']>[3] = {},
  ): Promise<EngineRow> {
    const updated = await repo.transition(row.id, [row.status], to, patch);
    if (updated === undefined) {
      // Only another replica can get here (this one holds the engine's lock).
      throw new ApiError({
        code: 'CONFLICT',
        message: 'The engine changed state during the operation; retry',
      });
    }
    opts.watch.notify(row.id, to);
    movedFrom.set(updated, row.status);
    return updated;
  }

  async function mustFind(productId: string, userId: string): Promise<EngineRow> {
    const row = await repo.byUser(productId, userId);
    if (row === undefined || row.status === 'destroying') {
      throw new ApiError({ code: 'NOT_FOUND', message: `No engine for user ${userId}` });
    }
    return row;
  }

  /**
   * After a boot the engine's key set is re-asserted from the row: an engine restarted during
   * (or after) a rotation overlap must not keep accepting an expired key it had persisted.
   */
  async function syncKeys(row: EngineRow): Promise<void> {
    const overlap =
      row.prev_key_hash !== null &&
      row.prev_key_expires_at !== null &&
      row.prev_key_expires_at.getTime() > Date.now();
    if (row.prev_key_hash === null) {
      return;
    }
    const hashes = overlap ? [row.prev_key_hash, row.key_hash] : [row.key_hash];
    await setEngineKeyHashes(urlOf(row), keyOf(row), hashes);
    if (!overlap) {
      await repo.patch(row.id, { prev_key_hash: null, prev_key_expires_at: null });
    }
  }

  /**
   * Starts an existing engine and waits for /health; if the container will not start or stays
   * unhealthy, replaces it with a fresh one on the same volume (the brain is kept).
   */
  async function boot(row: EngineRow, actor: Actor, action: string): Promise<EngineRow> {
    const { driver } = poolOf(row);
    const url = urlOf(row);
    const started = performance.now();
    let ok = false;
    try {
      await driver.start(specOf(row));
      ok = await waitHealthy(url, opts.bootTimeoutMs);
    } catch (error) {
      logger.warn({ err: error, engine_id: row.id }, 'start failed; trying a fresh container');
    }
    if (!ok) {
      await record(row, actor, `${action}_fallback`, {
        metadata: { reason: 'start failed or unhealthy' },
      });
      try {
        await driver.remove(row.id, { keepData: true });
        await driver.create(specOf(row));
        ok = await waitHealthy(url, opts.bootTimeoutMs);
      } catch (error) {
        logger.warn({ err: error, engine_id: row.id }, 'fresh container failed');
      }
    }
    const durationMs = performance.now() - started;
    if (!ok) {
      const failed = await move(row, 'failed');
      await record(failed, actor, `${action}_failed`, { durationMs });
      throw new ApiError({
        code: 'BOOT_TIMEOUT',
        message: `The engine was not healthy within ${opts.bootTimeoutMs / 1000} s`,
      });
    }
    const running = await move(row, 'running', {
      boot_ms: durationMs,
      last_health_at: new Date(),
      health_failures: 0,
    });
    await syncKeys(running).catch((error: unknown) =>
      logger.error({ err: error, engine_id: row.id }, 'could not re-assert the key set after boot'),
    );
    await record(running, actor, action, { durationMs });
    return running;
  }

  function leastLoadedPool(counts: Map<string, number>): Pool {
    let best = opts.pools[0] as Pool;
    for (const pool of opts.pools) {
      if ((counts.get(pool.name) ?? 0) < (counts.get(best.name) ?? 0)) {
        best = pool;
      }
    }
    return best;
  }

  async function provision(
    product: ProductRow,
    input: { user_id: string; engine_version?: string | undefined },
    actor: Actor,
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
    const key = generateKey('sk');
    if (opts.warmPool && image === opts.defaultImage && product.id !== WARM_PRODUCT_ID) {
      const claimed = await claimWarm(product, input.user_id, key, actor);
      if (claimed !== undefined) {
        return claimed;
      }
    }
    const counts = new Map<string, number>();
    for (const row of opts.pools.length > 1 ? await repo.all() : []) {
      counts.set(row.pool, (counts.get(row.pool) ?? 0) + 1);
    }
    const pool = leastLoadedPool(counts);
    const id = randomUUID();
    const base = {
      id,
      product_id: product.id,
      user_id: input.user_id,
      pool: pool.name,
      image,
      key_hash: sha256Hex(key),
      key_enc: sealer.seal(key, id),
    };
    let row: EngineRow | undefined;
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
          throw userConflict(input.user_id);
        }
        if (inserted === 'quota') {
          throw quotaExceeded(product);
        }
        row = inserted;
        break;
      } catch (error) {
        const violated = uniqueViolation(error);
        if (violated === 'port') {
          continue;
        }
        if (violated === 'user') {
          throw userConflict(input.user_id);
        }
        throw error;
      }
    }
    if (row === undefined) {
      throw new Error('unreachable: candidatePorts ends by throwing');
    }
    const inserted = row;
    return opts.mutex.run(lockKey(product.id, input.user_id), async () => {
      const started = performance.now();
      let ok = false;
      try {
        await pool.driver.create(specOf(inserted));
        ok = await waitHealthy(urlOf(inserted), opts.bootTimeoutMs);
      } catch (error) {
        logger.warn({ err: error, engine_id: id }, 'provision: create failed');
      }
      const durationMs = performance.now() - started;
      if (!ok) {
        // Nothing half-made stays behind: container, volume, port (the row) all go.
        await pool.driver
          .remove(id, { keepData: false })
          .catch((error: unknown) =>
            logger.error(
              { err: error, engine_id: id },
              'provision cleanup failed; reconcile will retry',
            ),
          );
        await repo.delete(id);
        opts.watch.notify(id, 'destroyed');
        await record(inserted, actor, 'provision_failed', {
          durationMs,
          from: null,
          to: 'destroyed',
        });
        throw new ApiError({
          code: 'BOOT_TIMEOUT',
          message: `The engine was not healthy within ${opts.bootTimeoutMs / 1000} s; it was removed`,
        });
      }
      const running = await move(inserted, 'running', {
        boot_ms: durationMs,
        last_health_at: new Date(),
      });
      await record(running, actor, 'provision', {
        durationMs,
        metadata: { pool: pool.name, image },
        from: null,
      });
      return { ...info(running), engine_key: key };
    });
  }

  /**
   * Hands a warm-pool engine to the user: in one transaction (product lock, quota, unique user)
   * the engine is told to accept [warm key, user key], and the row moves to the product with the
   * warm key as an already-expired previous key; then the set becomes [user key] (if that call
   * fails, the health loop's overlap sweep repeats it). A crash at any point leaves either a
   * warm engine or the user's engine, never both. Undefined: no warm engine could be claimed.
   */
  async function claimWarm(
    product: ProductRow,
    userId: string,
    key: string,
    actor: Actor,
  ): Promise<EngineWithKey | undefined> {
    const started = performance.now();
    const keyHash = sha256Hex(key);
    for (const candidate of await repo.warmCandidates(opts.defaultImage, 3)) {
      const warmLock = lockKey(candidate.product_id, candidate.user_id);
      if (opts.mutex.busy(warmLock)) {
        continue;
      }
      const claimed = await opts.mutex
        .run(warmLock, () =>
          repo.claimWarm({
            engineId: candidate.id,
            productId: product.id,
            userId,
            maxEngines: product.policy.max_engines,
            patch: (warm) => ({
              key_hash: keyHash,
              key_enc: sealer.seal(key, warm.id),
              prev_key_hash: warm.key_hash,
              prev_key_expires_at: new Date(),
              last_admit_at: null,
            }),
            beforeCommit: (warm) =>
              setEngineKeyHashes(urlOf(warm), keyOf(warm), [warm.key_hash, keyHash]),
          }),
        )
        .catch((error: unknown) => {
          // The engine refused its new key (dead, or not ours any more): it is of no use.
          logger.warn({ err: error, engine_id: candidate.id }, 'warm engine refused a claim');
          void destroyRow(candidate, 'warm_pool').catch(() => {});
          return 'gone' as const;
        });
      if (claimed === 'exists') {
        throw userConflict(userId);
      }
      if (claimed === 'quota') {
        throw quotaExceeded(product);
      }
      if (claimed === 'gone') {
        continue;
      }
      opts.watch.notify(claimed.id, 'running');
      const running = await opts.mutex.run(lockKey(product.id, userId), async () => {
        await syncKeys(claimed).catch((error: unknown) =>
          logger.warn(
            { err: error, engine_id: claimed.id },
            'dropping the warm key failed; the sweep retries',
          ),
        );
        return (await repo.byId(claimed.id)) ?? claimed;
      });
      await record(running, actor, 'provision', {
        durationMs: performance.now() - started,
        metadata: { pool: running.pool, image: running.image, warm: true },
        from: null,
      });
      opts.onWarmClaimed?.();
      return { ...info(running), engine_key: key };
    }
    return undefined;
  }

  function start(productId: string, userId: string, actor: Actor, action: 'start' | 'wake') {
    return opts.mutex.run(lockKey(productId, userId), async () => {
      const row = await mustFind(productId, userId);
      if (row.status === 'running') {
        if (action === 'wake') {
          return row;
        }
        throw new ApiError({
          code: 'INVALID_STATE',
          message: 'The engine is already running',
          details: { status: row.status, action },
        });
      }
      assertTransition(row.status, 'running', action);
      return boot(row, actor, action);
    });
  }

  function stop(productId: string, userId: string, to: 'stopped' | 'sleeping', actor: Actor) {
    return opts.mutex.run(lockKey(productId, userId), async () => {
      const row = await mustFind(productId, userId);
      const action = to === 'stopped' ? 'stop' : 'sleep';
      if (to === 'sleeping' && row.status !== 'running') {
        throw new ApiError({
          code: 'INVALID_STATE',
          message: `Only a running engine can sleep; this one is ${row.status}`,
          details: { status: row.status, action },
        });
      }
      if (row.status === to) {
        throw new ApiError({
          code: 'INVALID_STATE',
          message: `The engine is already ${to}`,
          details: { status: row.status, action },
        });
      }
      assertTransition(row.status, to, action);
      const started = performance.now();
      await poolOf(row).driver.stop(row.id, opts.stopGraceS);
      const moved = await move(row, to, { health_failures: 0 });
      await record(moved, actor, action, { durationMs: performance.now() - started });
      return moved;
    });
  }

  function destroy(productId: string, userId: string, actor: Actor) {
    return opts.mutex.run(lockKey(productId, userId), async () => {
      const row = await repo.byUser(productId, userId);
      if (row === undefined) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No engine for user ${userId}` });
      }
      return destroyRow(row, actor);
    });
  }

  /** Marks destroying first, so a crash midway is finished by reconcile, never forgotten. */
  async function destroyRow(row: EngineRow, actor: Actor): Promise<EngineRow> {
    const started = performance.now();
    const marked = row.status === 'destroying' ? row : await move(row, 'destroying');
    await poolOf(row).driver.remove(row.id, { keepData: false });
    await repo.delete(row.id);
    opts.watch.notify(row.id, 'destroyed');
    await record(marked, actor, 'destroy', {
      durationMs: performance.now() - started,
      from: row.status,
      to: 'destroyed',
    });
    return marked;
  }

  function rotateKey(productId: string, userId: string) {
    return opts.mutex.run(lockKey(productId, userId), async () => {
      const row = await mustFind(productId, userId);
      if (row.status !== 'running') {
        throw new ApiError({
          code: 'INVALID_STATE',
          message: `Only a running engine can rotate its key; this one is ${row.status}`,
          details: { status: row.status, action: 'rotate_key' },
        });
      }
      const oldKey = keyOf(row);
      const newKey = generateKey('sk');
      const newHash = sha256Hex(newKey);
      await setEngineKeyHashes(urlOf(row), oldKey, [row.key_hash, newHash]);
      const expiresAt = new Date(Date.now() + opts.rotationOverlapMs);
      await repo.patch(row.id, {
        key_hash: newHash,
        key_enc: sealer.seal(newKey, row.id),
        prev_key_hash: row.key_hash,
        prev_key_expires_at: expiresAt,
      });
      await record(row, 'api', 'rotate_key', { metadata: { overlap_ms: opts.rotationOverlapMs } });
      const timer = setTimeout(() => {
        rotationTimers.delete(timer);
        void endOverlap(row.id).catch((error: unknown) =>
          logger.error(
            { err: error, engine_id: row.id },
            'ending the key overlap failed; the sweep retries',
          ),
        );
      }, opts.rotationOverlapMs);
      timer.unref();
      rotationTimers.add(timer);
      return { row, newKey, expiresAt };
    });
  }

  /** Drops the previous key once its overlap is over (timer, or the periodic sweep). */
  async function endOverlap(engineId: string): Promise<void> {
    const row = await repo.byId(engineId);
    if (row === undefined) {
      return;
    }
    await opts.mutex.run(lockKey(row.product_id, row.user_id), async () => {
      const fresh = await repo.byId(engineId);
      if (
        fresh === undefined ||
        fresh.prev_key_expires_at === null ||
        fresh.prev_key_expires_at.getTime() > Date.now()
      ) {
        return;
      }
      if (fresh.status === 'running') {
        await syncKeys(fresh);
      } else {
        // Not running: the next boot re-asserts the set (syncKeys), so only the row changes.
        await repo.patch(fresh.id, { prev_key_hash: null, prev_key_expires_at: null });
      }
      await record(fresh, 'rotation', 'key_overlap_ended');
    });
  }

  return {
    info,
    withKey,
    keyOf,
    urlOf,
    poolOf,
    specOf,
    record,
    move,
    boot,
    lockKey,
    provision,
    start,
    stop,
    destroy,
    destroyRow,
    rotateKey,
    endOverlap,
    mustFind,
    close() {
      for (const timer of rotationTimers) {
        clearTimeout(timer);
      }
      rotationTimers.clear();
    },
  };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;

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
