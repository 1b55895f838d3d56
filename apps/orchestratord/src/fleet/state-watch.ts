import type { EngineStatus } from '@agentplane/contracts';

type Listener = (status: EngineStatus | 'destroyed') => void;

/**
 * In-process fan-out of status changes, keyed by engine id, so GET …/wait answers the moment
 * this replica moves an engine. (Other replicas' moves are caught by the waiter's slow re-read.)
 */
export function createStateWatch() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    notify(engineId: string, status: EngineStatus | 'destroyed'): void {
      for (const listener of listeners.get(engineId) ?? []) {
        listener(status);
      }
    },
    watch(engineId: string, listener: Listener): () => void {
      let set = listeners.get(engineId);
      if (set === undefined) {
        set = new Set();
        listeners.set(engineId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(engineId);
        }
      };
    },
  };
}
export type StateWatch = ReturnType<typeof createStateWatch>;
