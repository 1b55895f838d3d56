/** Why a worker stopped a run it holds. Only `cancel_request` ends the run; the others hand it on. */
export type StopReason = 'cancel_request' | 'lease_lost' | 'shutdown';

interface Held {
  controller: AbortController;
  reason: StopReason | undefined;
  by: string | undefined;
}

/**
 * The runs a worker holds, by agent, so a cancel broadcast (or a lost lease, or the worker's own
 * shutdown) can abort the right one at once.
 */
export function createCancelRegistry() {
  const held = new Map<string, Held>();
  const stop = (entry: Held, reason: StopReason, by?: string) => {
    if (entry.reason === undefined) {
      entry.reason = reason;
      entry.by = by;
      entry.controller.abort(reason);
    }
  };
  return {
    hold(agentId: string) {
      const entry: Held = { controller: new AbortController(), reason: undefined, by: undefined };
      held.set(agentId, entry);
      return {
        signal: entry.controller.signal,
        stop: (reason: StopReason, by?: string) => stop(entry, reason, by),
        reason: () => entry.reason,
        by: () => entry.by,
        release: () => {
          if (held.get(agentId) === entry) {
            held.delete(agentId);
          }
        },
      };
    },
    /** Returns false when this worker does not hold the agent's run. */
    cancel(agentId: string, by: string): boolean {
      const entry = held.get(agentId);
      if (entry) {
        stop(entry, 'cancel_request', by);
      }
      return entry !== undefined;
    },
    stopAll(reason: StopReason): void {
      for (const entry of held.values()) {
        stop(entry, reason);
      }
    },
    size: () => held.size,
  };
}
export type CancelRegistry = ReturnType<typeof createCancelRegistry>;
export type HeldRun = ReturnType<CancelRegistry['hold']>;
