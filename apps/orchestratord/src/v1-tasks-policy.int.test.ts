import { describe, expect, it } from 'vitest';
import { readStream, SLOW_PROMPT, startDataFleet, taskBody } from './tasks/test-data-plane.js';
import { cleanupAfterAll, TEST_ADMIN_KEY } from './test-orchestrator.js';

// The /v1 data plane's policies (issue 15), once per driver: drop-lru, a drain with tasks in
// flight, a sleeping user's engine woken with metrics.prep, and llama-orch's metric names.

const cleanup = cleanupAfterAll();

const drivers = [
  {
    driver: 'process',
    ports: [
      [25000, 25049],
      [25050, 25099],
      [25100, 25149],
    ],
  },
  {
    driver: 'docker',
    ports: [
      [25380, 25399],
      [25400, 25419],
      [25420, 25439],
    ],
  },
] as const;

describe.each(drivers)(
  '/v1 tasks on the $driver driver: drop-lru, drain, wake',
  ({ driver, ports }) => {
    it('drop-lru: an interactive newcomer evicts the oldest batch task; a batch one is refused', async (ctx) => {
      const { orch, product, api } = await startDataFleet(
        ctx,
        cleanup,
        ports[0],
        { ORCH_TASK_SLOTS: '1', ORCH_QUEUE_CAPACITY: '2', ORCH_QUEUE_POLICY: 'drop-lru' },
        driver,
      );
      const running = taskBody({ user_id: 'u1', prompt: SLOW_PROMPT });
      const b1 = taskBody({ user_id: 'u1', priority: 'batch' });
      const b2 = taskBody({ user_id: 'u1', priority: 'batch' });
      for (const t of [running, b1, b2]) {
        expect((await api.createTask({ body: t })).status).toBe(202);
      }
      const interactive = taskBody({ user_id: 'u1' });
      const admitted = await api.createTask({ body: interactive });
      expect(admitted.status).toBe(202);
      if (admitted.status === 202) {
        expect(admitted.body.queue_position).toBe(0);
      }
      const dropped = (await readStream(api, b1.task_id)).events;
      expect(dropped.map((e) => e.event)).toEqual(['started', 'error']);
      expect(dropped[1]).toMatchObject({ code: 'QUEUE_FULL_DROP_LRU', retriable: true });

      // Full again (b2 and the interactive one): a batch newcomer is the one dropped, as a 429.
      const late = taskBody({ user_id: 'u1', priority: 'batch' });
      const res = await fetch(`${orch.baseUrl}/v1/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-platform-key': product.platformKey },
        body: JSON.stringify(late),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.headers.get('x-backoff-ms')).toMatch(/^\d+$/);
      expect(await res.json()).toMatchObject({
        code: 'QUEUE_FULL_DROP_LRU',
        policy_label: 'drop-lru',
        retriable: true,
        engine: 'agentplane',
      });
      expect(
        await orch.orchestrator.data.tasks.byId(product.productId, late.task_id),
      ).toBeUndefined();

      for (const t of [running, interactive, b2]) {
        expect((await readStream(api, t.task_id)).events.at(-1)?.event).toBe('end');
      }
      const metrics = await (await fetch(`${orch.baseUrl}/metrics`)).text();
      for (const name of [
        'tasks_enqueued_total',
        'tasks_started_total',
        'tasks_canceled_total',
        'tasks_rejected_total',
        'tokens_out_total',
        'queue_depth',
        'latency_first_token_ms',
        'latency_decode_ms',
      ]) {
        expect(metrics).toContain(`# TYPE ${name} `);
      }
      expect(metrics).toMatch(
        /tasks_rejected_total\{engine="agentplane",reason="QUEUE_FULL_DROP_LRU"\} 1/,
      );
    });

    it('drain: in-flight tasks finish before the deadline, are cancelled after it; resume admits again', async (ctx) => {
      const { orch, product, api } = await startDataFleet(
        ctx,
        cleanup,
        ports[1],
        { ORCH_TASK_SLOTS: '1' },
        driver,
      );
      const adminHeaders = { 'x-admin-key': TEST_ADMIN_KEY };
      const pool = orch.orchestrator.pools[0]?.name ?? '';
      const drain = (deadline_ms: number) =>
        fetch(`${orch.baseUrl}/v1/pools/${pool}/drain`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...adminHeaders },
          body: JSON.stringify({ deadline_ms }),
        });

      // A long deadline: the running task completes; the queued one waits (not dispatched).
      const first = taskBody({ user_id: 'u1', prompt: SLOW_PROMPT });
      const waiting = taskBody({ user_id: 'u1' });
      for (const t of [first, waiting]) {
        expect((await api.createTask({ body: t })).status).toBe(202);
      }
      expect((await drain(60_000)).status).toBe(202);
      const refused = await api.createTask({ body: taskBody({ user_id: 'u1' }) });
      expect(refused.status).toBe(503);
      if (refused.status === 503) {
        expect(refused.body.code).toBe('POOL_UNAVAILABLE');
      }
      const health = await api.getPoolHealth({ params: { id: pool } });
      expect(health.status).toBe(200);
      if (health.status === 200) {
        expect(health.body).toMatchObject({ live: true, ready: false, draining: true });
      }
      expect((await readStream(api, first.task_id)).events.at(-1)).toMatchObject({
        event: 'end',
        stop_reason: 'end_turn',
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(
        (await orch.orchestrator.data.tasks.byId(product.productId, waiting.task_id))?.status,
      ).toBe('queued');

      // Resume: the queued task runs. Then a short deadline cancels a running task.
      const resumed = await fetch(`${orch.baseUrl}/v1/pools/${pool}/resume`, {
        method: 'POST',
        headers: adminHeaders,
      });
      expect(resumed.status).toBe(200);
      expect((await readStream(api, waiting.task_id)).events.at(-1)?.event).toBe('end');
      const slow = taskBody({ user_id: 'u1', prompt: SLOW_PROMPT });
      const queued = taskBody({ user_id: 'u1' });
      for (const t of [slow, queued]) {
        expect((await api.createTask({ body: t })).status).toBe(202);
      }
      const stream = await api.streamTask({ params: { id: slow.task_id } });
      if (stream.status !== 200) {
        throw new Error('stream');
      }
      for await (const ev of stream.events) {
        if (ev.event === 'token') {
          break;
        }
      }
      expect((await drain(200)).status).toBe(202);
      expect((await readStream(api, slow.task_id)).events.at(-1)).toMatchObject({
        event: 'end',
        canceled: true,
      });
      expect((await readStream(api, queued.task_id)).events.at(-1)).toMatchObject({
        event: 'error',
        code: 'POOL_UNAVAILABLE',
      });
    });

    it('a task for a sleeping user wakes the engine and streams metrics.prep', async (ctx) => {
      const { product, api } = await startDataFleet(ctx, cleanup, ports[2], {}, driver);
      const warmup = taskBody({ user_id: 'sleepy' });
      expect((await api.createTask({ body: warmup })).status).toBe(202);
      await readStream(api, warmup.task_id);
      expect((await product.api.sleepEngine({ params: { user_id: 'sleepy' } })).status).toBe(200);

      const task = taskBody({ user_id: 'sleepy' });
      const admitted = await api.createTask({ body: task });
      expect(admitted.status).toBe(202);
      if (admitted.status === 202) {
        expect(admitted.body.preparation?.steps[0]).toMatchObject({ kind: 'pool_warmup' });
      }
      const events = (await readStream(api, task.task_id)).events;
      const prep = events.flatMap((e) =>
        e.event === 'metrics' && e.prep !== undefined ? Object.values(e.prep) : [],
      );
      expect(prep.map((p) => [p.phase, p.status])).toEqual([
        ['wake', 'running'],
        ['wake', 'completed'],
      ]);
      expect(events.at(-1)).toMatchObject({ event: 'end', stop_reason: 'end_turn' });
    });
  },
);
