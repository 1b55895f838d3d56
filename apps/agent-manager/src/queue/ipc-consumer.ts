import type { IpcChannel } from '../ipc/ipc-channel.js';
import { onPush, rpcClient, toErrorShape } from '../ipc/rpc.js';
import {
  asError,
  type JobConsumer,
  type JobHandler,
  type QueueOptions,
  resolveQueueOptions,
} from './job-queue.js';
import { type Outcome, type QueuePush, type QueueRpc, queueNamespace } from './memory-protocol.js';

export interface IpcConsumerOptions extends Partial<QueueOptions> {
  /** The worker's IPC channel to the API process: `process`. */
  channel: IpcChannel;
  /** Required: it must be the API process's queue name, or no job ever arrives. */
  name: string;
}

/** Why a job's signal aborted. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly code = 'LEASE_LOST';
}

// Three heartbeats per lease: one late or lost message does not cost the job.
const HEARTBEATS_PER_LEASE = 3;

/**
 * The worker side of the in-process queue (memory-queue.ts, in the API process): jobs arrive
 * as pushes over the IPC channel, leases are renewed by heartbeat, results go back by RPC.
 * Only `name`, `concurrency` and `onExhausted` matter here; the parent owns the rest.
 *
 * ```ts
 * const consumer = createIpcConsumer({ channel: process, name: 'am-runs', concurrency: 8 });
 * consumer.start(async (job) => executeRun(job.data.runId, deps, job.signal));
 * ```
 */
export function createIpcConsumer(options: IpcConsumerOptions): JobConsumer {
  const { channel } = options;
  const opts = resolveQueueOptions(options);
  const ns = queueNamespace(opts.name);
  const queue = rpcClient<QueueRpc>(channel, ns);
  /** Handlers running, by lease. */
  const running = new Map<number, AbortController>();
  /** Handlers finished whose result the parent has not acknowledged yet. */
  let settling = 0;
  const idleWaiters: Array<() => void> = [];
  let handler: JobHandler | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let stopPushes: (() => void) | undefined;
  let taking = false;

  const loseLease = (lease: number, reason: string) => {
    running.get(lease)?.abort(new LeaseLostError(reason));
  };

  const inFlight = () => running.size + settling;
  const onIdle = () => {
    if (inFlight() === 0) {
      for (const resolve of idleWaiters.splice(0)) {
        resolve();
      }
    }
  };

  const run = async (handler: JobHandler, push: Extract<QueuePush, { kind: 'job' }>) => {
    const controller = new AbortController();
    running.set(push.lease, controller);
    let outcome: Outcome = { ok: true };
    let error: Error | undefined;
    try {
      const { data, delivery, waitedMs } = push;
      await handler({ data, delivery, waitedMs, signal: controller.signal });
    } catch (reason) {
      error = asError(reason);
      outcome = { ok: false, error: toErrorShape(error) };
    }
    // The slot is free now: the parent may push the next job before its settle reply.
    running.delete(push.lease);
    settling++;
    try {
      const settled = await queue.settle(push.lease, outcome);
      if (settled === 'failed' && error) {
        await opts.onExhausted?.(push.data, error);
      }
    } catch {
      // The API process is gone or the hook threw: nothing this worker can still do.
    } finally {
      settling--;
      onIdle();
    }
  };

  const onMessage = (payload: unknown) => {
    const push = payload as QueuePush;
    if (push.kind === 'lost') {
      loseLease(push.lease, 'the queue gave this job to another worker');
      return;
    }
    if (push.kind !== 'job') {
      return;
    }
    // A job that crossed our drain (or close) on the wire goes straight back, uncounted.
    if (!handler || !taking || running.size >= opts.concurrency) {
      queue.release([push.lease]).catch(() => {});
      return;
    }
    void run(handler, push);
  };

  const renew = () => {
    if (running.size === 0) {
      return;
    }
    queue
      .heartbeat([...running.keys()])
      .then((lost) => {
        for (const lease of lost) {
          loseLease(lease, 'this worker no longer holds the job lease');
        }
      })
      .catch(() => {});
  };

  return {
    start(jobHandler) {
      if (handler) {
        throw new Error('consumer already started');
      }
      handler = jobHandler;
      taking = true;
      // Listen before hello: the parent pushes the first jobs before it replies.
      stopPushes = onPush(channel, ns, onMessage);
      queue
        .hello(opts.concurrency)
        .then(({ lockMs }) => {
          if (taking) {
            heartbeat = setInterval(renew, Math.max(10, lockMs / HEARTBEATS_PER_LEASE));
          }
        })
        .catch(() => {});
    },
    inFlight,
    async drain() {
      taking = false;
      await queue.drain().catch(() => {});
      if (inFlight() > 0) {
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
      }
    },
    async close() {
      taking = false;
      clearInterval(heartbeat);
      stopPushes?.();
      const leases = [...running.keys()];
      for (const lease of leases) {
        loseLease(lease, 'the worker is closing');
      }
      // drain first, or the parent would push the released jobs straight back to us.
      await queue.drain().catch(() => {});
      if (leases.length > 0) {
        await queue.release(leases).catch(() => {});
      }
    },
  };
}
