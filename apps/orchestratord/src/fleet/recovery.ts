import type { Logger } from '@agentplane/http-kit';
import { type BackoffPolicy, backoffDelay } from '../health/backoff.js';
import type { Boot } from './boot.js';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import { type EngineView, lockKeyOf } from './engine-view.js';
import type { KeyedMutex } from './keyed-mutex.js';
import type { StateMachine } from './state-machine.js';

export interface RecoveryOptions {
  repo: EngineRepo;
  view: EngineView;
  machine: StateMachine;
  mutex: KeyedMutex;
  logger: Logger;
  restart: BackoffPolicy;
  boot: Boot;
  destroyRow: (row: EngineRow, actor: 'reconcile') => Promise<EngineRow>;
}

/**
 * The operations the health loop and reconcile call. Each takes the row as the caller saw it,
 * takes the engine's lock, re-reads the row and acts only if it is still in the status the
 * caller decided on (else it returns undefined: an API call or another replica got there first).
 */
export function createRecovery(opts: RecoveryOptions) {
  const { repo, machine, logger } = opts;

  async function ifStill<T>(
    row: EngineRow,
    status: EngineRow['status'],
    fn: (fresh: EngineRow) => Promise<T>,
  ): Promise<T | undefined> {
    return opts.mutex.run(lockKeyOf(row), async () => {
      const fresh = await repo.byId(row.id);
      return fresh?.status === status ? fn(fresh) : undefined;
    });
  }

  return {
    /** A running engine is down: `crash` (the host said it died) or `health_failed`. */
    markFailed(
      row: EngineRow,
      by: { actor: 'health' | 'events' | 'reconcile'; action: 'crash' | 'health_failed' },
      reason: string,
    ) {
      return ifStill(row, 'running', (fresh) =>
        machine.transition(fresh, 'failed', {
          ...by,
          patch: { restart_attempts: 0, next_restart_at: new Date() },
          metadata: { reason },
        }),
      );
    },

    /** One restart attempt of a failed engine whose backoff is over; gives up after the last. */
    autoRestart(row: EngineRow) {
      return ifStill(row, 'failed', async (fresh) => {
        if (
          fresh.restart_attempts >= opts.restart.maxAttempts ||
          (fresh.next_restart_at !== null && fresh.next_restart_at.getTime() > Date.now())
        ) {
          return undefined;
        }
        const attempt = fresh.restart_attempts + 1;
        const gaveUp = attempt >= opts.restart.maxAttempts;
        await machine.note(fresh, {
          actor: 'health',
          action: 'auto_restart_start',
          metadata: { attempt },
        });
        try {
          return await opts.boot(fresh, {
            actor: 'health',
            action: 'auto_restart',
            onRunning: {
              restart_count: fresh.restart_count + 1,
              restart_attempts: 0,
              next_restart_at: null,
            },
            onFailed: () => ({
              restart_attempts: attempt,
              next_restart_at: gaveUp
                ? null
                : new Date(Date.now() + backoffDelay(opts.restart, attempt)),
            }),
          });
        } catch (error) {
          // boot() audited auto_restart_failed with its cause; this adds what comes next.
          logger.warn(
            { err: error, engine_id: fresh.id, attempt, gave_up: gaveUp },
            'restart failed',
          );
          if (gaveUp) {
            await machine.note(fresh, {
              actor: 'health',
              action: 'auto_restart_gave_up',
              metadata: { attempts: attempt },
            });
          }
          return undefined;
        }
      });
    },

    /** A provision cut short (orchestrator killed) whose engine came up: keep it. */
    adopt(row: EngineRow) {
      return ifStill(row, 'provisioning', (fresh) =>
        machine.transition(fresh, 'running', {
          actor: 'reconcile',
          action: 'adopt',
          patch: { last_health_at: new Date() },
          metadata: { was: 'provisioning' },
        }),
      );
    },

    /** A provision cut short whose engine never came up: remove what it made, and its row. */
    abandon(row: EngineRow) {
      return ifStill(row, 'provisioning', async (fresh) => {
        await opts.view.poolOf(fresh).driver.remove(fresh.id, { keepData: false });
        return machine.transition(fresh, 'destroyed', {
          actor: 'reconcile',
          action: 'provision_abandoned',
          published: { from: null },
        });
      });
    },

    /** A destroy cut short: finish it. */
    finishDestroy(row: EngineRow) {
      return ifStill(row, 'destroying', (fresh) => opts.destroyRow(fresh, 'reconcile'));
    },

    /** Stopped (or sleeping) in the database but running on the host (a stop cut short). */
    finishStop(row: EngineRow, status: 'stopped' | 'sleeping') {
      return ifStill(row, status, async (fresh) => {
        await opts.view.poolOf(fresh).driver.stop(fresh.id, 10);
        await machine.note(fresh, {
          actor: 'reconcile',
          action: 'stop',
          metadata: { reason: 'was running' },
        });
        return fresh;
      });
    },
  };
}
