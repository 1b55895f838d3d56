import type { AuditAction, AuditActor, EngineState, EngineStatus } from '@agentplane/contracts';
import { ApiError } from '@agentplane/http-kit';
import type { AuditLog } from './audit.js';
import type { EnginePatch, EngineRepo, EngineRow } from './engine-repo.js';
import type { StateWatch } from './state-watch.js';
import type { TransitionPublisher } from './transition-publisher.js';
import { assertTransition } from './transitions.js';

export interface Step {
  actor: AuditActor;
  action: AuditAction;
  /** Other columns written with the status, in the same UPDATE. */
  patch?: EnginePatch;
  durationMs?: number;
  metadata?: Record<string, unknown>;
  /**
   * What engine.lifecycle hears: by default the move itself; `false` for an intermediate step
   * (a destroy's `destroying`); `from` overrides where the bus means something else (null: the
   * engine is new to its user).
   */
  published?: false | { from: EngineState | null };
}

/**
 * The only writer of `engines.status`. A move is checked against the transition table (an
 * illegal one throws IllegalTransition and writes nothing), then the row (compare-and-set on
 * the status it was read with) and its audit row are written in one transaction; only after
 * the commit do the in-process waiters and the bus hear of it.
 *
 * One move writes no audit row: `destroying` → `destroyed` (the row's deletion), because the
 * `destroy` row was written when the destroy began; a trail that ends in `destroying` with no
 * row left is a finished destroy.
 */
export function createStateMachine(deps: {
  repo: EngineRepo;
  audit: AuditLog;
  watch: StateWatch;
  publisher: TransitionPublisher;
}) {
  const { repo, audit } = deps;

  function publish(row: EngineRow, action: AuditAction, from: EngineState | null, to: EngineState) {
    deps.publisher.publish({
      engine_id: row.id,
      product_id: row.product_id,
      user_id: row.user_id,
      from,
      to,
      action,
      timestamp: Date.now(),
    });
  }

  async function transition(row: EngineRow, to: EngineState, step: Step): Promise<EngineRow> {
    assertTransition(row.status, to, step.action);
    const moved = await repo.transaction(async (trx) => {
      const after =
        to === 'destroyed'
          ? (await repo.deleteIf(trx, row.id, row.status))
            ? row
            : undefined
          : await repo.setStatus(trx, row.id, row.status, to, step.patch);
      if (after === undefined) {
        // Only another replica can get here (callers hold the engine's lock).
        throw new ApiError({
          code: 'CONFLICT',
          message: 'The engine changed state during the operation; retry',
          details: { status: row.status, action: step.action },
        });
      }
      if (!(row.status === 'destroying' && to === 'destroyed')) {
        await audit.append(
          {
            productId: row.product_id,
            engineId: row.id,
            userId: row.user_id,
            actor: step.actor,
            action: step.action,
            from: row.status,
            to,
            durationMs: step.durationMs ?? null,
            metadata: step.metadata ?? {},
          },
          trx,
        );
      }
      return after;
    });
    deps.watch.notify(row.id, to);
    if (step.published !== false) {
      publish(
        moved,
        step.action,
        step.published === undefined ? row.status : step.published.from,
        to,
      );
    }
    return moved;
  }

  /**
   * An audit row for an action that changed no status (a key rotation, a restart attempt
   * beginning, a fallback); `published` also tells the bus (a warm engine changing hands).
   */
  async function note(
    row: EngineRow,
    step: Omit<Step, 'patch' | 'published'> & {
      published?: { from: EngineState | null; to: EngineStatus };
    },
  ): Promise<void> {
    await audit.append({
      productId: row.product_id,
      engineId: row.id,
      userId: row.user_id,
      actor: step.actor,
      action: step.action,
      durationMs: step.durationMs ?? null,
      metadata: step.metadata ?? {},
    });
    if (step.published !== undefined) {
      deps.watch.notify(row.id, step.published.to);
      publish(row, step.action, step.published.from, step.published.to);
    }
  }

  return { transition, note };
}
export type StateMachine = ReturnType<typeof createStateMachine>;
