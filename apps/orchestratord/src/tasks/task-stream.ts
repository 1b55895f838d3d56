import type { SseWriter } from '@agentplane/http-kit';
import type { TaskHub } from './task-hub.js';
import type { StoredEvent, TaskRepo } from './task-repo.js';

export interface TaskLogDeps {
  repo: TaskRepo;
  hub: TaskHub;
  pollMs: number;
}

const isTerminalEvent = (e: StoredEvent) => e.event.event === 'end' || e.event.event === 'error';

/**
 * A task's log from after `after` until its terminal event (included): what is stored first,
 * then what this replica's relay publishes (at once), or what another replica's relay stores
 * (read every `pollMs`). Every event comes once, in order. Ends early when `signal` aborts.
 * Both /v1/tasks/{id}/stream and /v1/chat/completions read a task this way.
 *
 * @example
 * for await (const e of followTaskLog(deps, taskId, 0, signal)) {
 *   if (e.event.event === 'token') text += e.event.t;
 * }
 */
export async function* followTaskLog(
  deps: TaskLogDeps,
  taskId: string,
  after: number,
  signal: AbortSignal,
): AsyncGenerator<StoredEvent> {
  let last = after;
  let done = false;
  const live: StoredEvent[] = [];
  let wake: (() => void) | undefined;
  // Subscribed before the first read of the table, so nothing committed in between is missed.
  const unsubscribe = deps.hub.subscribe(taskId, (events) => {
    live.push(...events);
    wake?.();
  });
  async function* inOrder(events: readonly StoredEvent[]): AsyncGenerator<StoredEvent> {
    for (const e of events) {
      if (e.seq <= last || done) {
        continue;
      }
      if (e.seq > last + 1) {
        // Written by another path (a drop, a cancel while queued): the table has the gap.
        yield* inOrder(await deps.repo.eventsAfter(taskId, last));
        continue;
      }
      last = e.seq;
      done = isTerminalEvent(e);
      yield e;
    }
  }
  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake?.(), deps.pollMs);
      wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wakeUp);
        wake = undefined;
        resolve();
      };
      const wakeUp = () => wake?.();
      signal.addEventListener('abort', wakeUp, { once: true });
    });
  try {
    yield* inOrder(await deps.repo.eventsAfter(taskId, last));
    while (!done && !signal.aborted) {
      if (live.length === 0) {
        await idle();
      }
      if (signal.aborted) {
        break;
      }
      yield* inOrder(live.length > 0 ? live.splice(0) : await deps.repo.eventsAfter(taskId, last));
    }
  } finally {
    unsubscribe();
  }
}

/** Writes a task's log to `sse` (see followTaskLog), each event with its seq as `id:`. */
export async function streamTaskLog(
  deps: TaskLogDeps,
  taskId: string,
  after: number,
  sse: SseWriter,
): Promise<void> {
  try {
    for await (const e of followTaskLog(deps, taskId, after, sse.signal)) {
      await sse.send({ event: e.event.event, id: e.seq, data: e.event });
    }
  } finally {
    sse.close();
  }
}
