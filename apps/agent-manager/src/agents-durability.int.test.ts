import type { AgentEvent } from '@agentplane/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readEvents, startCounterServer } from './test-support/agent-streams.js';
import {
  describeVariants,
  type LiveAgentManager,
  startLiveAgentManager,
} from './test-support/live-agent-manager.js';

/** The pid of the worker holding a run (workers report their jobs in flight every second). */
async function holderPid(am: LiveAgentManager, exclude: ReadonlySet<number>): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const res = await am.admin.listWorkers();
    const workers = res.status === 200 ? res.body.workers : [];
    const holder = workers.find((w) => w.jobs_in_flight > 0 && !exclude.has(w.pid));
    if (holder) {
      return holder.pid;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no worker reported the run in flight');
}

describeVariants('durable runs', (variant) => {
  let am: LiveAgentManager;
  let counter: Awaited<ReturnType<typeof startCounterServer>>;
  beforeAll(async () => {
    counter = await startCounterServer(15_000, 2);
    am = await startLiveAgentManager({
      variant,
      env: {
        AM_HTTP_ALLOW_HOSTS: new URL(counter.url).host,
        AM_HTTP_ALLOW_PRIVATE: 'true',
        AM_RUN_MAX_ATTEMPTS: '3',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await counter?.close();
  });

  it('a worker SIGKILLed mid-step: another resumes from the checkpoint; the side effect runs once', async () => {
    const post = {
      tool: 'http.fetch',
      arguments: { url: `${counter.url}/count`, method: 'POST', body: 'effect' },
    };
    const slow = { tool: 'http.fetch', arguments: { url: `${counter.url}/slow` } };
    const goal = `${JSON.stringify(post)} ${JSON.stringify(slow)}\n#mock-steps=3`;
    const created = await am.client.createAgent({
      body: { goal, capabilities: ['http'], max_steps: 5 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    await am.client.startAgent({ params: { agent_id }, query: {} });
    // Step 1 posts and reads /slow (fast); step 2 posts (recorded) and hangs on its /slow call,
    // the second: the worker is killed there, between the side effect and the step's end.
    await expect.poll(() => counter.slowCalls(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => counter.posts.length, { timeout: 20_000 }).toBe(2);
    // The worker records the POST's result one write after the counter answered it (once-tools.ts
    // names that gap: a kill inside it runs the effect again). Nothing outside the worker can see
    // the record land, and the step's events wait for its hanging /slow call; a second is far more
    // than one write takes, even on a loaded CI machine (without it the test failed once in three CI runs).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pid = await holderPid(am, new Set());
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    const events = await am.client.streamAgentEvents({ params: { agent_id } });
    if (events.status !== 200) {
      throw new Error(`events: ${events.status}`);
    }
    const seen = (await readEvents(events)).map((s) => s.event);
    process.stderr.write(
      `[durable ${variant}] SIGKILL → run ended in ${(performance.now() - killedAt).toFixed(0)} ms\n`,
    );
    const resumed = seen.find((e) => e.event === 'run_resumed');
    expect(resumed).toMatchObject({ attempt: 2, from_step: 2 });
    const afterResume = seen.slice(seen.indexOf(resumed as AgentEvent));
    const reusedPost = afterResume.find((e) => e.event === 'tool_result' && e.reused);
    expect(reusedPost).toMatchObject({ tool: 'http.fetch', reused: true, error: null });
    expect(seen.at(-1)).toMatchObject({ event: 'agent_completed', steps: 3 });
    // One POST in step 1, one in step 2 (reused after the kill): two effects, never three.
    expect(counter.posts).toEqual(['effect', 'effect']);
    const view = await am.client.getAgent({ params: { agent_id } });
    if (view.status !== 200) {
      throw new Error(`view: ${view.status}`);
    }
    expect(view.body.run).toMatchObject({ status: 'completed', attempt: 2 });
    expect(view.body.steps.map((s) => s.step_id)).toEqual([1, 2, 3]);
  });

  it('a run whose workers keep dying ends failed with a reason, never stuck in running', async () => {
    const created = await am.client.createAgent({
      body: { goal: `${'word '.repeat(200)}#mock-slow`, capabilities: [], max_steps: 2 },
    });
    if (created.status !== 201) {
      throw new Error(`create: ${created.status}`);
    }
    const { agent_id } = created.body;
    await am.client.startAgent({ params: { agent_id }, query: {} });
    const killed = new Set<number>();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      // Killed once it has claimed the run: a worker that dies before its claim uses no attempt.
      await expect
        .poll(
          async () => {
            const view = await am.client.getAgent({ params: { agent_id } });
            return view.status === 200 ? view.body.run?.attempt : undefined;
          },
          { timeout: 20_000, interval: 50 },
        )
        .toBe(attempt);
      const pid = await holderPid(am, killed);
      killed.add(pid);
      process.kill(pid, 'SIGKILL');
    }
    await expect
      .poll(
        async () => {
          const view = await am.client.getAgent({ params: { agent_id } });
          return view.status === 200 ? view.body.status : undefined;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe('failed');
    const view = await am.client.getAgent({ params: { agent_id } });
    expect(view.status === 200 && view.body.error).toMatchObject({ code: 'WORKER_LOST' });
    const events = await am.client.streamAgentEvents({ params: { agent_id } });
    if (events.status !== 200) {
      throw new Error(`events: ${events.status}`);
    }
    expect((await readEvents(events)).at(-1)?.event).toMatchObject({
      event: 'agent_failed',
      code: 'WORKER_LOST',
    });
  });
});
