import type { JobLease, JobQueue, QueueCounts, RunJob } from './job-queue.js';

/** The queue a dedicated worker of `agentId` takes its runs from. */
export const dedicatedQueueName = (base: string, agentId: string) => `${base}.agent.${agentId}`;

export interface RunRouterOptions<Q extends JobQueue> {
  /** The shared queue's name; dedicated queues are named after it (dedicatedQueueName). */
  base: string;
  /** Opens the queue of that name (BullMQ or in-process). */
  open(name: string): Q;
  /** How often runs waiting for a dedicated worker that is gone go back to the shared queue. */
  sweepMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The run queue as the API sees it: one shared queue for the pool, plus one per agent that has
 * a dedicated worker (`POST /internal/workers` with `payload.agent_id`: a worker whose heap is
 * capped by the agent's `resources.ram`). While such a worker takes runs, the agent's runs go
 * to its queue and only it runs them; once it is gone (drained, dead), what waits there goes
 * back to the shared queue, within `sweepMs`.
 */
export function createRunRouter<Q extends JobQueue>(options: RunRouterOptions<Q>) {
  const shared = options.open(options.base);
  const dedicated = new Map<string, Q>();
  const live = new Map<string, number>();

  const queueOf = (agentId: string): Q => {
    let queue = dedicated.get(agentId);
    if (!queue) {
      queue = options.open(dedicatedQueueName(options.base, agentId));
      dedicated.set(agentId, queue);
    }
    return queue;
  };
  const route = (agentId: string): Q => ((live.get(agentId) ?? 0) > 0 ? queueOf(agentId) : shared);

  let sweeping = false;
  const sweep = async () => {
    if (sweeping) {
      return;
    }
    sweeping = true;
    try {
      for (const [agentId, queue] of dedicated) {
        if ((live.get(agentId) ?? 0) > 0) {
          continue;
        }
        const orphans = await queue.takeWaiting();
        if (orphans.length > 0) {
          await shared.enqueue(orphans, { requeue: true });
        }
      }
    } catch (error) {
      options.onError?.(error);
    } finally {
      sweeping = false;
    }
  };
  const sweeper = setInterval(() => void sweep(), options.sweepMs ?? 1000);
  sweeper.unref();

  return {
    /** The queue a worker consumes: its agent's for a dedicated one, else the shared one. */
    queueFor: (agentId: string | undefined): Q =>
      agentId === undefined ? shared : queueOf(agentId),

    /** A dedicated worker of `agentId` began (+1) or stopped (-1) taking runs. */
    dedicated(agentId: string, change: 1 | -1): void {
      const count = Math.max(0, (live.get(agentId) ?? 0) + change);
      if (count === 0) {
        live.delete(agentId);
        void sweep();
      } else {
        live.set(agentId, count);
      }
    },

    /**
     * A dedicated worker of `agentId` exited: its queue is closed once no other takes runs
     * from it and nothing is left in it (a worker still attached would lose its channel).
     */
    async workerGone(agentId: string): Promise<void> {
      await sweep();
      const queue = dedicated.get(agentId);
      if (!queue || (live.get(agentId) ?? 0) > 0) {
        return;
      }
      const counts = await queue.counts();
      if (counts.active + counts.waiting + counts.delayed === 0) {
        dedicated.delete(agentId);
        await queue.close();
      }
    },

    async enqueue(jobs: readonly RunJob[], opts?: { requeue?: boolean }): Promise<void> {
      const byQueue = new Map<Q, RunJob[]>();
      for (const job of jobs) {
        const queue = route(job.agentId);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), job]);
      }
      await Promise.all([...byQueue].map(([queue, list]) => queue.enqueue(list, opts)));
    },

    /** `agentId`: the dead worker was that agent's dedicated one. */
    release(leases: readonly JobLease[], agentId?: string): Promise<void> {
      return (agentId === undefined ? shared : queueOf(agentId)).release(leases);
    },

    async takeWaiting(): Promise<RunJob[]> {
      return shared.takeWaiting();
    },

    async counts(): Promise<QueueCounts> {
      const all = await Promise.all([shared, ...dedicated.values()].map((q) => q.counts()));
      return all.reduce((sum, c) => ({
        waiting: sum.waiting + c.waiting,
        active: sum.active + c.active,
        delayed: sum.delayed + c.delayed,
        failed: sum.failed + c.failed,
      }));
    },

    async close(): Promise<void> {
      clearInterval(sweeper);
      await Promise.all([shared, ...dedicated.values()].map((q) => q.close()));
    },
  };
}
