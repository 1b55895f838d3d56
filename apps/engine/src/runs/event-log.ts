import { EngineEvent, isTerminalEvent } from '@agentplane/contracts/engine';

/** Fields the log stamps on every event. */
type Envelope = 'task_id' | 'turn_id' | 'seq';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a producer hands it to the log: everything but the envelope. */
export type UnstampedEvent = DistributiveOmit<EngineEvent, Envelope>;

/**
 * The events of one turn, in order. The run appends (synchronously, never waiting for a reader);
 * every subscriber (the live response, replays) reads at its own pace with `follow`, so a slow
 * client slows only itself. After the terminal event nothing more is accepted.
 */
export interface EventLog {
  readonly taskId: string;
  readonly turnId: string;
  /** Stamps `{task_id, turn_id, seq}` (seq = 1, 2, …) and stores the event; returns it. */
  append(event: UnstampedEvent): EngineEvent;
  /** The events with seq > `after`, then each new one as it is appended, until the terminal. */
  follow(after: number, signal: AbortSignal): AsyncGenerator<EngineEvent>;
  /** True once the terminal event is in. */
  readonly finished: boolean;
  /** Epoch ms of the terminal event (undefined while running). */
  readonly finishedAt: number | undefined;
  readonly size: number;
}

export interface EventLogOptions {
  taskId: string;
  turnId: string;
  /** Parse each event with the contracts' EngineEvent (tests, development). */
  validate?: boolean;
  now?: () => number;
}

export class EventLogClosedError extends Error {
  override name = 'EventLogClosedError';
}

export function createEventLog(opts: EventLogOptions): EventLog {
  const now = opts.now ?? Date.now;
  const events: EngineEvent[] = [];
  let finishedAt: number | undefined;
  // Subscribers waiting for the next append; each append wakes (and forgets) them all. Nothing
  // is allocated per append when no one waits (the live stream usually keeps up).
  let waiters: Array<() => void> = [];

  const notify = () => {
    if (waiters.length > 0) {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) {
        wake();
      }
    }
  };

  return {
    taskId: opts.taskId,
    turnId: opts.turnId,
    append(event) {
      if (finishedAt !== undefined) {
        throw new EventLogClosedError(`turn ${opts.turnId} already ended`);
      }
      const stamped = {
        ...event,
        task_id: opts.taskId,
        turn_id: opts.turnId,
        seq: events.length + 1,
      } as EngineEvent;
      const checked = opts.validate ? EngineEvent.parse(stamped) : stamped;
      events.push(checked);
      if (isTerminalEvent(checked)) {
        finishedAt = now();
      }
      notify();
      return checked;
    },
    async *follow(after, signal) {
      // seq = index + 1, so the first event after `after` is at index `after`.
      let next = Math.max(0, after);
      // One abort listener per subscriber (not one per wait): it wakes the pending wait.
      let wakeOnAbort: (() => void) | undefined;
      const onAbort = () => wakeOnAbort?.();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        while (!signal.aborted) {
          while (next < events.length) {
            yield events[next] as EngineEvent;
            next += 1;
          }
          if (finishedAt !== undefined) {
            return;
          }
          await new Promise<void>((resolve) => {
            wakeOnAbort = resolve;
            waiters.push(resolve);
          });
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    get finished() {
      return finishedAt !== undefined;
    },
    get finishedAt() {
      return finishedAt;
    },
    get size() {
      return events.length;
    },
  };
}
