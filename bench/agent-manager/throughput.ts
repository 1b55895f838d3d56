import { loadavg } from 'node:os';
import { round } from '../harness.js';
import { agentCounts, batchCreate, goalOf, sleep, startAll } from './common.js';
import { loopBaseline } from './loop-baseline.js';
import { type Variant, withAgentManager } from './service.js';

const AGENTS = Number(process.env.BENCH_AM_AGENTS ?? 1000);
// BENCH_AM_ONLY=real skips the embedded variant (profiling with BENCH_AM_NODE_OPTIONS).
const STEPS = 5;
const WORKERS = 2;
// 2 × 16 = 32 runs at once: enough to keep both workers busy while each waits on its database
// and log round trips, few enough that PGlite (one thread in the API process) is not swamped.
const CONCURRENCY = Number(process.env.BENCH_AM_WORKER_CONCURRENCY ?? 16);
// No agent finished for this long: the rest are reported lost.
const STALL_MS = 60_000;
const TERMINAL = ['completed', 'failed', 'cancelled'];

async function throughputOn(variant: Variant, baselineStepsPerS: number) {
  const env = { AM_WORKERS: String(WORKERS), AM_WORKER_CONCURRENCY: String(CONCURRENCY) };
  return withAgentManager(variant, env, async (am) => {
    const started = performance.now();
    const ids = await batchCreate(am, goalOf(STEPS), AGENTS);
    const createdS = (performance.now() - started) / 1000;
    await startAll(am, ids);
    const startedAllS = (performance.now() - started) / 1000;
    let counts: Record<string, number> = {};
    let done = 0;
    let lastProgress = Date.now();
    while (done < AGENTS && Date.now() - lastProgress < STALL_MS) {
      await sleep(100);
      counts = await agentCounts(am);
      const now = TERMINAL.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
      if (now > done) {
        done = now;
        lastProgress = Date.now();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const completed = counts.completed ?? 0;
    const stepsPerS = (completed * STEPS) / seconds;
    const ratio = stepsPerS / baselineStepsPerS;
    return {
      agents: AGENTS,
      completed,
      lost: AGENTS - completed,
      statuses: counts,
      batch_create_s: round(createdS, 2),
      all_started_s: round(startedAllS, 2),
      total_s: round(seconds, 2),
      steps_per_s: round(stepsPerS, 0),
      agents_per_s: round(completed / seconds, 1),
      ratio: round(ratio, 3),
      target: 'ratio >= 0.5 and lost = 0',
      ok: ratio >= 0.5 && completed === AGENTS,
    };
  });
}

/** 1,000 agents × 5 mock steps on 2 workers vs the same loops in one process, steps per second. */
export async function benchAmThroughput() {
  const goal = goalOf(STEPS);
  // One unrecorded pass warms the loop's code paths (as the service's warm-up agents do not).
  await loopBaseline(goal, 50, WORKERS * CONCURRENCY);
  const base = await loopBaseline(goal, AGENTS, WORKERS * CONCURRENCY);
  const baseline = {
    ...base,
    seconds: round(base.seconds, 3),
    steps_per_s: round(base.steps_per_s, 0),
  };
  const embedded =
    process.env.BENCH_AM_ONLY === 'real' ? null : await throughputOn('embedded', base.steps_per_s);
  const real = await throughputOn('real', base.steps_per_s);
  return {
    name: 'agent-manager.throughput',
    loadavg_1m_at_end: round(loadavg()[0] ?? 0),
    unit: 'steps/s',
    method:
      `agent-manager's bundle, AM_WORKERS=${WORKERS}, AM_WORKER_CONCURRENCY=${CONCURRENCY}, mock model: ` +
      `POST /agents/batch (${AGENTS} agents, goal "use file.write notes.txt #mock-steps=${STEPS}"), ` +
      'POST start?stream=false for each (16 in flight), /metrics am_agents polled every 100 ms until ' +
      'all ended; timed from the batch create. Baseline in the same run: runAgentLoop with ' +
      `createMockLlm and an equivalent file.write in one process, ${WORKERS * CONCURRENCY} loops at once, ` +
      'no queue, checkpoints or event log. ratio = service steps/s ÷ baseline steps/s',
    baseline,
    embedded,
    real,
  };
}
