import type { IpcChannel } from '../ipc/ipc-channel.js';
import { pushTo, serveRpc } from '../ipc/rpc.js';
import {
  backoffDelay,
  type JobQueue,
  type QueueCounts,
  type QueueOptions,
  type RunJob,
  resolveQueueOptions,
} from './job-queue.js';
import {
  type Outcome,
  type QueuePush,
  type QueueRpc,
  queueNamespace,
  type Settled,
} from './memory-protocol.js';

interface Entry {
  data: RunJob;
  enqueuedAt: number;
  deliveries: number;
  failures: number;
  stalls: number;
}

interface Consumer {
  channel: IpcChannel;
  capacity: number;
  leases: Set<number>;
  draining: boolean;
  /**
   * It let a lease expire (hung?) or sent a job back (still busy with one it lost): no new
   * jobs until it settles one, or it would bounce jobs back and forth.
   */
  suspended: boolean;
}

interface Lease {
  entry: Entry;
  consumer: Consumer;
  expiresAt: number;
}

/** A forked worker: its IPC channel and its exit. */
export interface WorkerChild extends IpcChannel {
  once(event: 'exit', listener: () => void): unknown;
}

/** The in-process queue: a `JobQueue` whose consumers are attached worker processes. */
export interface MemoryJobQueue extends JobQueue {
  /** Serves the queue to a child running `createIpcConsumer`; returns the detach function. */
  attach(child: WorkerChild): () => void;
}

/**
 * The zero-config run queue: it lives in the API process, its workers are forked children
 * (see ipc-consumer.ts). Jobs are pushed to a child with a free slot the moment they are
 * enqueued (no polling); each delivery is a lease the child renews by heartbeat. A child that
 * exits gives its jobs back at once; one that stops renewing loses them after `lockMs`.
 *
 * ```ts
 * const queue = createMemoryQueue({ name: 'am-runs' });
 * pool = createWorkerPool({ ..., attach: (child) => attachWorker(queue, child) });
 * await queue.enqueue([{ agentId, runId }]);
 * ```
 */
export function createMemoryQueue(options: Partial<QueueOptions> = {}): MemoryJobQueue {
  const opts = resolveQueueOptions(options);
  const ns = queueNamespace(opts.name);
  const known = new Map<string, Entry>();
  const waiting: Entry[] = [];
  const delayed = new Map<Entry, NodeJS.Timeout>();
  const active = new Map<number, Lease>();
  const consumers: Consumer[] = [];
  const detachers = new Set<() => void>();
  let failed = 0;
  let nextLease = 1;
  let closed = false;
  let turn = 0;

  const nextConsumer = (): Consumer | undefined => {
    // Round robin from the last pick, so concurrent jobs spread over the workers.
    for (let i = 0; i < consumers.length; i++) {
      const consumer = consumers[(turn + i) % consumers.length];
      if (
        consumer &&
        !consumer.draining &&
        !consumer.suspended &&
        consumer.leases.size < consumer.capacity
      ) {
        turn = (turn + i + 1) % consumers.length;
        return consumer;
      }
    }
    return undefined;
  };

  const pump = () => {
    while (!closed && waiting.length > 0) {
      const consumer = nextConsumer();
      const entry = waiting[0];
      if (!consumer || !entry) {
        return;
      }
      waiting.shift();
      const lease = nextLease++;
      entry.deliveries++;
      active.set(lease, { entry, consumer, expiresAt: Date.now() + opts.lockMs });
      consumer.leases.add(lease);
      const push: QueuePush = {
        kind: 'job',
        lease,
        data: entry.data,
        delivery: entry.deliveries,
        waitedMs: Date.now() - entry.enqueuedAt,
      };
      if (!pushTo(consumer.channel, ns, push)) {
        // Its channel closed before its exit: give the job to someone else, not to the sweeper.
        consumer.capacity = 0;
        entry.deliveries--;
        takeBack(lease, false);
      }
    }
  };

  const fail = (entry: Entry) => {
    known.delete(entry.data.runId);
    failed++;
  };

  /** Ends a delivery that did not settle: back to the head of the line (it waited longest). */
  const takeBack = (lease: number, stalled: boolean) => {
    const held = active.get(lease);
    if (!held) {
      return;
    }
    active.delete(lease);
    held.consumer.leases.delete(lease);
    if (stalled && ++held.entry.stalls > opts.maxStalled) {
      fail(held.entry);
      return;
    }
    waiting.unshift(held.entry);
  };

  const settle = (consumer: Consumer, lease: number, outcome: Outcome): Settled => {
    const held = active.get(lease);
    if (!held || held.consumer !== consumer) {
      return 'lost';
    }
    active.delete(lease);
    consumer.leases.delete(lease);
    const { entry } = held;
    if (outcome.ok) {
      known.delete(entry.data.runId);
      return 'done';
    }
    entry.failures++;
    if (entry.failures >= opts.attempts) {
      fail(entry);
      return 'failed';
    }
    const timer = setTimeout(
      () => {
        delayed.delete(entry);
        waiting.push(entry);
        pump();
      },
      backoffDelay(opts.backoffMs, entry.failures),
    );
    timer.unref();
    delayed.set(entry, timer);
    return 'retrying';
  };

  const sweep = () => {
    const now = Date.now();
    for (const [lease, held] of active) {
      if (held.expiresAt <= now) {
        held.consumer.suspended = true;
        takeBack(lease, true);
        const lost: QueuePush = { kind: 'lost', lease };
        pushTo(held.consumer.channel, ns, lost);
      }
    }
    pump();
  };
  const sweeper = setInterval(sweep, opts.stalledIntervalMs);
  sweeper.unref();

  const serve = (consumer: Consumer): QueueRpc => {
    return {
      hello: (capacity) => {
        consumer.suspended = false;
        consumer.capacity = Math.max(0, Math.floor(capacity));
        pump();
        return { lockMs: opts.lockMs };
      },
      heartbeat: (leases) => {
        const expiresAt = Date.now() + opts.lockMs;
        return leases.filter((lease) => {
          const held = active.get(lease);
          if (held?.consumer !== consumer) {
            return true;
          }
          held.expiresAt = expiresAt;
          return false;
        });
      },
      settle: (lease, outcome) => {
        consumer.suspended = false;
        const settled = settle(consumer, lease, outcome);
        pump();
        return settled;
      },
      drain: () => {
        consumer.draining = true;
      },
      release: (leases) => {
        consumer.suspended = true;
        for (const lease of leases) {
          if (active.get(lease)?.consumer === consumer) {
            takeBack(lease, false);
          }
        }
        pump();
      },
    };
  };

  const attach = (child: WorkerChild): (() => void) => {
    const consumer: Consumer = {
      channel: child,
      capacity: 0,
      leases: new Set(),
      draining: false,
      suspended: false,
    };
    consumers.push(consumer);
    const stopServing = serveRpc(child, ns, serve(consumer));
    let detached = false;
    const detach = () => {
      if (detached) {
        return;
      }
      detached = true;
      detachers.delete(detach);
      stopServing();
      consumers.splice(consumers.indexOf(consumer), 1);
      // A dead worker's jobs go back at once: it cannot be writing any more.
      for (const lease of [...consumer.leases]) {
        takeBack(lease, true);
      }
      pump();
    };
    detachers.add(detach);
    child.once('exit', detach);
    return detach;
  };

  return {
    attach,
    async enqueue(jobs) {
      if (closed) {
        throw new Error(`queue ${opts.name} is closed`);
      }
      const now = Date.now();
      for (const data of jobs) {
        if (!known.has(data.runId)) {
          const entry: Entry = {
            data: { ...data },
            enqueuedAt: now,
            deliveries: 0,
            failures: 0,
            stalls: 0,
          };
          known.set(data.runId, entry);
          waiting.push(entry);
        }
      }
      pump();
    },
    async counts(): Promise<QueueCounts> {
      return { waiting: waiting.length, active: active.size, delayed: delayed.size, failed };
    },
    // Its deliveries are to attached children, whose exit hands their jobs back already.
    async release() {},
    async takeWaiting() {
      const taken = [...waiting.splice(0), ...delayed.keys()];
      for (const timer of delayed.values()) {
        clearTimeout(timer);
      }
      delayed.clear();
      for (const entry of taken) {
        known.delete(entry.data.runId);
      }
      return taken.map((entry) => entry.data);
    },
    async close() {
      closed = true;
      clearInterval(sweeper);
      for (const timer of delayed.values()) {
        clearTimeout(timer);
      }
      for (const detach of [...detachers]) {
        detach();
      }
    },
  };
}

/** Attaches a forked worker to the in-process queue (the worker pool's `attach` hook). */
export function attachWorker(queue: MemoryJobQueue, child: WorkerChild): () => void {
  return queue.attach(child);
}
