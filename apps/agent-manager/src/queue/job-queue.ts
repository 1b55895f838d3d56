/** One agent run to execute. The queue's job id is the runId. */
export interface RunJob {
  agentId: string;
  runId: string;
  /**
   * Slots of a worker's concurrency the run takes (its agent's `resources.cpu`, in cores
   * rounded up); default 1.
   */
  weight?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** API side. */
export interface JobQueue {
  /**
   * jobId = runId: enqueuing a runId that is already waiting/active/delayed is a no-op. With
   * `requeue`, a runId whose job ended (completed or failed) is queued again; without it, the
   * ids are taken as new (a fresh run's: one round trip less on the way to its first step).
   */
  enqueue(jobs: readonly RunJob[], opts?: { requeue?: boolean }): Promise<void>;
  counts(): Promise<QueueCounts>;
  /**
   * Gives back at once the jobs a worker held when it died (its supervisor saw the exit):
   * sooner than the lease's expiry. Jobs no longer held under that lease are left alone.
   */
  release(leases: readonly JobLease[]): Promise<void>;
  /** Removes the jobs no worker holds (waiting, or delayed for a retry) and returns them. */
  takeWaiting(): Promise<RunJob[]>;
  close(): Promise<void>;
}

/** A job as held by one worker: what it takes to hand it back for that worker. */
export interface JobLease {
  runId: string;
  lease: string;
}

export interface ReceivedJob {
  data: RunJob;
  /** 1-based delivery count, stalls included */
  delivery: number;
  /** aborted when this worker lost the job's lock (it must stop writing) */
  signal: AbortSignal;
  /** ms from enqueue to this delivery's start (a retry's includes its backoff) */
  waitedMs: number;
  /** The delivery's lease where a supervisor must report it to release the job (BullMQ). */
  lease?: string;
}

export type JobHandler = (job: ReceivedJob) => Promise<void>;

/** Worker side. */
export interface JobConsumer {
  /**
   * Starts taking jobs, at most `concurrency` at once. Handler resolves → job done; rejects →
   * retried with backoff until `attempts` are used, then failed (and `onExhausted` is called
   * with the job and the error).
   */
  start(handler: JobHandler): void;
  inFlight(): number;
  /** Takes no new jobs; resolves when in-flight ones finished. */
  drain(): Promise<void>;
  /**
   * Stops now: in-flight jobs are handed back (their signals abort, another worker resumes
   * them; the run's DB attempt fence stops this one's late writes). Never hangs.
   */
  close(): Promise<void>;
}

/**
 * How the run queue behaves; the same object configures the BullMQ and the in-process queue.
 * The defaults are tuned for "a SIGKILLed worker's run resumes elsewhere within 2 s".
 */
export interface QueueOptions {
  /** Queue name; default 'agent-runs'. */
  name: string;
  /** Jobs one consumer runs at once; default 1. */
  concurrency: number;
  /** Handler rejections a job gets before it fails (stalls do not count); default 3. */
  attempts: number;
  /** Retry n waits backoffMs * 2^(n-1); default 1000. */
  backoffMs: number;
  /**
   * The lease of an active job, renewed by its worker while it runs; default 10 s. A worker
   * that stops renewing (hung, or dead where no supervisor saw it) loses the job after this.
   * A pooled worker's death is seen at once (`release`), so this only has to outlast the
   * longest stall of a busy worker's event loop: a lease lost to a slow worker costs the run
   * one of its attempts.
   */
  lockMs: number;
  /** How often expired leases are looked for; default 500 ms. */
  stalledIntervalMs: number;
  /**
   * Stalls (lost leases, dead workers) a job survives before the queue fails it; default
   * 1000, i.e. practically never: the run's attempt counter in the DB decides when a run
   * that keeps killing its workers is failed, with the run's own error, not the queue.
   */
  maxStalled: number;
  /** Called by the consumer that saw a job's last handler rejection. */
  onExhausted?: (job: RunJob, error: Error) => void | Promise<void>;
}

export const queueDefaults: Omit<QueueOptions, 'onExhausted'> = {
  name: 'agent-runs',
  concurrency: 1,
  attempts: 3,
  backoffMs: 1000,
  lockMs: 10_000,
  stalledIntervalMs: 500,
  maxStalled: 1000,
};

export function resolveQueueOptions(options: Partial<QueueOptions> = {}): QueueOptions {
  return { ...queueDefaults, ...options };
}

/** Exponential backoff before retry `failures` (1-based), as BullMQ's 'exponential'. */
export function backoffDelay(backoffMs: number, failures: number): number {
  return backoffMs * 2 ** Math.max(0, failures - 1);
}

/** The Error a handler's rejection reason is turned into (handlers may reject with anything). */
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
