import type { RpcErrorShape } from '../ipc/rpc.js';
import type { RunJob } from './job-queue.js';

// The in-process queue's wire protocol between the API process (memory-queue.ts) and its
// worker children (ipc-consumer.ts). A lease id names one delivery of one job to one child.

/** RPC and push namespace of queue `name` (one channel can carry several queues). */
export const queueNamespace = (name: string): string => `queue:${name}`;

/** Pushed parent → child. */
export type QueuePush =
  | { kind: 'job'; lease: number; data: RunJob; delivery: number; waitedMs: number }
  /** The child lost this delivery (its lease expired): it must stop writing. */
  | { kind: 'lost'; lease: number };

export type Outcome = { ok: true } | { ok: false; error: RpcErrorShape };

/** What became of a settled delivery; 'lost' when the lease was no longer the child's. */
export type Settled = 'done' | 'retrying' | 'failed' | 'lost';

/** Served by the parent, one instance per attached child. */
export interface QueueRpc {
  /** The child takes up to `capacity` jobs at once; returns the lease length it must renew. */
  hello(capacity: number): { lockMs: number };
  /** Renews these leases; returns the ones the child no longer holds. */
  heartbeat(leases: number[]): number[];
  settle(lease: number, outcome: Outcome): Settled;
  /** No more jobs for this child. */
  drain(): void;
  /** Hands these deliveries back now (a closing child). */
  release(leases: number[]): void;
}
