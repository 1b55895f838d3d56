import type { AgentEvent } from '@agentplane/contracts';

/** Where a run's events go: its stream in the event log (Redis Streams or in-process). */
export interface RunEventSink {
  /** Appends to the run's stream, in order. */
  append(runId: string, events: readonly AgentEvent[]): Promise<void>;
  /** Starts the retention clock of a run whose terminal event was written. */
  retain(runId: string): Promise<void>;
}

/** Tokens waiting beyond this make `push` wait for the log (backpressure on the model stream). */
const MAX_UNFLUSHED = 512;

/**
 * Batches a run's events: while one append is in flight, the next events gather and go in the
 * following one, so a model streaming tokens costs one log round trip per batch, not per token,
 * and the order is kept. `flush()` waits until everything pushed is in the log.
 */
export function createEventWriter(sink: RunEventSink, runId: string) {
  let queued: AgentEvent[] = [];
  let inFlight: Promise<void> | undefined;
  let failure: unknown;

  const drain = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = coalesceTokens(queued);
      queued = [];
      await sink.append(runId, batch);
    }
  };
  const start = (): Promise<void> => {
    if (inFlight === undefined) {
      inFlight = drain()
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          inFlight = undefined;
        });
    }
    return inFlight;
  };

  return {
    async push(event: AgentEvent): Promise<void> {
      if (failure !== undefined) {
        throw failure;
      }
      queued.push(event);
      const pending = start();
      if (queued.length > MAX_UNFLUSHED) {
        await pending;
      }
    },
    async flush(): Promise<void> {
      while (queued.length > 0 || inFlight !== undefined) {
        await start();
      }
      if (failure !== undefined) {
        throw failure;
      }
    },
  };
}
/**
 * Tokens of one step that wait for the same append become one `token` event with their text
 * joined: the stream carries the same text in fewer entries (a fast model sends hundreds).
 */
export function coalesceTokens(events: readonly AgentEvent[]): AgentEvent[] {
  const out: AgentEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.event === 'token' && last?.event === 'token' && last.step_id === event.step_id) {
      out[out.length - 1] = { ...last, content: last.content + event.content };
    } else {
      out.push(event);
    }
  }
  return out;
}

export type EventWriter = ReturnType<typeof createEventWriter>;
