import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import type { QueueOptions, RunJob } from '../job-queue.js';
import type { FixtureEvent } from './fixture-worker.js';
import type { EventLog, FixtureWorker, OpenQueue } from './queue-harness.js';

/** A vitest `test` whose context has `open` (a fixture). */
type ContractTest = (title: string, body: (context: { open: OpenQueue }) => Promise<void>) => void;

type Start = Extract<FixtureEvent, { t: 'fx-start' }>;
type End = Extract<FixtureEvent, { t: 'fx-end' }>;

const job = (runId: string, agentId: string): RunJob => ({ agentId, runId });
const isStart =
  (runId: string, delivery?: number) =>
  (e: FixtureEvent): e is Start =>
    e.t === 'fx-start' && e.runId === runId && (delivery === undefined || e.delivery === delivery);
const isEnd =
  (runId: string, pid?: number) =>
  (e: FixtureEvent): e is End =>
    e.t === 'fx-end' && e.runId === runId && (pid === undefined || e.pid === pid);
const starts = (log: EventLog) => log.events.filter((e): e is Start => e.t === 'fx-start');

/** Fast settings so the suite's retries and lease expiries take well under a second. */
const fast: Partial<QueueOptions> = {
  attempts: 2,
  backoffMs: 50,
  lockMs: 1000,
  stalledIntervalMs: 500,
};

/**
 * Per job, no two deliveries held at once: a delivery spans start → end, or start → kill of
 * its worker; a delivery that ended with its signal aborted (lease lost) is excluded.
 */
function assertNoOverlap(log: EventLog, killedAt: Map<number, number>) {
  const spans = new Map<string, Array<[number, number]>>();
  for (const start of starts(log)) {
    const end = log.events.find(
      (e): e is End => isEnd(start.runId, start.pid)(e) && e.at >= start.at,
    );
    if (end?.aborted) {
      continue;
    }
    const until = end?.at ?? killedAt.get(start.pid) ?? Number.POSITIVE_INFINITY;
    const list = spans.get(start.runId) ?? [];
    list.push([start.at, until]);
    spans.set(start.runId, list);
  }
  for (const [runId, list] of spans) {
    list.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < list.length; i++) {
      expect(list[i]?.[0], `${runId} delivered while still held`).toBeGreaterThanOrEqual(
        list[i - 1]?.[1] ?? 0,
      );
    }
  }
}

/**
 * The behaviour both run queues promise (job-queue.ts), over real worker processes. `test`
 * provides `open`, a factory of queues of one implementation; `print` shows measured
 * latencies (printed, never asserted).
 */
export function queueContract(name: string, test: ContractTest, print: (line: string) => void) {
  describe(`${name} run queue contract`, () => {
    test('FIFO, at most `concurrency` at once; enqueue → start latency', async ({ open }) => {
      const { queue, log, spawnWorker } = await open(fast);
      const worker = await spawnWorker(2);
      await sleep(300); // the worker is idle and listening
      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) {
        const enqueuedAt = performance.timeOrigin + performance.now();
        await queue.enqueue([job(`idle-${i}`, 'ok:0')]);
        const start = await log.waitFor(isStart(`idle-${i}`));
        latencies.push(start.at - enqueuedAt);
        await log.waitFor(isEnd(`idle-${i}`));
      }
      print(
        `[${name}] enqueue→start on an idle worker, ms: ${latencies.map((ms) => ms.toFixed(2)).join(', ')}`,
      );

      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      await queue.enqueue(ids.map((id) => job(id, 'ok:150')));
      await Promise.all(ids.map((id) => log.waitFor(isEnd(id))));
      const order = starts(log)
        .map((e) => e.runId)
        .filter((id) => ids.includes(id));
      expect(order).toEqual(ids);
      let running = 0;
      let peak = 0;
      for (const e of log.events) {
        running += e.t === 'fx-start' ? 1 : e.t === 'fx-end' ? -1 : 0;
        peak = Math.max(peak, running);
      }
      expect(peak).toBe(2);
      expect(starts(log).every((e) => e.pid === worker.pid && e.delivery === 1)).toBe(true);
    });

    test('a runId already waiting or active is not queued twice', async ({ open }) => {
      const { queue, log, spawnWorker } = await open(fast);
      await queue.enqueue([job('dup', 'ok:300'), job('dup', 'ok:300')]);
      await queue.enqueue([job('dup', 'ok:300')]);
      await spawnWorker(1);
      await log.waitFor(isStart('dup'));
      await queue.enqueue([job('dup', 'ok:300')]);
      // One worker, FIFO: a second 'dup' would start before the sentinel ends.
      await queue.enqueue([job('sentinel', 'ok:0')]);
      await log.waitFor(isEnd('sentinel'));
      expect(starts(log).filter((e) => e.runId === 'dup')).toHaveLength(1);
      // Finished, it can be queued again (`requeue`: a restart's re-enqueue of active runs).
      await queue.enqueue([job('dup', 'ok:0')], { requeue: true });
      await expect.poll(() => starts(log).filter(isStart('dup', 1)).length).toBe(2);
    });

    test('a rejecting handler is retried with backoff, then failed and onExhausted', async ({
      open,
    }) => {
      const { queue, log, spawnWorker } = await open(fast);
      await spawnWorker(1);
      await queue.enqueue([job('doomed', 'fail')]);
      const exhausted = await log.waitFor(
        (e): e is Extract<FixtureEvent, { t: 'fx-exhausted' }> => e.t === 'fx-exhausted',
      );
      expect(exhausted).toMatchObject({
        runId: 'doomed',
        message: 'run doomed failed on delivery 2',
      });
      expect(starts(log).map((e) => e.delivery)).toEqual([1, 2]);
      await expect
        .poll(() => queue.counts())
        .toMatchObject({ failed: 1, waiting: 0, active: 0, delayed: 0 });
    });

    test('a SIGKILLed worker’s job goes to another worker (delivery 2), never held twice', async ({
      open,
    }) => {
      const { queue, log, spawnWorker } = await open(fast);
      const workers = [await spawnWorker(1), await spawnWorker(1)];
      await sleep(300); // both idle and listening
      await queue.enqueue([job('survivor', 'ok:1500')]);
      const first = await log.waitFor(isStart('survivor', 1));
      const victim = workers.find((w) => w.pid === first.pid);
      const other = workers.find((w) => w.pid !== first.pid);
      await sleep(200);
      const killedAt = performance.timeOrigin + performance.now();
      await victim?.kill();
      const resumed = await log.waitFor(isStart('survivor', 2));
      print(`[${name}] kill → redelivery: ${(resumed.at - killedAt).toFixed(1)} ms`);
      expect(resumed.pid).toBe(other?.pid);
      await log.waitFor(isEnd('survivor', other?.pid));
      assertNoOverlap(log, new Map([[first.pid, killedAt]]));
    });

    test('a hung worker loses its job to another; its signal aborts when it wakes', async ({
      open,
    }) => {
      const { queue, log, spawnWorker } = await open(fast);
      const hung = await spawnWorker(1);
      await queue.enqueue([job('stuck', 'block:2500')]);
      await log.waitFor(isStart('stuck', 1));
      const other = await spawnWorker(1);
      const resumed = await log.waitFor(isStart('stuck', 2));
      expect(resumed.pid).toBe(other.pid);
      const hungEnd = await log.waitFor(isEnd('stuck', hung.pid));
      expect(hungEnd.aborted).toBe(true);
      assertNoOverlap(log, new Map());
    });

    test('drain finishes in-flight jobs and takes no new ones', async ({ open }) => {
      const { queue, log, spawnWorker } = await open(fast);
      const drained = await spawnWorker(2);
      await queue.enqueue([job('j1', 'ok:400'), job('j2', 'ok:400')]);
      await Promise.all([log.waitFor(isStart('j1')), log.waitFor(isStart('j2'))]);
      const draining = drained.drain();
      await sleep(50);
      await queue.enqueue([job('j3', 'ok:0')]);
      await draining;
      const ends = log.events.filter((e): e is End => e.t === 'fx-end' && e.pid === drained.pid);
      expect(ends.map((e) => [e.runId, e.ok])).toEqual(
        expect.arrayContaining([
          ['j1', true],
          ['j2', true],
        ]),
      );
      await sleep(300);
      expect(log.events.some(isStart('j3'))).toBe(false);
      const next: FixtureWorker = await spawnWorker(1);
      expect((await log.waitFor(isStart('j3'))).pid).toBe(next.pid);
    });

    test('close hands in-flight jobs back at once: their signals abort, another worker resumes', async ({
      open,
    }) => {
      const { queue, log, spawnWorker } = await open(fast);
      const closing = await spawnWorker(1);
      await queue.enqueue([job('handed', 'ok:1500')]);
      await log.waitFor(isStart('handed', 1));
      const other = await spawnWorker(1);
      await closing.close();
      expect((await log.waitFor(isEnd('handed', closing.pid))).aborted).toBe(true);
      const resumed = await log.waitFor(isStart('handed', 2));
      expect(resumed.pid).toBe(other.pid);
      await log.waitFor(isEnd('handed', other.pid));
    });

    test('counts: waiting, active, delayed', async ({ open }) => {
      const { queue, log, spawnWorker } = await open({ ...fast, backoffMs: 60_000 });
      await queue.enqueue([job('c1', 'fail'), job('c2', 'ok:60000'), job('c3', 'ok:0')]);
      expect(await queue.counts()).toEqual({ waiting: 3, active: 0, delayed: 0, failed: 0 });
      await spawnWorker(1);
      await log.waitFor(isStart('c2'));
      await expect
        .poll(() => queue.counts())
        .toEqual({ waiting: 1, active: 1, delayed: 1, failed: 0 });
    });
  });
}
