import type { AuditActor } from '@agentplane/contracts';
import type { Logger } from '@agentplane/http-kit';
import { DriverError } from '../drivers/driver.js';
import { auditCause, bootFailure } from './boot-failure.js';
import { waitHealthy } from './engine-probe.js';
import type { EnginePatch, EngineRow } from './engine-repo.js';
import type { EngineView } from './engine-view.js';
import type { StateMachine } from './state-machine.js';

export interface BootStep {
  actor: AuditActor;
  action: 'start' | 'wake' | 'auto_restart';
  /** Written with the move to running / to failed (the health loop's restart counters). */
  onRunning?: EnginePatch;
  /** Called when the boot has failed (a backoff counts from the failure, not the attempt). */
  onFailed?: () => EnginePatch;
}

/**
 * Starts an existing engine and waits for /health; if it will not start or stays unhealthy, it
 * is replaced by a fresh one on the same volume (the brain is kept). A missing image skips the
 * fallback: a fresh container of it cannot start either.
 */
export function createBoot(deps: {
  view: EngineView;
  machine: StateMachine;
  logger: Logger;
  bootTimeoutMs: number;
  /** Re-asserts the engine's key set after a boot (key-rotation.ts). */
  afterBoot: (row: EngineRow) => Promise<void>;
}) {
  const { view, machine, logger } = deps;

  return async function boot(row: EngineRow, step: BootStep): Promise<EngineRow> {
    const { driver } = view.poolOf(row);
    const url = view.urlOf(row);
    const started = performance.now();
    let cause: unknown;
    let ok = false;
    try {
      await driver.start(view.specOf(row));
      ok = await waitHealthy(url, deps.bootTimeoutMs);
    } catch (error) {
      cause = error;
      logger.warn({ err: error, engine_id: row.id }, 'start failed; trying a fresh container');
    }
    const imageMissing = cause instanceof DriverError && cause.kind === 'image_not_found';
    if (!ok && !imageMissing) {
      await machine.note(row, {
        actor: step.actor,
        action: `${step.action}_fallback`,
        metadata: { reason: cause === undefined ? 'unhealthy' : 'start failed' },
      });
      cause = undefined;
      try {
        await driver.remove(row.id, { keepData: true });
        await driver.create(view.specOf(row));
        ok = await waitHealthy(url, deps.bootTimeoutMs);
      } catch (error) {
        cause = error;
        logger.warn({ err: error, engine_id: row.id }, 'fresh container failed');
      }
    }
    const durationMs = performance.now() - started;
    if (!ok) {
      const failure = bootFailure(cause, { image: row.image, bootTimeoutMs: deps.bootTimeoutMs });
      await machine.transition(row, 'failed', {
        actor: step.actor,
        action: `${step.action}_failed`,
        durationMs,
        metadata: auditCause(failure),
        ...(step.onFailed === undefined ? {} : { patch: step.onFailed() }),
      });
      throw failure;
    }
    const running = await machine.transition(row, 'running', {
      actor: step.actor,
      action: step.action,
      durationMs,
      patch: {
        ...step.onRunning,
        boot_ms: durationMs,
        last_health_at: new Date(),
        health_failures: 0,
      },
    });
    await deps
      .afterBoot(running)
      .catch((error: unknown) =>
        logger.error(
          { err: error, engine_id: row.id },
          'could not re-assert the key set after boot',
        ),
      );
    return running;
  };
}
export type Boot = ReturnType<typeof createBoot>;
