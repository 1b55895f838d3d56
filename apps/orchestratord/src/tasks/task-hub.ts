import type { StoredEvent } from './task-repo.js';

type Listener = (events: readonly StoredEvent[]) => void;

/**
 * This replica's live view of task logs: the relay publishes each batch once it is committed,
 * streams subscribed here get it at once (streams of tasks relayed elsewhere poll the table).
 * Also the registry of the tasks this replica relays, so a cancel reaches its relay directly.
 */
export function createTaskHub() {
  const listeners = new Map<string, Set<Listener>>();
  const running = new Map<string, () => void>();
  return {
    publish(taskId: string, events: readonly StoredEvent[]): void {
      for (const listener of listeners.get(taskId) ?? []) {
        listener(events);
      }
    },
    subscribe(taskId: string, listener: Listener): () => void {
      let set = listeners.get(taskId);
      if (set === undefined) {
        set = new Set();
        listeners.set(taskId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(taskId);
        }
      };
    },
    /** Registers a relay's cancel; returns its unregister. */
    relaying(taskId: string, cancel: () => void): () => void {
      running.set(taskId, cancel);
      return () => running.delete(taskId);
    },
    isRelaying: (taskId: string) => running.has(taskId),
    cancelLocal(taskId: string): boolean {
      const cancel = running.get(taskId);
      cancel?.();
      return cancel !== undefined;
    },
    relayed: () => [...running.keys()],
  };
}
export type TaskHub = ReturnType<typeof createTaskHub>;
