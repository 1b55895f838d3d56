import type { TaskEvent } from '@agentplane/contracts';
import type { TaskHub } from './task-hub.js';
import type { TaskRepo } from './task-repo.js';

/**
 * The relay's side of a task's log: events are buffered and written in batches, one write at a
 * time (what arrives during a write goes in the next: group commit), each batch published to
 * this replica's streams once committed. A batch refused because a cancel was accepted flips
 * `cancelled`; nothing after it is written.
 */
export function createTaskLogWriter(deps: { repo: TaskRepo; hub: TaskHub; taskId: string }) {
  let pending: TaskEvent[] = [];
  let engineSeq = 0;
  let tokensOut = 0;
  let flushing: Promise<void> | undefined;
  let cancelled = false;
  let failure: unknown;

  const flushLoop = async () => {
    while (pending.length > 0 && !cancelled) {
      const batch = pending;
      pending = [];
      const stored = await deps.repo.appendUnlessCancelled(
        deps.taskId,
        batch,
        engineSeq,
        tokensOut,
      );
      if (stored === undefined) {
        cancelled = true;
        pending = [];
        return;
      }
      deps.hub.publish(deps.taskId, stored);
    }
  };

  const kick = (): void => {
    if (flushing !== undefined || cancelled || pending.length === 0) {
      return;
    }
    flushing = flushLoop()
      .catch((error: unknown) => {
        failure = error;
        pending = [];
      })
      .finally(() => {
        flushing = undefined;
        kick();
      });
  };

  return {
    push(events: readonly TaskEvent[], seq: number, tokens: number): void {
      engineSeq = seq;
      tokensOut = tokens;
      if (cancelled || events.length === 0) {
        return;
      }
      pending.push(...events);
      kick();
    },
    /** Waits for every pushed event to be written (or refused); rethrows a failed write. */
    async settle(): Promise<void> {
      while (flushing !== undefined) {
        await flushing;
      }
      if (failure !== undefined) {
        throw failure;
      }
    },
    get cancelled() {
      return cancelled;
    },
  };
}
