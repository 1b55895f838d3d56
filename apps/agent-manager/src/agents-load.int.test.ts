import { expect, it } from 'vitest';
import { describeVariants, useLiveAgentManager } from './test-support/live-agent-manager.js';

const AGENTS = 40;

describeVariants('agents under load', (variant) => {
  const am = useLiveAgentManager({ variant, env: { AM_WORKER_CONCURRENCY: '20' } });

  // Regression: cancel locked the agent before the run while checkpoints lock the run before
  // the agent; under load Postgres aborted one of them as a deadlock (40P01, a 500 or a lost
  // checkpoint). Every cancel here races the checkpoints of 40 running agents. Checked against
  // that old order (with 50 ms between its two locks), 7 of 40 runs never ended cancelled.
  it('cancels racing checkpoints of many running agents: every cancel answers, every run ends', async () => {
    const goal = 'use file.write notes.txt\n#mock-steps=200';
    const created = await am().client.batchCreateAgents({
      body: {
        agents: Array.from({ length: AGENTS }, () => ({
          goal,
          capabilities: ['fs' as const],
          max_steps: 250,
        })),
      },
    });
    if (created.status !== 201) {
      throw new Error(`batch: ${created.status}`);
    }
    const ids = created.body.agent_ids;
    for (const agent_id of ids) {
      const started = await am().client.startAgent({
        params: { agent_id },
        query: { stream: 'false' },
      });
      expect(started.status).toBe(202);
    }
    // Running and checkpointing: at least a few steps behind each.
    await expect
      .poll(
        async () => {
          const view = await am().client.getAgent({ params: { agent_id: ids.at(-1) as string } });
          return view.status === 200 ? view.body.steps.length : 0;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(3);
    const cancels = await Promise.all(
      ids.map((agent_id) => am().client.cancelAgent({ params: { agent_id } })),
    );
    expect(cancels.map((c) => c.status)).toEqual(ids.map(() => 200));
    await expect
      .poll(
        async () => {
          const views = await Promise.all(
            ids.map((agent_id) => am().client.getAgent({ params: { agent_id } })),
          );
          return views.filter((v) => v.status === 200 && v.body.status === 'cancelled').length;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(AGENTS);
    for (const agent_id of ids) {
      const view = await am().client.getAgent({ params: { agent_id } });
      if (view.status !== 200) {
        throw new Error(`view: ${view.status}`);
      }
      // The checkpoints that were written are whole: steps numbered 1..n with no gap.
      expect(view.body.steps.map((s) => s.step_id)).toEqual(view.body.steps.map((_, i) => i + 1));
      expect(view.body.error).toBeNull();
    }
  }, 120_000);
});
