import type { AuditActor } from '@agentplane/contracts';
import { ApiError, type Logger } from '@agentplane/http-kit';
import { waitHealthy } from './engine-probe.js';
import type { EngineRepo, EngineRow } from './engine-repo.js';
import type { EngineView } from './engine-view.js';
import type { StateMachine } from './state-machine.js';

/** An engine that would not come up on the new image (it is back on its old one). */
export class ImageSwapFailed extends ApiError {
  constructor(row: EngineRow, image: string, cause: string) {
    super({
      code: 'CONFLICT',
      message: `Engine ${row.id} did not come up on ${image}: ${cause}`,
      details: { engine_id: row.id, user_id: row.user_id, image, cause },
    });
  }
}

/**
 * Moves one engine to another image, its volume (brain) kept: a fresh container of the new
 * image must answer /health within the boot timeout, or the old image is put back and
 * ImageSwapFailed thrown. Every engine is proven, not only running ones: a sleeping or stopped
 * engine is booted on the new image and stopped again, so a pool reload that succeeds has seen
 * every engine healthy. A failed engine only changes image (its restart will use it). The
 * caller holds the engine's lock.
 */
export function createImageSwap(deps: {
  repo: EngineRepo;
  view: EngineView;
  machine: StateMachine;
  logger: Logger;
  bootTimeoutMs: number;
  stopGraceS: number;
}) {
  const { repo, view, machine } = deps;

  /** A fresh container of row's image on its volume; whether it answered /health in time. */
  async function recreate(row: EngineRow): Promise<{ ok: boolean; cause: string }> {
    const { driver } = view.poolOf(row);
    try {
      await driver.stop(row.id, deps.stopGraceS);
      await driver.remove(row.id, { keepData: true });
      await driver.create(view.specOf(row));
      const ok = await waitHealthy(view.urlOf(row), deps.bootTimeoutMs);
      return { ok, cause: ok ? '' : `not healthy within ${deps.bootTimeoutMs} ms` };
    } catch (err) {
      return { ok: false, cause: err instanceof Error ? err.message : String(err) };
    }
  }

  return async function swapImage(
    row: EngineRow,
    image: string,
    actor: AuditActor,
  ): Promise<EngineRow> {
    if (row.image === image) {
      return row;
    }
    const started = performance.now();
    const metadata = { from_image: row.image, to_image: image };
    const moved = { ...row, image };
    if (row.status === 'failed') {
      await view.poolOf(row).driver.remove(row.id, { keepData: true });
      await repo.patch(row.id, { image });
      await machine.note(row, { actor, action: 'reload', metadata });
      return moved;
    }
    const tried = await recreate(moved);
    if (tried.ok) {
      if (row.status === 'running') {
        return machine.transition(row, 'running', {
          actor,
          action: 'reload',
          durationMs: performance.now() - started,
          patch: { image, last_health_at: new Date(), health_failures: 0 },
          metadata,
        });
      }
      await view.poolOf(row).driver.stop(row.id, deps.stopGraceS);
      await repo.patch(row.id, { image });
      await machine.note(row, { actor, action: 'reload', metadata });
      return moved;
    }
    deps.logger.warn({ engine_id: row.id, image, cause: tried.cause }, 'reload: engine failed');
    const back = await recreate(row);
    if (back.ok && row.status !== 'running') {
      await view.poolOf(row).driver.stop(row.id, deps.stopGraceS);
    }
    const failed = { ...metadata, cause: tried.cause, restored: back.ok };
    if (back.ok || row.status !== 'running') {
      await machine.note(row, { actor, action: 'reload_failed', metadata: failed });
    } else {
      await machine.transition(row, 'failed', {
        actor,
        action: 'reload_failed',
        durationMs: performance.now() - started,
        metadata: { ...failed, restore_cause: back.cause },
      });
    }
    throw new ImageSwapFailed(row, image, tried.cause);
  };
}
