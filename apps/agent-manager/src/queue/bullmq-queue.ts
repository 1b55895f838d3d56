import { Job, Queue, WaitingError, Worker } from 'bullmq';
import {
  type JobConsumer,
  type JobHandler,
  type JobQueue,
  type QueueOptions,
  type RunJob,
  resolveQueueOptions,
} from './job-queue.js';

export interface BullmqOptions extends Partial<QueueOptions> {
  /** Redis URL. */
  connection: string;
  /** Key prefix: keys are `<prefix>:<name>:…` (tests pass the testkit's per-test prefix). */
  prefix: string;
  /** Required: the queue and its consumers must agree on it. */
  name: string;
  /** BullMQ's connection and background errors (a consumer cannot throw them anywhere). */
  onError?: (error: Error) => void;
}

// Finished jobs kept in Redis for inspection; the runs table is the record, so few suffice.
const KEEP_COMPLETED = { count: 1000 };
const KEEP_FAILED = { count: 5000 };

/**
 * The run queue on Redis (API side). jobId = runId; a finished (completed/failed) job of the
 * same runId is removed first, so a run can be queued again after it ended.
 *
 * ```ts
 * const queue = createBullmqQueue({ connection: 'redis://…', prefix: 'am', name: 'am-runs' });
 * await queue.enqueue([{ agentId, runId }]);
 * ```
 */
export function createBullmqQueue(options: BullmqOptions): JobQueue {
  const opts = resolveQueueOptions(options);
  const queue = new Queue<RunJob>(opts.name, {
    connection: { url: options.connection },
    prefix: options.prefix,
  });
  queue.on('error', (error) => options.onError?.(error));
  const jobOptions = (runId: string) => ({
    jobId: runId,
    attempts: opts.attempts,
    backoff: { type: 'exponential', delay: opts.backoffMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  });

  return {
    async enqueue(jobs, enqueueOpts) {
      for (const { runId } of enqueueOpts?.requeue ? jobs : []) {
        const state = await queue.getJobState(runId);
        if (state === 'completed' || state === 'failed') {
          await queue.remove(runId);
        }
      }
      // BullMQ itself ignores an add whose jobId exists: waiting, active and delayed stay as is.
      await queue.addBulk(
        jobs.map((job) => ({
          name: 'run',
          data: {
            agentId: job.agentId,
            runId: job.runId,
            ...(job.weight === undefined ? {} : { weight: job.weight }),
          },
          opts: jobOptions(job.runId),
        })),
      );
    },
    async counts() {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
    async release(leases) {
      // Back to wait under the dead worker's own lock token: no waiting for the lock to expire.
      // A job finished or taken since then refuses the token, and is left as it is.
      await Promise.all(
        leases.map(async ({ runId, lease }) => {
          const job = await Job.fromId<RunJob>(queue, runId);
          await job?.moveToWait(lease).catch(() => {});
        }),
      );
    },
    async takeWaiting() {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
      const taken: RunJob[] = [];
      for (const job of jobs) {
        // A job a worker took meanwhile is locked: remove() refuses it, and it stays.
        if (
          await job.remove().then(
            () => true,
            () => false,
          )
        ) {
          taken.push(job.data);
        }
      }
      return taken;
    },
    close: () => queue.close(),
  };
}

interface Tracked {
  job: Job<RunJob>;
  token: string | undefined;
  controller: AbortController;
  /** Not ours to settle any more: handed back (close) or taken by another worker (lost lock). */
  gone: boolean;
}

/**
 * Lease numbers, from how BullMQ finds a dead worker's job (moveStalledJobsToWait.lua): each
 * stalled check (at most one per `stalledInterval` across all workers) first moves the jobs it
 * marked last time whose lock key has expired back to wait, then marks every active job. The
 * lock lives `lockDuration` after its last renewal, renewed every lockDuration/2. So a worker
 * that died unseen has its job back in wait after at most ~lockDuration + stalledInterval; a
 * pooled one's jobs are handed back by its supervisor as soon as it exits (`release`), and the
 * blocked workers take them at once (they go to the head of wait).
 * maxStalledCount is large (see `QueueOptions.maxStalled`): the DB's attempt counter fails runs.
 */
function workerSettings(opts: QueueOptions) {
  return {
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs,
    stalledInterval: opts.stalledIntervalMs,
    maxStalledCount: opts.maxStalled,
  };
}

/**
 * The worker side on Redis: a BullMQ Worker whose processor calls `handler`. A job's signal
 * aborts when its lock renewal fails (another worker may have it now).
 */
export function createBullmqConsumer(options: BullmqOptions): JobConsumer {
  const opts = resolveQueueOptions(options);
  const tracked = new Map<string, Tracked>();
  const idleWaiters: Array<() => void> = [];
  let worker: Worker<RunJob> | undefined;
  let taking = false;

  const lose = (entry: Tracked, reason: string) => {
    entry.gone = true;
    entry.controller.abort(
      Object.assign(new Error(reason), { name: 'LeaseLostError', code: 'LEASE_LOST' }),
    );
  };
  const forget = (id: string) => {
    tracked.delete(id);
    if (tracked.size === 0) {
      for (const resolve of idleWaiters.splice(0)) {
        resolve();
      }
    }
  };

  const processor = (handler: JobHandler) => async (job: Job<RunJob>, token?: string) => {
    const id = job.id ?? job.data.runId;
    if (!taking) {
      // Fetched as we began draining: back to wait for another worker, not an attempt.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const entry: Tracked = { job, token, controller: new AbortController(), gone: false };
    tracked.set(id, entry);
    try {
      await handler({
        data: job.data,
        delivery: job.attemptsStarted,
        signal: entry.controller.signal,
        waitedMs: Math.max(0, Date.now() - job.timestamp),
        ...(token === undefined ? {} : { lease: token }),
      });
    } catch (error) {
      throw entry.gone ? new WaitingError() : error;
    } finally {
      forget(id);
    }
    // WaitingError tells BullMQ to leave the job alone: it is no longer this worker's.
    if (entry.gone) {
      throw new WaitingError();
    }
  };

  return {
    start(handler) {
      if (worker) {
        throw new Error('consumer already started');
      }
      taking = true;
      worker = new Worker<RunJob>(opts.name, processor(handler), {
        connection: { url: options.connection, maxRetriesPerRequest: null },
        prefix: options.prefix,
        ...workerSettings(opts),
      });
      worker.on('error', (error) => options.onError?.(error));
      worker.on('lockRenewalFailed', (ids) => {
        for (const id of ids) {
          const entry = tracked.get(id);
          if (entry) {
            lose(entry, 'the job lock could not be renewed');
          }
        }
      });
      worker.on('failed', (job, error) => {
        if (job && job.attemptsMade >= opts.attempts) {
          Promise.resolve(opts.onExhausted?.(job.data, error)).catch((e: unknown) =>
            options.onError?.(e instanceof Error ? e : new Error(String(e))),
          );
        }
      });
    },
    inFlight: () => tracked.size,
    async drain() {
      taking = false;
      // pause() stops fetching; it resolves only when the jobs end, which we await ourselves.
      worker?.pause().catch((error: Error) => options.onError?.(error));
      if (tracked.size > 0) {
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
      }
    },
    async close() {
      taking = false;
      // Paused first (synchronously), so handing jobs back does not fetch the next one.
      worker?.pause(true).catch((error: Error) => options.onError?.(error));
      const entries = [...tracked.values()];
      for (const entry of entries) {
        lose(entry, 'the worker is closing');
      }
      // Straight back to wait (the next delivery counts one more), not via the stall check.
      await Promise.all(entries.map((entry) => entry.job.moveToWait(entry.token).catch(() => {})));
      await worker?.close(true);
    },
  };
}
