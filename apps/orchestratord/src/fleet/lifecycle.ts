import type { AuditActor } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import type { Sealer } from '../keys/secrets.js';
import { createBoot } from './boot.js';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import { type EngineView, lockKeyOf, type Pool } from './engine-view.js';
import { createImageSwap } from './image-swap.js';
import { createKeyRotation } from './key-rotation.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { createProvision, type ProvisionOptions } from './provision.js';
import { createRecovery, type RecoveryOptions } from './recovery.js';
import type { StateMachine } from './state-machine.js';
import { assertTransition } from './transitions.js';

export type { Pool } from './engine-view.js';

export interface LifecycleOptions
  extends Omit<ProvisionOptions, 'syncKeys' | 'discard'>,
    Pick<RecoveryOptions, 'restart'> {
  repo: EngineRepo;
  view: EngineView;
  machine: StateMachine;
  mutex: KeyedMutex;
  sealer: Sealer;
  logger: Logger;
  pools: readonly Pool[];
  bootTimeoutMs: number;
  stopGraceS: number;
  rotationOverlapMs: number;
}

/**
 * Every operation on an engine, each serialized per engine by the keyed mutex; status changes
 * go through the state machine only. The API, admission, the health loop, reconcile and the
 * warm pool call these; none of them moves a status itself.
 */
export function createLifecycle(opts: LifecycleOptions) {
  const { repo, view, machine } = opts;
  const keys = createKeyRotation(opts);
  const boot = createBoot({ ...opts, afterBoot: keys.syncKeys });
  const swapImage = createImageSwap(opts);

  async function mustFind(productId: string, userId: string): Promise<EngineRow> {
    const row = await repo.byUser(productId, userId);
    if (row === undefined || row.status === 'destroying') {
      throw new ApiError({ code: 'NOT_FOUND', message: `No engine for user ${userId}` });
    }
    return row;
  }

  const locked = <T>(productId: string, userId: string, fn: () => Promise<T>) =>
    opts.mutex.run(lockKeyOf({ product_id: productId, user_id: userId }), fn);

  /** Marks destroying first, so a crash midway is finished by reconcile, never forgotten. */
  async function destroyRow(row: EngineRow, actor: AuditActor): Promise<EngineRow> {
    const started = performance.now();
    const marked =
      row.status === 'destroying'
        ? row
        : await machine.transition(row, 'destroying', {
            actor,
            action: 'destroy',
            published: false,
          });
    await view.poolOf(row).driver.remove(row.id, { keepData: false });
    await machine.transition(marked, 'destroyed', {
      actor,
      action: 'destroy',
      durationMs: performance.now() - started,
      published: { from: row.status },
    });
    return marked;
  }

  const provision = createProvision({
    ...opts,
    syncKeys: keys.syncKeys,
    discard: (row) => locked(row.product_id, row.user_id, () => destroyRow(row, 'warm_pool')),
  });

  function start(productId: string, userId: string, actor: AuditActor, action: 'start' | 'wake') {
    return locked(productId, userId, async () => {
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
      return boot(row, { actor, action });
    });
  }

  function stop(productId: string, userId: string, to: 'stopped' | 'sleeping', actor: AuditActor) {
    return locked(productId, userId, async () => {
      const row = await mustFind(productId, userId);
      const action = to === 'stopped' ? 'stop' : 'sleep';
      // Before the driver is touched: an illegal stop or sleep does nothing at all.
      assertTransition(row.status, to, action);
      const started = performance.now();
      await view.poolOf(row).driver.stop(row.id, opts.stopGraceS);
      return machine.transition(row, to, {
        actor,
        action,
        durationMs: performance.now() - started,
        patch: { health_failures: 0 },
      });
    });
  }

  function destroy(productId: string, userId: string, actor: AuditActor) {
    return locked(productId, userId, async () => {
      const row = await repo.byUser(productId, userId);
      if (row === undefined) {
        throw new ApiError({ code: 'NOT_FOUND', message: `No engine for user ${userId}` });
      }
      return destroyRow(row, actor);
    });
  }

  return {
    provision,
    /** Start a stopped, sleeping or failed engine ('wake': a running one is fine as it is). */
    start,
    stop: (productId: string, userId: string, actor: AuditActor) =>
      stop(productId, userId, 'stopped', actor),
    sleep: (productId: string, userId: string, actor: AuditActor) =>
      stop(productId, userId, 'sleeping', actor),
    destroy,
    rotateKey: (productId: string, userId: string) =>
      locked(productId, userId, async () => keys.rotate(await mustFind(productId, userId))),
    endOverlap: keys.endOverlap,
    /** Moves the engine to `image`, its brain kept (image-swap.ts); ImageSwapFailed if not. */
    reloadImage: (row: EngineRow, image: string, actor: AuditActor) =>
      locked(row.product_id, row.user_id, async () =>
        swapImage(await mustFind(row.product_id, row.user_id), image, actor),
      ),
    ...createRecovery({ ...opts, boot, destroyRow }),
    /** The engine of a user, unless it is gone or going (NOT_FOUND). */
    mustFind,
    /** Whether an operation holds the engine now (the loops skip it until the next pass). */
    busy: (row: EngineRow) => opts.mutex.busy(lockKeyOf(row)),
    close: keys.close,
  };
}
export type Lifecycle = ReturnType<typeof createLifecycle>;
