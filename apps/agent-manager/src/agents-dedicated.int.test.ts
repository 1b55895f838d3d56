import { expect, it } from 'vitest';
import { readEvents } from './test-support/agent-streams.js';
import { describeVariants, useLiveAgentManager } from './test-support/live-agent-manager.js';

describeVariants('dedicated workers', (variant) => {
  const am = useLiveAgentManager({ variant });

  const workers = async () => {
    const res = await am().admin.listWorkers();
    if (res.status !== 200) {
      throw new Error(`workers: ${res.status}`);
    }
    return res.body.workers;
  };
  const create = async (ram?: string) => {
    const res = await am().client.createAgent({
      body: {
        goal: `${'word '.repeat(60)}#mock-slow`,
        capabilities: [],
        max_steps: 2,
        ...(ram === undefined ? {} : { resources: { ram } }),
      },
    });
    if (res.status !== 201) {
      throw new Error(`create: ${res.status}`);
    }
    return res.body.agent_id;
  };
  /** Starts a run and, while it runs, the pid of the worker that holds it. */
  const runAndFindHolder = async (agent_id: string) => {
    // The last run's worker reports its job gone just after the run's terminal event.
    await expect
      .poll(async () => (await workers()).every((w) => w.jobs_in_flight === 0), {
        timeout: 10_000,
        interval: 50,
      })
      .toBe(true);
    const run = await am().client.startAgent({ params: { agent_id }, query: { stream: 'true' } });
    if (run.status !== 200) {
      throw new Error(`start: ${run.status}`);
    }
    let holder: number | undefined;
    await expect
      .poll(
        async () => {
          holder = (await workers()).find((w) => w.jobs_in_flight > 0)?.pid;
          return holder;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBeDefined();
    const events = await readEvents(run);
    expect(events.at(-1)?.event.event).toBe('agent_completed');
    return holder as number;
  };

  it('runs an agent only on its dedicated worker while it takes runs, then on the pool', async () => {
    const dedicatedAgent = await create('256MB');
    const other = await create();
    const spawned = await am().admin.spawnWorker({
      body: { type: 'agent_runtime', payload: { agent_id: dedicatedAgent } },
    });
    if (spawned.status !== 201) {
      throw new Error(`spawn: ${spawned.status}`);
    }
    const pid = spawned.body.worker_pid;
    const dedicated = (await workers()).find((w) => w.pid === pid);
    expect(dedicated).toMatchObject({ agent_id: dedicatedAgent, max_heap_mb: 256 });
    await expect
      .poll(async () => (await workers()).find((w) => w.pid === pid)?.status, { timeout: 20_000 })
      .toBe('running');

    expect(await runAndFindHolder(dedicatedAgent)).toBe(pid);
    // Another agent's run never lands on it.
    expect(await runAndFindHolder(other)).not.toBe(pid);

    expect((await am().admin.drainWorker({ params: { pid } })).status).toBe(202);
    await expect
      .poll(async () => (await workers()).some((w) => w.pid === pid), { timeout: 10_000 })
      .toBe(false);
    // Without its dedicated worker, the agent runs on the pool.
    const holder = await runAndFindHolder(dedicatedAgent);
    expect(holder).not.toBe(pid);
  }, 90_000);
});

describeVariants('cpu as a concurrency weight', (variant) => {
  const am = useLiveAgentManager({
    variant,
    env: { AM_WORKERS: '1', AM_WORKER_CONCURRENCY: '2' },
  });

  it('runs of weight 2 take a 2-slot worker one at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await am().client.createAgent({
        body: {
          goal: `${'word '.repeat(40)}#mock-slow`,
          capabilities: [],
          max_steps: 2,
          resources: { cpu: '2' },
        },
      });
      if (res.status !== 201) {
        throw new Error(`create: ${res.status}`);
      }
      ids.push(res.body.agent_id);
    }
    for (const agent_id of ids) {
      await am().client.startAgent({ params: { agent_id }, query: { stream: 'false' } });
    }
    const statuses = async () =>
      Promise.all(
        ids.map(async (agent_id) => {
          const view = await am().client.getAgent({ params: { agent_id } });
          return view.status === 200 ? view.body.status : 'missing';
        }),
      );
    const seen: string[][] = [];
    await expect
      .poll(
        async () => {
          const now = await statuses();
          seen.push(now);
          return now.every((s) => s === 'completed');
        },
        { timeout: 60_000, interval: 50 },
      )
      .toBe(true);
    expect(seen.some((s) => s.includes('running'))).toBe(true);
    expect(seen.filter((s) => s.every((x) => x === 'running'))).toEqual([]);
  }, 90_000);
});
