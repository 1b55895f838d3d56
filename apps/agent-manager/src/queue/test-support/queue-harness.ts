import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkTs, killChild, nextMessage } from '../../ipc/test-support/fork-ts.js';
import { createBullmqQueue } from '../bullmq-queue.js';
import type { JobQueue, QueueOptions } from '../job-queue.js';
import { attachWorker, createMemoryQueue } from '../memory-queue.js';
import type { FixtureConfig, FixtureEvent } from './fixture-worker.js';

const entry = fileURLToPath(new URL('./fixture-worker.ts', import.meta.url));

export interface FixtureWorker {
  pid: number;
  child: ChildProcess;
  /** Sends the pool's drain message; resolves when the worker reports it drained. */
  drain(): Promise<void>;
  /** Asks the worker's consumer to close (hand its jobs back); resolves when it did. */
  close(): Promise<void>;
  kill(): Promise<void>;
}

/** Every event of every fixture worker of a test, in arrival order, and waits on them. */
export function createEventLog() {
  const events: FixtureEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    add(event: FixtureEvent) {
      events.push(event);
      for (const wake of [...waiters]) {
        wake();
      }
    },
    /** Resolves with the first event (past or future) matching `match`; rejects after `ms`. */
    waitFor<E extends FixtureEvent>(
      match: (event: FixtureEvent) => event is E,
      ms = 15_000,
    ): Promise<E> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching fixture event in ${ms} ms: ${JSON.stringify(events)}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;

/** One queue implementation under test: its API side and worker processes consuming it. */
export interface QueueSetup {
  queue: JobQueue;
  log: EventLog;
  spawnWorker(concurrency: number): Promise<FixtureWorker>;
}

export type OpenQueue = (options: Partial<QueueOptions>) => Promise<QueueSetup>;

interface Variant {
  queue: JobQueue;
  config: Omit<FixtureConfig, 'options'>;
  attach?: (child: ChildProcess) => void;
}

/** A factory of queues (each with its own name) whose `close` stops every worker and queue. */
type NamedOptions = Partial<QueueOptions> & { name: string };

function harness(variant: (options: NamedOptions) => Variant) {
  const cleanups: Array<() => Promise<void>> = [];
  let count = 0;
  const open: OpenQueue = async (options) => {
    const named: NamedOptions = { ...options, name: `q${++count}` };
    const { queue, config, attach } = variant(named);
    const log = createEventLog();
    cleanups.push(() => queue.close());
    const spawnWorker = async (concurrency: number): Promise<FixtureWorker> => {
      const fixture: FixtureConfig = { ...config, options: { ...named, concurrency } };
      const child = forkTs(entry, { FIXTURE_CONFIG: JSON.stringify(fixture) });
      child.on('message', (message: FixtureEvent) => {
        if (message?.t?.startsWith('fx-')) {
          log.add(message);
        }
      });
      attach?.(child);
      cleanups.unshift(() => killChild(child));
      const ready = await nextMessage<Extract<FixtureEvent, { t: 'fx-ready' }>>(child, 'fx-ready');
      return {
        pid: ready.pid,
        child,
        drain: async () => {
          child.send({ t: 'worker-drain' });
          await log.waitFor((e): e is FixtureEvent => e.t === 'fx-drained' && e.pid === ready.pid);
        },
        close: async () => {
          child.send({ t: 'fx-close' });
          await log.waitFor((e): e is FixtureEvent => e.t === 'fx-closed' && e.pid === ready.pid);
        },
        kill: () => killChild(child),
      };
    };
    return { queue, log, spawnWorker };
  };
  const close = async () => {
    for (const cleanup of cleanups.splice(0)) {
      await cleanup();
    }
  };
  return { open, close };
}

export function memoryHarness() {
  return harness((options) => {
    const queue = createMemoryQueue(options);
    return { queue, config: { kind: 'ipc' }, attach: (child) => attachWorker(queue, child) };
  });
}

export function bullmqHarness(connection: string, prefix: string) {
  return harness((options) => ({
    queue: createBullmqQueue({ ...options, connection, prefix }),
    config: { kind: 'bullmq', connection, prefix },
  }));
}
