import { ApiError, type Logger } from '@agentplane/http-kit';
import { generateKey, type Sealer, sha256Hex } from '../keys/secrets.js';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import { setEngineKeyHashes } from './engine-rpc.js';
import { type EngineView, lockKeyOf } from './engine-view.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { StateMachine } from './state-machine.js';

/**
 * Engine keys: a rotation gives the engine [old, new] for an overlap, then [new]; a timer ends
 * the overlap, and the health loop's sweep repeats what a timer (or a crash) missed.
 */
export function createKeyRotation(deps: {
  repo: EngineRepo;
  view: EngineView;
  machine: StateMachine;
  mutex: KeyedMutex;
  sealer: Sealer;
  logger: Logger;
  rotationOverlapMs: number;
}) {
  const { repo, view, logger } = deps;
  const timers = new Set<NodeJS.Timeout>();

  /**
   * After a boot the engine's key set is re-asserted from the row: an engine restarted during
   * (or after) a rotation overlap must not keep accepting an expired key it had persisted.
   */
  async function syncKeys(row: EngineRow): Promise<void> {
    if (row.prev_key_hash === null) {
      return;
    }
    const overlap =
      row.prev_key_expires_at !== null && row.prev_key_expires_at.getTime() > Date.now();
    const hashes = overlap ? [row.prev_key_hash, row.key_hash] : [row.key_hash];
    await setEngineKeyHashes(view.urlOf(row), view.keyOf(row), hashes);
    if (!overlap) {
      await repo.patch(row.id, { prev_key_hash: null, prev_key_expires_at: null });
    }
  }

  /** Call with the engine's lock held. */
  async function rotate(row: EngineRow) {
    if (row.status !== 'running') {
      throw new ApiError({
        code: 'INVALID_STATE',
        message: `Only a running engine can rotate its key; this one is ${row.status}`,
        details: { status: row.status, action: 'rotate_key' },
      });
    }
    const newKey = generateKey('sk');
    const newHash = sha256Hex(newKey);
    await setEngineKeyHashes(view.urlOf(row), view.keyOf(row), [row.key_hash, newHash]);
    const expiresAt = new Date(Date.now() + deps.rotationOverlapMs);
    await repo.patch(row.id, {
      key_hash: newHash,
      key_enc: deps.sealer.seal(newKey, row.id),
      prev_key_hash: row.key_hash,
      prev_key_expires_at: expiresAt,
    });
    await deps.machine.note(row, {
      actor: 'api',
      action: 'rotate_key',
      metadata: { overlap_ms: deps.rotationOverlapMs },
    });
    const timer = setTimeout(() => {
      timers.delete(timer);
      void endOverlap(row.id).catch((error: unknown) =>
        logger.error(
          { err: error, engine_id: row.id },
          'ending the key overlap failed; the sweep retries',
        ),
      );
    }, deps.rotationOverlapMs);
    timer.unref();
    timers.add(timer);
    return { row, newKey, expiresAt };
  }

  /** Drops the previous key once its overlap is over (timer, or the periodic sweep). */
  async function endOverlap(engineId: string): Promise<void> {
    const row = await repo.byId(engineId);
    if (row === undefined) {
      return;
    }
    await deps.mutex.run(lockKeyOf(row), async () => {
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
      await deps.machine.note(fresh, { actor: 'rotation', action: 'key_overlap_ended' });
    });
  }

  return {
    syncKeys,
    rotate,
    endOverlap,
    close() {
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
    },
  };
}
