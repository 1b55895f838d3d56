import { setTimeout as sleep } from 'node:timers/promises';
import { createBullmqConsumer } from '../bullmq-queue.js';
import { createIpcConsumer } from '../ipc-consumer.js';
import type { JobConsumer, QueueOptions, ReceivedJob } from '../job-queue.js';

// A worker process for the queue contract suite: it runs a consumer of either queue and
// reports what it does to the test (the parent) over IPC. A job's behaviour is its agentId:
// 'ok:<ms>' works <ms> then resolves, 'fail' rejects, 'block:<ms>' blocks its event loop
// <ms> on the first delivery (a hung worker) then waits for its signal, later ones resolve.

/** FIXTURE_CONFIG (JSON) of a fixture worker. */
export interface FixtureConfig {
  kind: 'bullmq' | 'ipc';
  options: Partial<QueueOptions> & { name: string };
  /** bullmq only */
  connection?: string;
  prefix?: string;
}

/** What a fixture worker reports; `at` is a high-resolution epoch ms (comparable across processes). */
export type FixtureEvent =
  | { t: 'fx-ready'; pid: number }
  | { t: 'fx-start'; pid: number; at: number; runId: string; delivery: number; waitedMs: number }
  | { t: 'fx-end'; pid: number; at: number; runId: string; ok: boolean; aborted: boolean }
  | { t: 'fx-exhausted'; pid: number; runId: string; message: string }
  | { t: 'fx-drained'; pid: number; at: number }
  | { t: 'fx-closed'; pid: number; at: number };

const now = () => performance.timeOrigin + performance.now();
const report = (event: FixtureEvent) => process.send?.(event);
const config = JSON.parse(process.env.FIXTURE_CONFIG ?? '{}') as FixtureConfig;
const options: Partial<QueueOptions> & { name: string } = {
  ...config.options,
  onExhausted: (job, error) => {
    report({ t: 'fx-exhausted', pid: process.pid, runId: job.runId, message: error.message });
  },
};

const consumer: JobConsumer =
  config.kind === 'bullmq'
    ? createBullmqConsumer({
        ...options,
        connection: config.connection ?? '',
        prefix: config.prefix ?? '',
      })
    : createIpcConsumer({ ...options, channel: process });

const blockFor = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // A hung worker: no timers, no IPC, no lock renewal.
  }
};

const work = async (job: ReceivedJob) => {
  const [behaviour, arg] = job.data.agentId.split(':');
  const ms = Number(arg ?? 0);
  if (behaviour === 'fail') {
    throw new Error(`run ${job.data.runId} failed on delivery ${job.delivery}`);
  }
  if (behaviour === 'block' && job.delivery === 1) {
    blockFor(ms);
    // Time for the news that the job is gone to arrive (IPC push or failed lock renewal).
    await Promise.race([
      sleep(3000),
      new Promise((resolve) => job.signal.addEventListener('abort', resolve)),
    ]);
    return;
  }
  await sleep(ms);
};

consumer.start(async (job) => {
  const { runId } = job.data;
  report({
    t: 'fx-start',
    pid: process.pid,
    at: now(),
    runId,
    delivery: job.delivery,
    waitedMs: job.waitedMs,
  });
  try {
    await work(job);
    report({
      t: 'fx-end',
      pid: process.pid,
      at: now(),
      runId,
      ok: true,
      aborted: job.signal.aborted,
    });
  } catch (error) {
    report({
      t: 'fx-end',
      pid: process.pid,
      at: now(),
      runId,
      ok: false,
      aborted: job.signal.aborted,
    });
    throw error;
  }
});

process.on('message', (message: { t?: string }) => {
  if (message?.t === 'worker-drain') {
    consumer.drain().then(() => report({ t: 'fx-drained', pid: process.pid, at: now() }));
  } else if (message?.t === 'fx-close') {
    consumer.close().then(() => report({ t: 'fx-closed', pid: process.pid, at: now() }));
  }
});
report({ t: 'fx-ready', pid: process.pid });
